from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PullConfig(AppConfig):
    name = "stations.pull"
    label = "stations_pull"
    verbose_name = _("Feeds, station API and import")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
