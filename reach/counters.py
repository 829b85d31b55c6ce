"""Raw counts in the cache: one list of records per minute, folded into rollups every minute.

The beacon must never wait on PostgreSQL, so it appends to the cache (settings.REACH_CACHE:
Redis in production, the embedded default's own cache otherwise). On Redis a minute is one
list (RPUSH, and a MULTI'd LRANGE+DEL to drain it); on any other Django cache it is a sequence
counter plus one entry per record (Django's cache API has no list type). Every raw key expires
within RAW_TTL, so no raw count outlives a day even if the rollup task never runs.
"""

import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

RAW_TTL = 24 * 3600
HITS = "reach:hits:{minute}"
FOLDED_THROUGH = "reach:folded-through"


def reach_cache():
    return caches[settings.REACH_CACHE]


def current_minute(now=None):
    return int((now or time.time()) // 60)


def store():
    cache = reach_cache()
    return RedisStore(cache) if isinstance(cache, RedisCache) else CacheStore(cache)


class RedisStore:
    def __init__(self, cache):
        self.cache = cache
        self.client = cache._cache.get_client(write=True)

    def _key(self, minute):
        return self.cache.make_and_validate_key(HITS.format(minute=minute))

    def push(self, minute, record):
        key = self._key(minute)
        with self.client.pipeline(transaction=False) as pipe:
            pipe.rpush(key, record)
            pipe.expire(key, RAW_TTL)
            pipe.execute()

    def first_seen(self, keys, ttls):
        """For each key, whether it was new (SET NX EX, one round trip for all)."""
        with self.client.pipeline(transaction=False) as pipe:
            for key, ttl in zip(keys, ttls, strict=True):
                pipe.set(self.cache.make_and_validate_key(key), 1, nx=True, ex=ttl)
            return [bool(result) for result in pipe.execute()]

    def drain(self, minute):
        key = self._key(minute)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.lrange(key, 0, -1)
            pipe.delete(key)
            records, _deleted = pipe.execute()
        return [record.decode() for record in records]


class CacheStore:
    """Any Django cache. On the file cache two processes can race on the sequence number;
    the embedded default serves one machine's readers, where that loss is negligible."""

    BATCH = 500

    def __init__(self, cache):
        self.cache = cache

    def push(self, minute, record):
        sequence = HITS.format(minute=minute)
        self.cache.add(sequence, 0, RAW_TTL)
        number = self.cache.incr(sequence)
        self.cache.set(f"{sequence}:{number}", record, RAW_TTL)

    def first_seen(self, keys, ttls):
        return [self.cache.add(key, 1, ttl) for key, ttl in zip(keys, ttls, strict=True)]

    def drain(self, minute):
        sequence = HITS.format(minute=minute)
        count = self.cache.get(sequence) or 0
        records = []
        for start in range(1, count + 1, self.BATCH):
            keys = [f"{sequence}:{n}" for n in range(start, min(start + self.BATCH, count + 1))]
            records.extend(self.cache.get_many(keys).values())
            self.cache.delete_many(keys)
        self.cache.delete(sequence)
        return records


def pending_minutes(now_minute):
    """Minutes not folded yet, the current one left to fill (a hit stamped 12:00:59 may land
    a moment later). Without a marker (a fresh or restarted cache), the last RAW_TTL."""
    folded = reach_cache().get(FOLDED_THROUGH)
    first = now_minute - RAW_TTL // 60 if folded is None else folded + 1
    return range(max(first, now_minute - RAW_TTL // 60), now_minute)


def mark_folded(minute):
    reach_cache().set(FOLDED_THROUGH, minute, None)
