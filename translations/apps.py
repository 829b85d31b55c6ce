from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    name = "translations"
    default_auto_field = "django.db.models.BigAutoField"
