"""A cache side effect of a change that failed while the cache was down, kept as a row (an
outage of the cache cannot lose it) and made again by beat once the cache answers.

The page cache's clear (cms/page_cache.py) and the fragments' version bump
(website/fragments.py) each keep their own rows; the bookkeeping is this module's.
"""

import logging
from collections.abc import Callable

from django.db import DatabaseError, models

logger = logging.getLogger(__name__)


def record_pending(model: type[models.Model], what: str, **fields) -> None:
    """A row of `model` for the retry; a database that is down too is logged, not raised."""
    try:
        model.objects.create(**fields)
    except DatabaseError:
        logger.exception("Could not record the %s to retry", what)


def retry_pending(model: type[models.Model], attempt: Callable[[], bool], what: str) -> int:
    """`attempt()` once if a row of `model` is pending; when it succeeds, the rows it settled
    are deleted and counted. Rows added after it began are newer changes: they keep their
    own retry."""
    latest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    if latest is None or not attempt():
        return 0
    settled, _ = model.objects.filter(pk__lte=latest).delete()
    logger.info("%s done after an outage (%d pending settled)", what, settled)
    return settled
