"""Redis caches that keep out of the broker's way, and the rule that keeps them apart.

Django's own RedisCache (and django-redis) clear a cache with FLUSHDB: every key of the
Redis database goes, whatever the cache's KEY_PREFIX, including a Celery broker's queued
messages and kombu's unacked hash when they share the database. PrefixScopedRedisCache
clears only the keys under its own prefix. A Redis outage is a cache miss, never an error
page: reads and writes fail quietly (logged); only clear() raises, so that whoever cleared
knows it did not happen and can try again (cms/page_cache.py).
"""

from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from django_redis.util import CacheKey
from redis.connection import parse_url

BACKEND = "config.caches.PrefixScopedRedisCache"
CLEAR_SCAN_BATCH = 500  # keys per SCAN call while clearing: one round trip per batch
# Seconds before a cache call gives up on a Redis that does not answer: an outage costs a
# page view this much at most (then it is a cache miss).
SOCKET_TIMEOUT = 1.0


class PrefixScopedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        if not self.key_prefix:
            raise ImproperlyConfigured(
                f"The Redis cache at {server} needs a KEY_PREFIX: its clear() deletes only "
                "the keys under its own prefix."
            )

    def clear(self):
        """Delete this cache's keys (any version), by SCAN: never the rest of the database.

        Not quiet on an outage, unlike the other calls: the caller records the clear as
        pending and retries it when Redis is back.
        """
        pattern = CacheKey(f"{_glob_escape(self.key_prefix)}:*")
        try:
            self.client.delete_pattern(pattern, itersize=CLEAR_SCAN_BATCH)
        except ConnectionInterrupted as error:
            raise error.__cause__ from None


def _glob_escape(text):
    return "".join(f"[{char}]" if char in "*?[]" else char for char in text)


def redis_cache(url, prefix, timeout=300):
    """A CACHES entry: the prefix-scoped Redis cache at `url`, quiet during an outage."""
    return {
        "BACKEND": BACKEND,
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "TIMEOUT": timeout,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": SOCKET_TIMEOUT,
            "SOCKET_TIMEOUT": SOCKET_TIMEOUT,
        },
    }


# --- the broker beside the caches ------------------------------------------------------------
def next_database_url(redis_url):
    """The same Redis server, the next database number (db 0 → 1): the broker's default."""
    parts = urlsplit(redis_url)
    database = redis_database(redis_url)[2]
    return urlunsplit(parts._replace(path=f"/{database + 1}", query=_without_db(parts.query)))


def _without_db(query):
    return "&".join(item for item in query.split("&") if item and not item.startswith("db="))


def redis_database(url):
    """(host or socket path, port, database number) of a redis:// URL, or None."""
    if url.split("://", 1)[0] not in ("redis", "rediss", "unix"):
        return None
    parsed = parse_url(url)
    host = parsed.get("path") or parsed.get("host", "localhost")
    return host, parsed.get("port", 6379), int(parsed.get("db", 0))


def check_broker_apart_from_caches(broker_url, caches):
    """ImproperlyConfigured when the broker uses a Redis database that a cache uses too.

    Clearing one of our caches deletes only its keys, but any other clear of that database
    (Django's RedisCache, `redis-cli FLUSHDB`, a cache library) takes every queued task
    with it, so production keeps the broker on its own database.
    """
    broker = redis_database(broker_url)
    if broker is None:
        return
    for alias, cache in caches.items():
        locations = cache.get("LOCATION", "")
        for location in [locations] if isinstance(locations, str) else locations:
            if redis_database(location) == broker:
                host, port, database = broker
                raise ImproperlyConfigured(
                    f"CELERY_BROKER_URL uses Redis database {database} on {host}:{port}, "
                    f"which the cache {alias!r} uses too: a clear of that cache would delete "
                    "the queued tasks. Give the broker its own database (leave "
                    "CELERY_BROKER_URL unset to use REDIS_URL's next one, e.g. "
                    f"redis://{host}:{port}/{database + 1})."
                )
