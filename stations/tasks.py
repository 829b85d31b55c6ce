"""Celery tasks of the push. Arguments are primary keys; every task re-reads its rows.

All are acks_late: a worker killed mid-task leaves its message to be redelivered, and the
database row (not the broker) decides what still has to be sent.
"""

from django.conf import settings
from django.utils import timezone

from celery import shared_task
from celery.utils.log import get_task_logger

from . import delivery as machine
from .models import FormattedPayload

logger = get_task_logger(__name__)
DISPATCH_CHUNK = 50  # delivery ids per fan-out task: one per worker process and then some


@shared_task(acks_late=True, ignore_result=True)
def deliver(delivery_id):
    machine.attempt(delivery_id)


@shared_task(acks_late=True, ignore_result=True)
def dispatch_deliveries(delivery_ids):
    """Fan one publish out to one task per delivery row (keeps the publish request short).

    A long list is first split into chunks, so every worker starts sending at once.
    """
    if len(delivery_ids) > DISPATCH_CHUNK:
        for start in range(0, len(delivery_ids), DISPATCH_CHUNK):
            dispatch_deliveries.apply_async((delivery_ids[start : start + DISPATCH_CHUNK],))
        return
    for delivery_id in delivery_ids:
        deliver.apply_async((delivery_id,))


@shared_task(acks_late=True, ignore_result=True)
def sweep_deliveries():
    queued = machine.sweep()
    if queued:
        logger.info("Sweep re-queued %d deliveries", len(queued))


@shared_task(acks_late=True, ignore_result=True)
def replay_station(station_id):
    sent = machine.replay(station_id)
    logger.info("Replayed %d deliveries of station %s", sent, station_id)


@shared_task(acks_late=True, ignore_result=True)
def prune_payloads():
    """Payload bodies go after the retention period; the ledger rows stay forever."""
    cutoff = timezone.now() - timezone.timedelta(days=settings.STATION_PAYLOAD_RETENTION_DAYS)
    pruned = FormattedPayload.objects.filter(created_at__lt=cutoff, body__isnull=False).update(
        body=None
    )
    logger.info("Pruned %d formatted payloads", pruned)
