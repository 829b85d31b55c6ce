"""Clearing the anonymous page cache after a change, and again once the cache is back.

A publish changes the home page, channel lists, tag pages and feeds of its locale, so the
whole page cache goes (only its own keys: config/caches.py). The clear runs after the
commit, never inside the publishing transaction; a cache outage then is logged and leaves
a PendingPageCacheClear row, and beat (cms.tasks.retry_page_cache_clears) clears again
when the cache answers, so no reader is served the page as it was before the change.
"""

import logging

from django.db import transaction

from wagtailcache.cache import clear_cache

from .models import PendingPageCacheClear
from .pending import record_pending, retry_pending

logger = logging.getLogger(__name__)


def clear_after_commit() -> None:
    # robust: whatever happens here, the other after-commit side effects still run.
    transaction.on_commit(clear_now, robust=True)


def clear_now() -> bool:
    """Clear the page cache; on failure record it for the retry. Whether it was cleared."""
    try:
        clear_cache()
    except Exception as error:  # any cache failure: the change itself is stored
        logger.warning("Page cache not cleared (%s); retried once the cache is back", error)
        _record_pending(error)
        return False
    return True


def _record_pending(error: Exception) -> None:
    record_pending(PendingPageCacheClear, "page-cache clear", error=str(error)[:500])


def retry_pending_clears() -> int:
    """Clear the cache if a clear is pending; the number of pending clears it settled."""
    return retry_pending(PendingPageCacheClear, _clear_again, "Page-cache clear")


def _clear_again() -> bool:
    try:
        clear_cache()
    except Exception as error:  # still down: the rows stay for the next run
        logger.warning("Pending page-cache clear still failing (%s)", error)
        return False
    return True
