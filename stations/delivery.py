"""The delivery state machine: claim a row, send it once, record what happened.

pending → sending → delivered | retrying → … | failed | superseded | canceled

Nothing here queues work: each step returns what should happen next (a NextStep, or the
ids due), and stations/tasks.py queues it.
"""

import json
import logging
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Revision

from cms.models import ArticlePage

from .formatters.ninjs import format_article, format_takedown
from .models import ArticleVersion, Delivery, Destination, FormattedPayload, LiaisonStation
from .transports import s3, webhook
from .transports.base import DELIVERED, FAIL, AttemptResult

logger = logging.getLogger(__name__)
State = Delivery.State
# A task may run a moment before the row's next_attempt_at (clock skew between hosts).
EARLY_TOLERANCE = timedelta(seconds=1)


@dataclass(frozen=True)
class NextStep:
    """What the queue should do after an attempt: send `delivery_ids` (at `eta`, else now).

    Empty when nothing follows (the row was closed meanwhile, or no later version waits).
    """

    delivery_ids: tuple[int, ...] = ()
    eta: datetime | None = None


# --- payloads: formatted once per (article version, format) ------------------------------
# A version's payload never changes once made, so each worker process keeps recent ones.
_payload_cache = {}
PAYLOAD_CACHE_SIZE = 256
# The threads sending one version to 300 stations all start at once: one reads (or makes)
# the payload, the others wait for it here rather than each querying PostgreSQL and
# queuing on the version's row lock with a pooled connection held.
_payload_locks = {}
_payload_locks_guard = threading.Lock()


def payload_json(article_version, fmt):
    key = (article_version.pk, fmt)
    body = _payload_cache.get(key)
    if body is not None:
        return body
    with _payload_lock(key):
        body = _payload_cache.get(key)
        if body is None:
            body = _stored_or_new_payload(article_version, fmt)
            if len(_payload_cache) >= PAYLOAD_CACHE_SIZE:
                _payload_cache.clear()
            _payload_cache[key] = body
    with _payload_locks_guard:
        _payload_locks.pop(key, None)
    return body


def _payload_lock(key):
    with _payload_locks_guard:
        return _payload_locks.setdefault(key, threading.Lock())


def prepare_payloads(delivery_ids: list[int]) -> None:
    """Format these deliveries' payloads now (once per version and format), before their
    sends are queued: then no send waits for a formatting pass."""
    pairs = (
        Delivery.objects.filter(pk__in=delivery_ids)
        .values_list("article_version_id", "destination__format")
        .distinct()
    )
    versions = ArticleVersion.objects.select_related("article").in_bulk(
        {version_id for version_id, _fmt in pairs}
    )
    for version_id, fmt in pairs:
        payload_json(versions[version_id], fmt)


def _stored_or_new_payload(article_version, fmt):
    body = (
        FormattedPayload.objects.filter(article_version=article_version, format=fmt)
        .values_list("body", flat=True)
        .first()
    )
    if body:
        return body
    with transaction.atomic():
        # Workers sending the same version to 300 stations wait here for one formatting pass.
        ArticleVersion.objects.select_for_update().get(pk=article_version.pk)
        payload, _created = FormattedPayload.objects.get_or_create(
            article_version=article_version, format=fmt
        )
        if not payload.body:
            item = build_item(article_version, fmt)
            payload.body = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
            payload.created_at = timezone.now()
            payload.save()
        return payload.body


def build_item(article_version, fmt):
    distributed = article_version.article
    if article_version.event == ArticleVersion.Event.CANCELED:
        return format_takedown(
            distributed.uri,
            article_version.version,
            distributed.language,
            distributed.title,
            fmt=fmt,
            versioncreated=article_version.created_at,
        )
    page = article_as_published(article_version)
    ednote = ""
    if article_version.event == ArticleVersion.Event.CORRECTED:
        latest = page.corrections.order_by("-date").first()
        ednote = f"更正 / Correction: {latest.note}" if latest else ""
    return format_article(
        page,
        version=article_version.version,
        fmt=fmt,
        pubstatus="usable",
        versioncreated=article_version.created_at,
        ednote=ednote,
    )


