from django.core.management import call_command

from celery import shared_task
from celery.utils.log import get_task_logger

logger = get_task_logger(__name__)


@shared_task(acks_late=True)
def publish_scheduled_pages():
    """Go-live and expiry: Wagtail's own command, run every minute by Celery beat."""
    call_command("publish_scheduled")
