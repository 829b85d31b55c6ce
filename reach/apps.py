from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    name = "reach"
    verbose_name = _("Reach")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import openapi
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
        openapi.register()
