"""Index maintenance. The database (live pages) is the truth; the index follows it."""

from django.conf import settings

from celery import shared_task
from celery.utils.log import get_task_logger

from .documents import build_document, indexable_articles
from .engines import get_engine

logger = get_task_logger(__name__)

RETRY_DELAY_SECONDS = 10
MAX_RETRIES = 6
RECONCILE_BATCH = 200


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=RETRY_DELAY_SECONDS,
    max_retries=MAX_RETRIES,
)
def index_page(self, page_id):
    """Bring one page's entry in line with the page: indexed when live, gone otherwise.

    Idempotent: running it twice, or after a later change, leaves the same index.
    """
    page = indexable_articles().filter(pk=page_id).first()
    engine = get_engine()
    if page is None:
        engine.delete([page_id])
        logger.info("search: removed page %s", page_id)
        return "removed"
    engine.index([build_document(page)])
    logger.info("search: indexed page %s", page_id)
    return "indexed"


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=RETRY_DELAY_SECONDS,
    max_retries=MAX_RETRIES,
)
def remove_page(self, page_id):
    get_engine().delete([page_id])
    return "removed"


@shared_task(acks_late=True)
def reconcile_index():
    """Periodic sweep: index live articles the index lacks, drop entries of pages gone."""
    engine = get_engine()
    live_ids = set(indexable_articles().values_list("pk", flat=True))
    indexed_ids = engine.indexed_ids()
    missing = sorted(live_ids - indexed_ids)
    extra = sorted(indexed_ids - live_ids)
    for start in range(0, len(missing), RECONCILE_BATCH):
        pages = indexable_articles().filter(pk__in=missing[start : start + RECONCILE_BATCH])
        engine.index([build_document(page) for page in pages])
    if extra:
        engine.delete(extra)
    logger.info("search: reconciled, %s added, %s removed", len(missing), len(extra))
    return {"added": len(missing), "removed": len(extra)}


# A burst of dictionary edits in the admin is followed by one rebuild, a minute later.
DICTIONARY_REBUILD_DELAY_SECONDS = 60


@shared_task(acks_late=True)
def rebuild_index(locale=None):
    """Re-segment every article (after a user dictionary or synonym change)."""
    engine = get_engine()
    locales = [locale] if locale else [code for code, _name in settings.LANGUAGES]
    counts = {}
    for code in locales:
        documents = (build_document(page) for page in indexable_articles(code).iterator())
        counts[code] = engine.rebuild(code, documents)
    logger.info("search: rebuilt %s", counts)
    return counts
