"""The site frame's data (language editions, channel navigation, liaison stations), cached.

Every public page shows the same masthead, navigation, language homes and station footer
for its language; reading them costs about ten queries. They change only when an editor
publishes, unpublishes, moves or deletes a page, restricts one, or edits a station, a
country, a locale or a site, so they are kept in the default cache under a version number
that website/signal_handlers.py bumps on exactly those events (and the next request of
each language rebuilds them). Entries also expire after FRAME_TIMEOUT, which bounds any
staleness where the default cache is per process (local memory in development).

Django's {% cache %} tag would store HTML, but the navigation marks the current channel
and URLs depend on the request's site, so the data (model instances) is cached instead.
The same version also keeps the URLs of homes and channels (per site and language) and
the article cards that many pages show (article_cards). Each process keeps its own copies
of the entries it has read under the current version (_ProcessCopies); the version itself
is read from the shared cache once per request.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import translation

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, PageViewRestriction, Site

VERSION_KEY = "qiaoyin:frame:version"
FRAME_TIMEOUT = 600  # seconds
PROCESS_ENTRIES = 2000  # frame entries a process keeps unpickled (see _ProcessCopies)


@dataclass
class LocaleFrame:
    """One language edition's navigation and station footer."""

    channels: list = field(default_factory=list)  # live, public ChannelPages under its home
    stations: list = field(default_factory=list)  # [stations.listing.StationListing]


VERSION_MEMO_KEY = "__version__"  # in a request's memo: never a frame entry's key


def _fresh_version():
    # A version number never used before, even if the key was evicted and set again.
    return time.time_ns()


def version():
    current = cache.get(VERSION_KEY)
    if current is None:
        # add() keeps a version another process set meanwhile.
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        current = cache.get(VERSION_KEY) or _fresh_version()
    return current


def bump_version():
    """Forget every cached frame: the next request of each language rebuilds its own."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # never set, or evicted
        cache.set(VERSION_KEY, _fresh_version(), timeout=None)


# The request being served (FrameRequestMiddleware), for the frame reads made during it by
# code that has no request at hand (a template filter, a model property): they too read the
# version once per request, which is a round trip to the shared cache each time.
_serving = ContextVar("qiaoyin_serving_request", default=None)


class FrameRequestMiddleware:
    """Makes the request being served known to the frame for as long as it is served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _serving.set(request)
        try:
            return self.get_response(request)
        finally:
            _serving.reset(token)


def _request_memo(request, name="frame"):
    """A dict kept on the request (else the request being served) for the `name` values
    worked out once per request; a new one, forgotten at once, outside any request."""
    if request is None:
        request = _serving.get()
    return request.__dict__.setdefault(f"_qiaoyin_{name}", {}) if request is not None else {}


def once_per_request(request, name, key, compute):
    """compute() the first time (name, key) is asked for during `request`, then the same
    value; computed on every call without a request."""
    memo = _request_memo(request, name)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def request_version(request=None):
    """The frame version, read once per request: each read is a cache round trip (Redis in
    production), and a page asks for a dozen frame entries."""
    return once_per_request(request, "frame", VERSION_MEMO_KEY, version)


class _ProcessCopies:
    """The frame entries this process has read, kept as objects, for the current version.

    Every entry is keyed under the frame version, which each request reads from the shared
    cache: an entry read under this version is what the shared cache still holds, so the
    process may keep its own copy instead of fetching and unpickling it again on each
    request (seven entries and a few dozen cards, photos and snippets per page: in local
    memory that is pickle.loads, on Redis a round trip as well). A new version drops them
    all; entries also expire after FRAME_TIMEOUT, as in the shared cache, and the oldest
    go first past PROCESS_ENTRIES. The objects are shared by the process's requests (and
    its threads), so code must treat what the frame returns as read-only; memos that are
    the same for every request under one version are fine (routing sets a channel's
    parent, and Wagtail its view restrictions, on the cached channel).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._version = None
        self._entries = OrderedDict()  # key: (expires, value)

    def get_many(self, keys):
        now = time.monotonic()
        found = {}
        with self._lock:
            for key in keys:
                entry = self._entries.get(key)
                if entry is not None and entry[0] > now:
                    found[key] = entry[1]
        return found

    def set_many(self, version, values):
        expires = time.monotonic() + FRAME_TIMEOUT
        with self._lock:
            if self._version is None or version > self._version:
                self._version, self._entries = version, OrderedDict()
            elif version < self._version:
                return  # read by a request that began before the last change: not kept
            for key, value in values.items():
                self._entries[key] = (expires, value)
                self._entries.move_to_end(key)
            while len(self._entries) > PROCESS_ENTRIES:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._version, self._entries = None, OrderedDict()


_process_copies = _ProcessCopies()


def forget_process_copies():
    """Drop this process's copies of frame entries; the shared cache keeps its own."""
    _process_copies.clear()


