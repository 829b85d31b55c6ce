from django.core.management import call_command

from celery import shared_task
from celery.utils.log import get_task_logger

logger = get_task_logger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def publish_scheduled_pages():
    """Go-live and expiry, run every minute by Celery beat (CELERY_BEAT_SCHEDULE).

    Wagtail's own command does the work: it publishes revisions whose approved go-live time
    has passed and unpublishes pages (and snippets) past their expiry. Running it twice is
    harmless, so a redelivered message (acks_late) does no damage.
    """
    call_command("publish_scheduled")
    logger.debug("Scheduled publishing and expiry checked")
