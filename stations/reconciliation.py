"""The sweep's reconciliation: a live article revision the ledger never recorded is
distributed, with a log line and a counter on the delivery dashboard.

Every publish writes its ledger version in the publishing transaction (stations/outbox.py,
cms/publishing.py), so this finds only what went around that path: a revision made live by
hand or by a script without Wagtail's signals, a receiver disconnected, a restore of some
tables. Beat runs it every minute, beside the delivery sweep that then sends the rows.
"""

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery

from wagtail.models import Page

from celery import shared_task
from celery.utils.log import get_task_logger

from cms.models import ArticlePage

from .models import ArticleVersion, DistributedArticle
from .outbox import record_publish

logger = get_task_logger(__name__)
RECONCILE_BATCH = 100  # articles distributed per run; the next run takes the rest
Event = ArticleVersion.Event


@shared_task(acks_late=True, ignore_result=True)
def reconcile_ledger():
    versions = reconcile_live_revisions()
    if versions:
        logger.warning("Reconciliation distributed %d missed live revisions", len(versions))


def undistributed_live_articles():
    """Live articles whose live revision the ledger does not have as its newest version
    (no version at all, a version of another revision, or a takedown).

    Every publish writes a version in the publishing transaction, so these come only from
    something outside that path (a revision made live by hand, a receiver disconnected, a
    restore of one table): the sweep distributes them.
    """
    newest = ArticleVersion.objects.filter(article__uri=OuterRef("uri")).order_by("-version")
    return (
        ArticlePage.objects.filter(live=True, live_revision__isnull=False)
        .exclude(uri="")
        .annotate(
            ledger_revision=Subquery(newest.values("revision_id")[:1]),
            ledger_event=Subquery(newest.values("event")[:1]),
        )
        .filter(
            Q(ledger_revision__isnull=True)
            | ~Q(ledger_revision=F("live_revision_id"))
            | Q(ledger_event=Event.CANCELED)
        )
    )


def reconcile_live_revisions(limit=RECONCILE_BATCH):
    """Distribute each live revision the ledger missed; the versions written."""
    missed = undistributed_live_articles().order_by("pk").values_list("pk", flat=True)
    return [version for pk in list(missed[:limit]) if (version := distribute_missed(pk))]


def distribute_missed(page_id):
    """The missed live revision of one article, as a new version (None if no longer missed).

    The page row is locked first, as a publish locks it, so a publish committing meanwhile
    is seen here and its revision is not recorded twice.
    """
    with transaction.atomic():
        if not Page.objects.select_for_update().filter(pk=page_id).exists():
            return None
        article = undistributed_live_articles().filter(pk=page_id).first()
        if article is None:
            return None
        revision = article.live_revision
        deliveries = record_publish(article, revision, reconciled=True)
        distributed = DistributedArticle.objects.get(uri=article.uri)
        logger.warning(
            "Reconciliation: live revision %s of article %s (%r) had no ledger version; "
            "distributed as version %d to %d destinations",
            revision.pk,
            article.pk,
            article.title,
            distributed.current_version,
            len(deliveries),
        )
        return distributed.versions.get(version=distributed.current_version)