def article_as_published(article_version):
    """The article exactly as this version published it (its revision), else the live page."""
    distributed = article_version.article
    revision = Revision.objects.filter(pk=article_version.revision_id).first()
    page = revision.as_object() if revision else ArticlePage.objects.get(pk=distributed.page_id)
    page.uri = distributed.uri
    return page


def envelope(delivery):
    """The thin per-station wrapper around the shared payload (stable across retries)."""
    fmt = delivery.destination.format
    head = {
        "event": delivery.event,
        "idempotency_key": str(delivery.idempotency_key),
        "station": delivery.station.name,
        "format": fmt,
        "uri": delivery.article.uri,
        "version": delivery.version,
    }
    item = payload_json(delivery.article_version, fmt)
    return (json.dumps(head, ensure_ascii=False)[:-1] + ', "item": ' + item + "}").encode()


# --- one attempt --------------------------------------------------------------------------
def attempt(delivery_id: int) -> NextStep | None:
    """Claim, send and record one delivery; the NextStep, or None if it was not claimed.

    Safe to call twice: only one claim wins.
    """
    delivery = claim(delivery_id)
    if delivery is None:
        return None
    try:
        body = envelope(delivery)
        release_database_connection()
        result = send(delivery, body)
    except Exception as error:  # a bug or a bad payload must not leave the row "sending"
        logger.exception("Delivery %s crashed", delivery_id)
        result = AttemptResult("retry", error=f"{type(error).__name__}: {error}"[:2000])
    return finish(delivery, result)


