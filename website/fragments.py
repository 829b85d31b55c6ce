"""HTML fragments (and a few small values) that many pages share, kept in the default cache.

The masthead and channel navigation, the language switcher, the footers, article cards,
an article's related block, a photo's <picture>: each is the same on every page (or every
request of one page) until an editor publishes, unpublishes, moves or deletes a page,
restricts one, or edits a station, a snippet, an image, a locale or a site. Every entry is
keyed under one *fragment version* that website/signal_handlers.py bumps after exactly
those commits, so a change shows on the next request. Entries also expire after
FRAGMENT_TIMEOUT, which bounds any staleness where the default cache is per process
(local memory in development) or a bump was lost (it is then retried, see
`bump_after_commit`).

What is cached is HTML or plain values (strings, ids), never model instances: a fragment
hit is one cache read and no SQL; everything a fragment needs is read on its miss only.
A preview never reads or stores one (`cacheable`).
"""

import hashlib
import logging
import time
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import translation

from cms.pending import record_pending, retry_pending

from .models import PendingFragmentBump

logger = logging.getLogger(__name__)

VERSION_KEY = "qiaoyin:frame:version"
FRAGMENT_TIMEOUT = 600  # seconds
# Wagtail names the rendition of a photo whose file is missing "not-found" (its
# get_renditions_or_not_found): HTML that shows one is served, never kept.
MISSING_FILE_MARK = "not-found"


def _fresh_version() -> int:
    # A version number never used before, even if the key was evicted and set again.
    return time.time_ns()


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        # add() keeps a version another process set meanwhile.
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        current = cache.get(VERSION_KEY) or _fresh_version()
    return current


def bump_version() -> bool:
    """Make every cached fragment stale. False when the cache did not take it (an outage:
    config/caches.py answers None rather than raising)."""
    try:
        return cache.incr(VERSION_KEY) is not None
    except ValueError:  # never set, or evicted: any fresh number is a new version
        return cache.add(VERSION_KEY, _fresh_version(), timeout=None) is not None


def bump_after_commit() -> None:
    """Bump once the change is committed (never inside the transaction: no Redis call may
    hold it open); a bump the cache did not take is recorded and retried by beat. One bump
    per commit, however many changes it holds (a publish sends several signals).

    Until then, renders on this connection (the rest of the publishing request, or a test,
    which runs in one transaction) key their fragments under a token of their own, so they
    see the uncommitted change and no other process ever reads what they store.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        bump_now()  # autocommit: the change is committed already
        return
    setattr(connection, UNCOMMITTED, _Uncommitted(connection.atomic_blocks[0], uuid4().hex))
    transaction.on_commit(_bump_once_committed, robust=True)


def _bump_once_committed() -> None:
    # The first of this commit's callbacks takes the mark and bumps; the others find it gone.
    if transaction.get_connection().__dict__.pop(UNCOMMITTED, None) is not None:
        bump_now()


class _Uncommitted(NamedTuple):
    outermost: object  # the transaction's outermost Atomic: the mark ends with it
    token: str


UNCOMMITTED = "_qiaoyin_uncommitted_fragments"


def _uncommitted_token() -> str:
    """The token of this connection's transaction with an uncommitted change, else ""."""
    connection = transaction.get_connection()
    mark = getattr(connection, UNCOMMITTED, None)
    blocks = connection.atomic_blocks
    if mark is None or not blocks or blocks[0] is not mark.outermost:
        return ""  # none, or its transaction has ended (committed, or rolled back)
    return mark.token


def bump_now() -> bool:
    if bump_version():
        return True
    logger.warning("Fragment version not bumped (cache down); retried once the cache is back")
    _record_pending()
    return False


def _record_pending() -> None:
    record_pending(PendingFragmentBump, "fragment-version bump")


def retry_pending_bumps() -> int:
    """Bump if a bump is pending; the number of pending bumps it settled."""
    return retry_pending(PendingFragmentBump, bump_version, "Fragment-version bump")


def request_version(request: HttpRequest | None) -> int:
    """The version, read once per request: each read is a round trip to Redis in
    production, and a page shows a dozen fragments."""
    if request is None:
        return version()
    if not hasattr(request, "_qiaoyin_fragment_version"):
        request._qiaoyin_fragment_version = version()
    return request._qiaoyin_fragment_version


def cacheable(request: HttpRequest | None) -> bool:
    """Fragments are for what readers see: never read or stored by a preview (a draft's
    picks, a page not yet saved)."""
    return not getattr(request, "is_preview", False)


def site_key(request: HttpRequest | None) -> str:
    """What a fragment's URLs depend on besides the language: the host they are relative to."""
    return request.get_host() if request is not None else ""


def cached(
    parts: tuple[Hashable, ...],
    build: Callable[[], tuple[Any, bool]],
    request: HttpRequest | None = None,
) -> Any:
    """The value `build` makes for `parts` (everything it depends on, the active language
    and the site added here), cached under the fragment version.

    build() returns (value, keep): keep is False for a value that must not outlive this
    request. HTML that shows a missing photo file is not kept either, so the photo appears
    once its file is back.
    """
    if not cacheable(request):
        return build()[0]
    parts = (*parts, translation.get_language(), site_key(request))
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"qiaoyin:frame:{request_version(request)}{_uncommitted_token()}:{digest}"
    value = cache.get(key)
    if value is None:
        value, keep = build()
        if keep and not (isinstance(value, str) and MISSING_FILE_MARK in value):
            cache.set(key, value, FRAGMENT_TIMEOUT)
    return value


def cached_html(parts: tuple[Hashable, ...], render: Callable[[], str], request=None) -> str:
    """cached() for HTML that is always worth keeping (render() -> html)."""
    return cached(parts, lambda: (render(), True), request)
