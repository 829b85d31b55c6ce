from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class TranslationsConfig(AppConfig):
    name = "translations"
    verbose_name = _("Translations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from media.reader_text import register_reader_text

        from .machine import TRADITIONAL
        from .signal_handlers import register_signal_handlers
        from .traditional import to_traditional, without_chinese

        register_signal_handlers()
        register_reader_text(TRADITIONAL, to_traditional)
        for code, _name in settings.LANGUAGES:
            if not code.startswith("zh"):
                register_reader_text(code, without_chinese)