def claim(delivery_id):
    """The row, now "sending" with its attempt counted, or None if it may not be sent now.

    One conditional UPDATE decides, with every condition on the row itself or in an EXISTS
    subquery of it (no join, so Django keeps them in the UPDATE's own WHERE): PostgreSQL
    re-checks them on the row's newest version, so of two workers claiming the same row the
    second waits for the first's UPDATE, then finds it no longer waiting. No transaction,
    no SELECT FOR UPDATE. Then one select_related read of what the send needs.
    """
    now = timezone.now()
    claimed = (
        claimable(now)
        .filter(pk=delivery_id)
        .update(state=State.SENDING, sending_since=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        supersede_if_outdated(delivery_id, now)
        return None
    return Delivery.objects.select_related(
        "station", "destination", "article", "article_version__article"
    ).get(pk=delivery_id)


def claimable(now):
    """Waiting rows due now, of an active, unpaused station and destination, with no newer
    version for their destination and no older one still open (N+1 waits for N's end)."""
    station_ready = LiaisonStation.objects.filter(
        pk=OuterRef("station_id"), is_active=True, paused_at__isnull=True
    )
    destination_ready = Destination.objects.filter(pk=OuterRef("destination_id"), is_active=True)
    in_the_way = Delivery.objects.filter(
        destination_id=OuterRef("destination_id"), article_id=OuterRef("article_id")
    ).filter(
        Q(version__gt=OuterRef("version"))
        | Q(version__lt=OuterRef("version"), state__in=Delivery.OPEN_STATES)
    )
    return Delivery.objects.filter(
        state__in=Delivery.WAITING_STATES, next_attempt_at__lte=now + EARLY_TOLERANCE
    ).filter(Exists(station_ready), Exists(destination_ready), ~Exists(in_the_way))


def supersede_if_outdated(delivery_id, now):
    """A waiting row with a newer version for the same destination is never sent."""
    newer = Delivery.objects.filter(
        destination_id=OuterRef("destination_id"),
        article_id=OuterRef("article_id"),
        version__gt=OuterRef("version"),
    )
    Delivery.objects.filter(pk=delivery_id, state__in=Delivery.WAITING_STATES).filter(
        Exists(newer)
    ).update(state=State.SUPERSEDED, ended_at=now, sending_since=None)


def release_database_connection():
    """Give a pooled connection back before the network call: a station may take the whole
    read timeout to answer, and the worker's other threads need the pool meanwhile."""
    if connection.settings_dict.get("OPTIONS", {}).get("pool") and not connection.in_atomic_block:
        connection.close()


def send(delivery, body):
    destination = delivery.destination
    if destination.transport == Destination.Transport.S3:
        return s3.send(
            destination,
            body,
            delivery.event,
            delivery.idempotency_key,
            delivery.article.uri,
            delivery.version,
        )
    return webhook.send(destination, body, delivery.event, delivery.idempotency_key)


def finish(claimed: Delivery, result: AttemptResult) -> NextStep:
    """Record one attempt's result on the row claimed for it; return the NextStep."""
    now = timezone.now()
    if result.outcome == DELIVERED:
        record_delivered(claimed, result, now)
        return NextStep(successor_ids(claimed))
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=claimed.pk)
        if delivery.state in (State.DELIVERED, State.CANCELED):
            return NextStep()  # an operator or a faster duplicate already closed it
        delivery.last_status = result.status
        delivery.last_error = result.error
        schedule_retry_or_fail(delivery, result, now)
        count_failure(delivery.station_id, now)
    if delivery.state == State.RETRYING:
        return NextStep((delivery.pk,), eta=delivery.next_attempt_at)
    return NextStep(successor_ids(delivery))


def record_delivered(delivery, result, now):
    # The common path: two statements and no transaction, each right on its own: the row
    # closes unless an operator closed it meanwhile; the station's run of failures ends.
    Delivery.objects.filter(pk=delivery.pk).exclude(
        state__in=[State.DELIVERED, State.CANCELED]
    ).update(
        state=State.DELIVERED,
        ended_at=now,
        sending_since=None,
        last_status=result.status,
        last_error="",
    )
    LiaisonStation.objects.filter(pk=delivery.station_id, consecutive_failures__gt=0).update(
        consecutive_failures=0
    )
    delivery.state, delivery.ended_at, delivery.last_status = State.DELIVERED, now, result.status
    return delivery


def schedule_retry_or_fail(delivery, result, now):
    newer = Delivery.objects.filter(
        destination_id=delivery.destination_id,
        article_id=delivery.article_id,
        version__gt=delivery.version,
    ).exists()
    if newer:
        end(delivery, State.SUPERSEDED, now)
        return
    delay = backoff(delivery.attempts)
    if result.retry_after is not None:
        delay = min(max(delay, result.retry_after), settings.STATION_PUSH_BACKOFF_MAX)
    give_up_at = delivery.created_at + timedelta(seconds=settings.STATION_PUSH_GIVE_UP_AFTER)
    if result.outcome == FAIL or now + timedelta(seconds=delay) > give_up_at:
        end(delivery, State.FAILED, now)
        return
    delivery.state = State.RETRYING
    delivery.sending_since = None
    delivery.next_attempt_at = now + timedelta(seconds=delay)
    delivery.save()


def backoff(attempts):
    """Exponential from BASE, doubling, capped at MAX, with "equal jitter" (half random)."""
    base = settings.STATION_PUSH_BACKOFF_BASE
    delay = min(settings.STATION_PUSH_BACKOFF_MAX, base * 2 ** max(0, attempts - 1))
    return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 (jitter, not crypto)


def end(delivery, state, now=None):
    delivery.state = state
    delivery.ended_at = now or timezone.now()
    delivery.sending_since = None
    delivery.save()


def count_failure(station_id, now):
    LiaisonStation.objects.filter(pk=station_id).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    limit = settings.STATION_PUSH_PAUSE_AFTER_FAILURES
    paused = LiaisonStation.objects.filter(
        pk=station_id, paused_at__isnull=True, consecutive_failures__gte=limit
    ).update(
        paused_at=now,
        pause_reason=_("Paused automatically after %(n)d failed attempts in a row") % {"n": limit},
    )
    if paused:
        logger.warning("Station %s paused after %d consecutive failures", station_id, limit)


def successor_ids(delivery: Delivery) -> tuple[int, ...]:
    """The next waiting version for the same station destination and article, if any.

    Read once the attempt's transaction has committed: the version it waited for has ended.
    """
    successor = (
        Delivery.objects.filter(
            destination_id=delivery.destination_id,
            article_id=delivery.article_id,
            version__gt=delivery.version,
            state__in=Delivery.WAITING_STATES,
        )
        .order_by("version")
        .values_list("pk", flat=True)
        .first()
    )
    return (successor,) if successor else ()


# --- lanes ---------------------------------------------------------------------------------
def in_backoff(delivery_ids: list[int]) -> set[int]:
    """Of these deliveries, those whose station is failing or slow: its last attempt failed,
    or one of its requests has been open longer than STATION_PUSH_SLOW_AFTER. They are sent
    by the backoff workers, so the healthy stations' threads never wait on them."""
    slow_since = timezone.now() - timedelta(seconds=settings.STATION_PUSH_SLOW_AFTER)
    hanging = Delivery.objects.filter(
        station_id=OuterRef("station_id"), state=State.SENDING, sending_since__lt=slow_since
    )
    return set(
        Delivery.objects.filter(pk__in=delivery_ids)
        .filter(Q(station__consecutive_failures__gt=0) | Exists(hanging))
        .values_list("pk", flat=True)
    )


# --- sweep, pause/resume, resend --------------------------------------------------------
def sweep(batch_size: int = 1000) -> list[int]:
    """Rows that are due or stuck in sending (these become retrying): the ids to queue."""
    now = timezone.now()
    stuck_before = now - timedelta(seconds=settings.STATION_PUSH_SENDING_TIMEOUT)
    stuck = list(
        Delivery.objects.filter(state=State.SENDING, sending_since__lt=stuck_before).values_list(
            "pk", flat=True
        )[:batch_size]
    )
    if stuck:
        # The worker that claimed these is gone (killed, or its host lost): try again now.
        Delivery.objects.filter(pk__in=stuck, state=State.SENDING).update(
            state=State.RETRYING,
            sending_since=None,
            next_attempt_at=now,
            last_error=_("The worker sending this delivery was lost; retrying."),
        )
    due_before = now - timedelta(seconds=settings.STATION_PUSH_SWEEP_GRACE)
    due = list(
        Delivery.objects.filter(
            state__in=Delivery.WAITING_STATES,
            next_attempt_at__lte=due_before,
            station__paused_at__isnull=True,
            station__is_active=True,
            destination__is_active=True,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    return list(dict.fromkeys(stuck + due))


def backlog(station):
    return Delivery.objects.filter(station=station, state__in=Delivery.WAITING_STATES).order_by(
        "created_at", "version", "pk"
    )


def replay(station_id: int) -> Iterator[NextStep]:
    """Send a resumed station's backlog in the order it was queued, one at a time.

    Yields each sent delivery's NextStep, for the caller to queue before the next is sent.
    """
    for delivery_id in backlog(station_id).values_list("pk", flat=True):
        if LiaisonStation.objects.filter(pk=station_id, paused_at__isnull=False).exists():
            break
        Delivery.objects.filter(pk=delivery_id).update(next_attempt_at=timezone.now())
        step = attempt(delivery_id)
        if step is not None:
            yield step


def pause_station(station, reason=""):
    LiaisonStation.objects.filter(pk=station.pk).update(
        paused_at=timezone.now(), pause_reason=reason or _("Paused by an operator")
    )


def unpause(station: LiaisonStation) -> None:
    LiaisonStation.objects.filter(pk=station.pk).update(
        paused_at=None, pause_reason="", consecutive_failures=0
    )


def reopen(deliveries: QuerySet[Delivery]) -> list[int]:
    """Failed or canceled deliveries waiting again (same idempotency key, a fresh 24 h);
    the ids to queue."""
    now = timezone.now()
    rows = deliveries.filter(state__in=[State.FAILED, State.CANCELED])
    # Only the newest version of each article per destination is worth sending again.
    ids = [
        row.pk
        for row in rows
        if not Delivery.objects.filter(
            destination_id=row.destination_id,
            article_id=row.article_id,
            version__gt=row.version,
        ).exists()
    ]
    Delivery.objects.filter(pk__in=ids).update(
        state=State.PENDING, next_attempt_at=now, created_at=now, ended_at=None, last_error=""
    )
    return ids