def _get_many(version, keys):
    """{key: value} of the frame entries found under `version`: this process's copies
    first, then the shared cache (whose answers the process keeps)."""
    found = _process_copies.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        fetched = cache.get_many(missing)
        _process_copies.set_many(version, fetched)
        found.update(fetched)
    return found


def _set_many(version, values):
    cache.set_many(values, FRAME_TIMEOUT)
    _process_copies.set_many(version, values)


def _cached(key, build, request):
    memo = _request_memo(request)
    if key not in memo:
        current = request_version(request)
        full_key = f"qiaoyin:frame:{current}:{key}"
        value = _get_many(current, [full_key]).get(full_key)
        if value is None:
            value = build()
            _set_many(current, {full_key: value})
        memo[key] = value
    return memo[key]


def locale_codes(request=None):
    """{locale id: language code} of every Locale."""
    return _cached(
        "locales", lambda: dict(Locale.objects.values_list("id", "language_code")), request
    )


def restricted_paths(request=None):
    """Tree paths of the pages that carry a view restriction (their subtrees are private)."""
    return _cached("restricted", _read_restricted_paths, request)


def is_public(page, request=None):
    paths = restricted_paths(request)
    return not (paths and page.path.startswith(paths))


def live_homes(request=None):
    """{language code: live HomePage} of every edition."""
    return _cached("homes", _read_live_homes, request)


def languages_with_news(request=None):
    """The language codes whose edition has at least one live article (the switcher offers
    only those): changes only on publish and unpublish, which bump the version."""
    return _cached("with_news", _read_languages_with_news, request)


def footer_pages(language_code, request=None):
    """The edition's about, contact and copyright pages (website/article_extras.py)."""

    def build():
        from .article_extras import footer_pages as read_footer_pages

        home = live_homes(request).get(language_code)
        return read_footer_pages(home) if home is not None else []

    return _cached(f"footer:{language_code}", build, request)


def locale_frame(language_code, request=None):
    return _cached(f"locale:{language_code}", lambda: _build_locale_frame(language_code), request)


def nav_channel(home, slug, request=None):
    """The live, public channel `slug` under `home`, from the cached navigation, else None."""
    language_code = locale_codes(request).get(home.locale_id)
    if language_code is None:
        return None
    for channel in locale_frame(language_code, request).channels:
        if channel.slug == slug and channel.path[: -channel.steplen] == home.path:
            return channel
    return None


def page_url(page, request):
    """page.get_url(request), from the cache for the frame's pages (homes and channels).

    Every page links to its edition's home several times, to the seven other homes and to
    each channel; Wagtail works each URL out again every time (a reverse() under a language
    override). A URL depends on the page, the request's site and the active language, so
    the map is cached per site and language; any other page is asked as usual.
    """
    url = _frame_urls(request).get(page.pk) if request is not None else None
    return url if url is not None else page.get_url(request)


def _frame_urls(request):
    site = Site.find_for_request(request)  # Wagtail keeps it on the request
    language = translation.get_language() or ""
    key = f"urls:{site.pk if site else 0}:{language}"
    return _cached(key, lambda: _build_frame_urls(language, request), request)


def _build_frame_urls(language, request):
    homes = list(live_homes(request).values())
    try:
        code = get_supported_content_language_variant(language)
    except LookupError:
        code = None
    channels = locale_frame(code, request).channels if code in live_homes(request) else []
    return {page.pk: page.get_url(request) for page in homes + channels}


def article_cards(ids, request=None):
    """The live, public articles among `ids`, in that order, as ArticlePages with their card
    fields (an id that is not one is left out).

    A card (title, kicker, summary, date, cover image) is model data that many pages show:
    the home, channels, tag and author pages, every article that picks it as related. It
    changes only when its article is published, unpublished, moved or deleted, or a view
    restriction or image changes, and each of those bumps the frame version, so cards are
    cached under it like the navigation. This caches what pages are built from, not the
    pages: each article page still reads its own row and its own picks.
    """
    current = request_version(request)
    keys = {pk: f"qiaoyin:frame:{current}:card:{pk}" for pk in ids}
    found = _get_many(current, list(keys.values()))
    cards = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in keys if pk not in cards]
    if missing:
        loaded = _read_cards(missing, request)
        cards.update(loaded)
        _set_many(current, {keys[pk]: card for pk, card in loaded.items()})
    # NOT_SHOWN remembers an id that is not (or no longer) a live, public article.
    return [cards[pk] for pk in ids if cards.get(pk, NOT_SHOWN) != NOT_SHOWN]


