from celery import shared_task

from . import fragments


@shared_task(acks_late=True, ignore_result=True)
def retry_fragment_bumps():
    """A fragment-version bump that failed during a cache outage, done once it is back."""
    fragments.retry_pending_bumps()
