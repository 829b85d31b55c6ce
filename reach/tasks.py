from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from celery import shared_task
from celery.utils.log import get_task_logger

from . import rollup
from .counters import reach_cache
from .models import ArticleDay, ArticleDayBreakdown, PullDay, StationReport

logger = get_task_logger(__name__)


@shared_task
def fold_reach():
    """Every minute (beat): the cache's raw counts into daily rows."""
    folded = rollup.fold()
    forget_past_salts()
    if folded:
        logger.info("reach: folded %s records", folded)
    return folded


def forget_past_salts():
    """Yesterday's salt goes as soon as the day is over (its expiry would also remove it),
    so no hash of a past day can be recomputed."""
    today = timezone.localdate()
    reach_cache().delete_many(
        [f"reach:salt:{(today - timedelta(days=n)).isoformat()}" for n in (1, 2)]
    )


@shared_task
def prune_reach():
    """Daily: rollups older than REACH_ROLLUP_RETENTION_DAYS (0 keeps them for good)."""
    days = settings.REACH_ROLLUP_RETENTION_DAYS
    if not days:
        return 0
    before = timezone.localdate() - timedelta(days=days)
    deleted = 0
    for model in (ArticleDay, ArticleDayBreakdown, PullDay, StationReport):
        deleted += model.objects.filter(day__lt=before).delete()[0]
    logger.info("reach: pruned %s rollup rows before %s", deleted, before)
    return deleted
