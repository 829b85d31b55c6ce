from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"
    label = "media"
    verbose_name = "媒体库 Media"
    default_auto_field = "django.db.models.BigAutoField"
