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
"""

import time
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import translation

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, PageViewRestriction

VERSION_KEY = "qiaoyin:frame:version"
FRAME_TIMEOUT = 600  # seconds


@dataclass
class LocaleFrame:
    """One language edition's navigation and station footer."""

    channels: list = field(default_factory=list)  # live, public ChannelPages under its home
    stations: list = field(default_factory=list)  # [(LiaisonStation, country name)]


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


def _cached(key, build, request):
    memo = request.__dict__.setdefault("_qiaoyin_frame", {}) if request is not None else {}
    if key not in memo:
        full_key = f"qiaoyin:frame:{version()}:{key}"
        value = cache.get(full_key)
        if value is None:
            value = build()
            cache.set(full_key, value, FRAME_TIMEOUT)
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


def _read_restricted_paths():
    return tuple(sorted(PageViewRestriction.objects.values_list("page__path", flat=True)))


def _read_live_homes():
    from cms.models import HomePage

    homes = HomePage.objects.live().select_related("locale").order_by("path")
    return {home.locale.language_code: home for home in homes}


def _build_locale_frame(language_code):
    from cms.models import ChannelPage, Country
    from stations.models import LiaisonStation

    home = live_homes().get(language_code)
    channels = []
    if home is not None:
        channels = [
            channel
            for channel in ChannelPage.objects.child_of(home).live().order_by("path")
            if is_public(channel)
        ]
    stations = list(LiaisonStation.objects.filter(is_active=True).select_related("country"))
    keys = {station.country.translation_key for station in stations if station.country}
    names = dict(
        Country.objects.filter(
            translation_key__in=keys, locale__language_code=language_code
        ).values_list("translation_key", "name")
    )
    return LocaleFrame(
        channels=channels,
        stations=[
            (station, names.get(station.country.translation_key, station.country.name))
            if station.country
            else (station, "")
            for station in stations
        ],
    )


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
