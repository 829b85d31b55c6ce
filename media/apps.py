from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "media"
    label = "media"
    verbose_name = "媒体库 Media"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .renditions import register_fast_avif

        register_fast_avif()
