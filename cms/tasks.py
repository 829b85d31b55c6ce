from django.apps import apps
from django.db import transaction
from django.utils import timezone

from wagtail.models import DraftStateMixin, Page, Revision

from celery import shared_task
from celery.utils.log import get_task_logger

from . import page_cache
from .publishing import PublishingRefused, record_refused_schedule

logger = get_task_logger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def publish_scheduled_pages():
    """Go-live and expiry, run every minute by Celery beat (CELERY_BEAT_SCHEDULE).

    Does what Wagtail's `publish_scheduled` command does, one revision at a time: that
    command stops at the first publish that raises, so one article refused by a publishing
    rule (missing alt text, say) would hold back every scheduled page after it, forever. A
    refused revision stays scheduled (and is recorded once, see
    cms.publishing.record_refused_schedule); it goes live on the first run after the rule is
    met. Running twice is harmless, so a
    redelivered message (acks_late) does no damage.
    """
    take_expired_offline()
    publish_due_revisions()
    logger.debug("Scheduled publishing and expiry checked")


@shared_task(acks_late=True, ignore_result=True)
def retry_page_cache_clears():
    """A page-cache clear that failed during a cache outage, done again once it is back."""
    page_cache.retry_pending_clears()


def models_with_drafts():
    """Pages, and snippets with publishing (as Wagtail's command finds them)."""
    return [Page] + [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]


def take_expired_offline():
    now = timezone.now()
    for model in models_with_drafts():
        for obj in list(model.objects.filter(live=True, expire_at__lt=now).order_by("expire_at")):
            obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")


def publish_due_revisions():
    due = Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by(
        "approved_go_live_at"
    )
    for revision in due:
        try:
            # Each publish commits or rolls back on its own: a refusal leaves nothing half-done.
            with transaction.atomic():
                # The go-live time has passed, so publish() makes the object live.
                revision.publish(log_action="wagtail.publish.scheduled")
        except PublishingRefused as refusal:
            record_refused_schedule(revision, refusal)
