"""What the beacon learns about a read, without keeping anything that names the reader.

A visitor is sha256(daily salt, site, shortened address, user agent), as Plausible counts:
the salt is random, lives only in the cache and expires with its day, so yesterday's hashes
cannot be recomputed and no visitor is followed from one day to the next. Neither the address
nor the user agent is stored or logged: the raw record (in the cache for at most a minute)
carries the hash, and the fold turns it into a "seen today" flag that expires with the day.
"""

import hashlib
import ipaddress
import re
import secrets
from datetime import datetime, time, timedelta
from functools import cache as memoize
from functools import lru_cache
from time import monotonic

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

import iptocc
from crawlerdetect import CrawlerDetect

from .counters import reach_cache
from .models import BotPattern

BOT_PATTERNS_SECONDS = 60
# Verdicts per distinct user agent or address, in each process: a few thousand short strings
# (readers share a handful of browser builds; an address's country never changes in a run).
MEMO_SIZE = 4096
MARGIN = 3600  # keys of a day outlive its end by this much (a read at 23:59:59 still folds)
# Device classes from the user agent. No library: crawlerdetect handles bots, and three
# classes need only these tokens (the ones browsers document for "mobile" and "tablet").
TABLET = re.compile(r"iPad|Tablet|Kindle|Silk|PlayBook|Android(?!.*Mobile)", re.IGNORECASE)
MOBILE = re.compile(r"Mobi|iPhone|iPod|Android|Windows Phone|HarmonyOS", re.IGNORECASE)


def seconds_left_in(day):
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return max(1, int((end - timezone.now()).total_seconds())) + MARGIN


# This process's copy of today's salt (one string, dropped when the day changes): the salt
# never changes within its day, and the beacon saves two cache round trips a read.
_salt = {}


def daily_salt(day):
    key = f"reach:salt:{day.isoformat()}"
    if key not in _salt:
        cache = reach_cache()
        cache.add(key, secrets.token_hex(16), seconds_left_in(day))
        _salt.clear()
        _salt[key] = cache.get(key)
    return _salt[key]


@lru_cache(maxsize=MEMO_SIZE)
def shortened_address(address):
    """The network, not the host: /24 for IPv4, /48 for IPv6."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def visitor_hash(day, site, address, user_agent):
    material = "|".join([daily_salt(day), site, shortened_address(address), user_agent])
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def rate_client(address):
    """The name of a client's rate window: keyed by today's salt, so the address itself is
    not in the cache either."""
    salt = daily_salt(timezone.localdate())
    return hashlib.blake2b(address.encode(), key=salt.encode()[:64], digest_size=12).hexdigest()


def seen_key(day, page_id, visitor):
    return f"reach:seen:{day}:{page_id}:{visitor}"


@memoize
def _crawler_detect():
    return CrawlerDetect()


# The admin's patterns, as text, for BOT_PATTERNS_SECONDS in each process (an edit reaches
# every process within that time; this one at once).
_bot_patterns = {"until": 0.0, "patterns": []}


def bot_patterns():
    if monotonic() >= _bot_patterns["until"]:
        patterns = [p.lower() for p in BotPattern.objects.values_list("pattern", flat=True)]
        _bot_patterns.update(patterns=patterns, until=monotonic() + BOT_PATTERNS_SECONDS)
    return _bot_patterns["patterns"]


def forget_bot_patterns():
    _bot_patterns["until"] = 0.0


def is_bot(user_agent):
    if not user_agent.strip():
        return True
    lowered = user_agent.lower()
    if any(pattern in lowered for pattern in bot_patterns()):
        return True
    # crawlerdetect memoises its verdict per agent (an LRU of its own)
    return _crawler_detect().isCrawler(user_agent)


@lru_cache(maxsize=MEMO_SIZE)
def device_class(user_agent):
    if TABLET.search(user_agent):
        return "tablet"
    if MOBILE.search(user_agent):
        return "mobile"
    return "desktop"


@memoize
def _geoip_reader(path):
    try:
        import geoip2.database
    except ImportError as error:
        raise ImproperlyConfigured(
            "REACH_GEOIP_DATABASE is set: install geoip2 to read the GeoLite2 file."
        ) from error
    return geoip2.database.Reader(path)


def country_of(address):
    """ISO 3166 code from an offline database (no network lookup); "" when unknown."""
    return _country_in(settings.REACH_GEOIP_DATABASE, address)


@lru_cache(maxsize=MEMO_SIZE)
def _country_in(path, address):
    if path:
        reader = _geoip_reader(path)  # says what to install when geoip2 is missing
        import geoip2.errors

        try:
            return reader.country(address).country.iso_code or ""
        except (ValueError, geoip2.errors.AddressNotFoundError):
            return ""  # no address, or a private or unassigned one
    return iptocc.country_code(address) or ""
