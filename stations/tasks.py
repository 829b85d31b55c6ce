"""Celery tasks of the push, and the only place that queues them. Arguments are primary
keys; every task re-reads its rows.

The state machine (delivery.py) says what should happen next; these functions queue it.
All tasks are acks_late: a worker killed mid-task leaves its message to be redelivered, and
the database row (not the broker) decides what still has to be sent.
"""

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from celery import shared_task
from celery.utils.log import get_task_logger

from config.queue import send_now
from config.workers import BACKOFF_QUEUE, DELIVERY_QUEUE

from . import delivery as machine
from .models import Delivery, FormattedPayload, LiaisonStation

logger = get_task_logger(__name__)
DISPATCH_CHUNK = 50  # delivery ids per fan-out task: one per worker process and then some
SWEEP_CHUNK = 100  # delivery ids per message the sweep sends


# --- queueing -------------------------------------------------------------------------------
def enqueue(delivery_ids: Sequence[int], eta: datetime | None = None) -> None:
    """Queue the sending. A broker failure must never break a publish: the sweep recovers.

    One message, whatever the fan-out: the worker splits it (dispatch_deliveries), so a
    publish to 300 stations costs the editor's request what a publish to one does.
    """
    if not delivery_ids:
        return
    if len(delivery_ids) == 1:
        sent = send_now(deliver, delivery_ids[0], eta=eta, queue=lane(delivery_ids))
    else:
        sent = send_now(dispatch_deliveries, list(delivery_ids))
    if not sent:
        logger.error("Could not queue deliveries %s; the sweep will send them", delivery_ids[:20])


def lane(delivery_ids: Sequence[int]) -> str:
    """The queue for these deliveries: the backoff workers' while their station is failing or
    slow (delivery.in_backoff), else the delivery workers'."""
    return BACKOFF_QUEUE if machine.in_backoff(list(delivery_ids)) else DELIVERY_QUEUE


def queue_next(step: machine.NextStep) -> None:
    """Queue what the state machine said should follow an attempt."""
    enqueue(list(step.delivery_ids), eta=step.eta)


def resend(deliveries: QuerySet[Delivery]) -> int:
    """Queue failed or canceled deliveries again; returns how many."""
    ids = machine.reopen(deliveries)
    transaction.on_commit(lambda: enqueue(ids))
    return len(ids)


def resume_station(station: LiaisonStation) -> None:
    """Unpause a station and send its backlog in order (replay_station)."""
    machine.unpause(station)
    transaction.on_commit(lambda: replay_station.delay(station.pk))


# --- tasks ----------------------------------------------------------------------------------
@shared_task(acks_late=True, ignore_result=True)
def deliver(delivery_id):
    step = machine.attempt(delivery_id)
    if step is not None:
        queue_next(step)


@shared_task(acks_late=True, ignore_result=True)
def dispatch_deliveries(delivery_ids, payloads_ready=False):
    """Fan one publish out to one task per delivery row (keeps the publish request short).

    The payloads are formatted first, once, so no send waits for them. A long list is then
    split into chunks, so every worker starts sending at once. Rows of stations that are
    failing or slow go to the backoff lane.
    """
    if not payloads_ready:
        prepare_payloads(delivery_ids)
    if len(delivery_ids) > DISPATCH_CHUNK:
        for start in range(0, len(delivery_ids), DISPATCH_CHUNK):
            chunk = delivery_ids[start : start + DISPATCH_CHUNK]
            dispatch_deliveries.apply_async((chunk, True))
        return
    backing_off = machine.in_backoff(delivery_ids)
    for delivery_id in delivery_ids:
        queue = BACKOFF_QUEUE if delivery_id in backing_off else DELIVERY_QUEUE
        deliver.apply_async((delivery_id,), queue=queue)


def prepare_payloads(delivery_ids):
    try:
        machine.prepare_payloads(delivery_ids)
    except Exception:  # each send formats what it lacks, and retries if that fails
        logger.exception("Could not format the payloads of deliveries %s", delivery_ids[:20])


@shared_task(acks_late=True, ignore_result=True)
def sweep_deliveries():
    queued = machine.sweep()
    for start in range(0, len(queued), SWEEP_CHUNK):
        enqueue(queued[start : start + SWEEP_CHUNK])
    if queued:
        logger.info("Sweep re-queued %d deliveries", len(queued))


@shared_task(acks_late=True, ignore_result=True)
def replay_station(station_id):
    sent = 0
    for step in machine.replay(station_id):
        queue_next(step)
        sent += 1
    logger.info("Replayed %d deliveries of station %s", sent, station_id)


@shared_task(acks_late=True, ignore_result=True)
def prune_payloads():
    """Payload bodies go after the retention period; the ledger rows stay forever."""
    cutoff = timezone.now() - timezone.timedelta(days=settings.STATION_PAYLOAD_RETENTION_DAYS)
    pruned = FormattedPayload.objects.filter(created_at__lt=cutoff, body__isnull=False).update(
        body=None
    )
    logger.info("Pruned %d formatted payloads", pruned)