NOT_SHOWN = 0


def shared_html(parts, build, request=None):
    """HTML (or a URL) made only from shared model data (a photo's renditions, an article's
    card), cached under the frame version: `parts` is everything it depends on, `build`
    makes it on a miss.

    A cover photo's <picture> (twelve renditions, their URLs and srcsets) is the same on the
    article, its card on the home and channel pages and every article that picks it; so is
    the card. Saving or deleting an image, or deleting a rendition, bumps the version
    (website/signal_handlers.py), as publishing does. Never for anything an article page's
    own fields shape. `build` returns (html, keep): keep is False for HTML that must not
    outlive this request (a photo whose file is missing renders placeholders until someone
    fixes it), and HTML built around such a fragment is not kept either.
    """
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    current = request_version(request)
    key = f"qiaoyin:frame:{current}:html:{digest}"
    html = _get_many(current, [key]).get(key)
    if html is None:
        unkept = _unkept_fragments.get()
        inner = _unkept_fragments.set([])
        try:
            html, keep = build()
            keep = keep and not _unkept_fragments.get()
        finally:
            _unkept_fragments.reset(inner)
        if keep:
            _set_many(current, {key: html})
        elif unkept is not None:
            unkept.append(key)  # the fragment being built around this one is not kept
    return html


# Fragments left out of the cache while the enclosing shared_html was building (None at
# the top level, where nothing encloses them).
_unkept_fragments = ContextVar("qiaoyin_unkept_fragments", default=None)


def shared_objects(wanted, request=None):
    """{model: {pk: instance}} for wanted = [(model, ids)], with one cache round trip.

    For snippets and images that many articles share (bylines, tags, countries, sources,
    cover photos): reading them by id from the cache costs a fraction of building an ORM
    join for every page. The frame version is bumped whenever one of them is saved or
    deleted (website/signal_handlers.py); an id found nowhere is simply left out.
    """
    current = request_version(request)
    keys = {
        (model, pk): f"qiaoyin:frame:{current}:{model._meta.label_lower}:{pk}"
        for model, ids in wanted
        for pk in ids
        if pk is not None
    }
    found = _get_many(current, list(keys.values()))
    result = {model: {} for model, _ids in wanted}
    missing = {}
    for (model, pk), key in keys.items():
        if key in found:
            result[model][pk] = found[key]
        else:
            missing.setdefault(model, []).append(pk)
    fresh = {}
    for model, ids in missing.items():
        for instance in model._default_manager.filter(pk__in=ids):
            result[model][instance.pk] = instance
            fresh[keys[(model, instance.pk)]] = instance
    if fresh:
        _set_many(current, fresh)
    return result


def _read_cards(ids, request):
    from cms.models import CARD_FIELDS, ArticlePage

    articles = ArticlePage.objects.live().filter(pk__in=ids)
    cards = dict.fromkeys(ids, NOT_SHOWN)
    for article in articles.select_related("cover_image").only(*CARD_FIELDS):
        if is_public(article, request):
            cards[article.pk] = article
    return cards


def _read_restricted_paths():
    return tuple(sorted(PageViewRestriction.objects.values_list("page__path", flat=True)))


def _read_languages_with_news():
    from cms.models import ArticlePage

    live = ArticlePage.objects.live().values_list("locale__language_code", flat=True)
    return frozenset(live.distinct().order_by())


def _read_live_homes():
    from cms.models import HomePage

    homes = HomePage.objects.live().select_related("locale").order_by("path")
    return {home.locale.language_code: home for home in homes}


def _build_locale_frame(language_code):
    from cms.models import ChannelPage
    from stations.listing import stations_for_readers

    home = live_homes().get(language_code)
    channels = []
    if home is not None:
        channels = [
            channel
            for channel in ChannelPage.objects.child_of(home).live().order_by("path")
            if is_public(channel)
        ]
    return LocaleFrame(channels=channels, stations=stations_for_readers(language_code))


def active_locale_id(request=None):
    """The id of the active language's Locale (what Locale.get_active() returns), no query."""
    try:
        code = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return None
    for locale_id, language_code in locale_codes(request).items():
        if language_code == code:
            return locale_id
    return None
