import requests
from celery import shared_task
from celery.utils.log import get_task_logger

from .websub import ping_hub

logger = get_task_logger(__name__)

PING_RETRIES = 5
PING_RETRY_DELAY = 60


@shared_task(
    acks_late=True,
    autoretry_for=(requests.RequestException,),
    max_retries=PING_RETRIES,
    retry_backoff=PING_RETRY_DELAY,
    retry_jitter=True,
)
def notify_websub_hub(feed_urls):
    """Tell the WebSub hub these feeds changed so subscribers fetch them now, not at next poll."""
    ping_hub(feed_urls)
    logger.info("WebSub hub notified of %d feeds", len(feed_urls))
