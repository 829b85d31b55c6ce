from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from cms.models import ArticlePage
from cms.signals import newsroom_set_up
from stations.models import LiaisonStation
from stations.signals import content_pulled

from . import beacon, counters, readers, referrers
from .models import REPORT_PERMISSION, BotPattern


def refresh_page_language(sender, instance, **kwargs):
    """Publish, unpublish, delete: the beacon's cache learns the page's state once it is
    committed (not before, or a read in between would store the old one for a day). Robust:
    a cache outage costs that page's first read a query, never the editor's publish."""
    page_id = instance.pk
    transaction.on_commit(lambda: beacon.refresh_page_languages([page_id]), robust=True)


def refresh_restricted_pages(sender, instance, **kwargs):
    """A view restriction added, changed or removed: the articles under it are (no longer)
    public, so the cache must not answer for them from what it knew."""
    page = Page.objects.filter(pk=instance.page_id).first()  # gone when its deletion cascades
    if page is None:
        return
    page_ids = list(
        ArticlePage.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: beacon.refresh_page_languages(page_ids), robust=True)


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


def grant_report_to_chief_editors(sender, groups, **kwargs):
    """总编辑 read the 传播效果 report and its downloads (editors and translators do not)."""
    app_label, codename = REPORT_PERMISSION.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    groups["chief"].permissions.add(permission)


def register_signal_handlers():
    newsroom_set_up.connect(grant_report_to_chief_editors, dispatch_uid="reach-chief-report")
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(
            refresh_page_language, sender=ArticlePage, dispatch_uid=f"reach-language-{signal}"
        )
    for signal in (post_save, post_delete):
        signal.connect(
            refresh_restricted_pages,
            sender=PageViewRestriction,
            dispatch_uid=f"reach-restriction-{signal}",
        )
    for signal in (post_save, post_delete):
        signal.connect(forget_bot_patterns, sender=BotPattern, dispatch_uid=f"reach-bots-{signal}")
        signal.connect(
            forget_station_hosts, sender=LiaisonStation, dispatch_uid=f"reach-hosts-{signal}"
        )
    content_pulled.connect(count_pull, dispatch_uid="reach-count-pull")
