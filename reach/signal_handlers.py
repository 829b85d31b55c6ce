from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from wagtail.signals import page_published, page_unpublished

from cms.models import ArticlePage
from stations.models import LiaisonStation
from stations.signals import content_pulled

from . import counters, readers, referrers
from .beacon import page_language_key
from .models import BotPattern


def forget_page(sender, instance, **kwargs):
    counters.reach_cache().delete(page_language_key(instance.pk))


def forget_bot_patterns(sender, **kwargs):
    readers.forget_bot_patterns()


def forget_station_hosts(sender, **kwargs):
    referrers.forget_station_hosts()


def count_pull(sender, station=None, token=None, feed="", **kwargs):
    """One feed or station-API request: counted per token, or per feed path."""
    source = f"token:{token.pk}" if token is not None else f"feed:{feed[:190]}"
    record = "|".join(
        [
            "p",
            timezone.localdate().isoformat(),
            source.replace("|", ""),
            str(station.pk) if station is not None else "",
            str(token.pk) if token is not None else "",
        ]
    )
    counters.store().push(counters.current_minute(), record)


def register_signal_handlers():
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(forget_page, sender=ArticlePage, dispatch_uid=f"reach-forget-{signal}")
    for signal in (post_save, post_delete):
        signal.connect(forget_bot_patterns, sender=BotPattern, dispatch_uid=f"reach-bots-{signal}")
        signal.connect(
            forget_station_hosts, sender=LiaisonStation, dispatch_uid=f"reach-hosts-{signal}"
        )
    content_pulled.connect(count_pull, dispatch_uid="reach-count-pull")
