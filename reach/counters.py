"""Raw counts in the cache: one list of records per minute, folded into rollups every minute.

The beacon must never wait on PostgreSQL, so it appends to the cache (settings.REACH_CACHE:
Redis in production, the embedded default's own cache otherwise). On Redis a minute is one
list (RPUSH, and a MULTI'd LRANGE+DEL to drain it); on any other Django cache it is a sequence
counter plus one entry per record (Django's cache API has no list type). Every raw key expires
within RAW_TTL, so no raw count outlives a day even if the rollup task never runs.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

import redis.exceptions

RAW_TTL = 24 * 3600
HITS = "reach:hits:{minute}"
FOLDED_THROUGH = "reach:folded-through"
RATE = "reach:rate:{window}:{client}"
PAGE_LANGUAGE = "reach:page:{page_id}"
# Written when an edition is published, unpublished, deleted or its view restrictions change
# (signal_handlers), so a beacon never has to ask the database; a day bounds what a missed
# signal (a cache outage at that moment) can leave wrong.
PAGE_LANGUAGE_SECONDS = 24 * 3600
NOT_LIVE = "-"
# What one beacon asks of the cache (Read.verdict): over the rate, an id the cache does not
# know yet (the beacon asks the database once and remembers), no live article, or done.
LIMITED, UNKNOWN, NOT_AN_ARTICLE, ACCEPTED = "limited", "unknown", "not-live", "accepted"

# One beacon, one Redis round trip: the rate window's counter, the page's language and the
# push of the record happen in one script (the record needs the language, which only the
# cache knows; a pipeline could not make the push depend on it).
BEACON_SCRIPT = """
local used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if used > tonumber(ARGV[1]) then return 'limited' end
local language = redis.call('GET', KEYS[2])
if not language then return 'unknown' end
if language == ARGV[7] then return 'not-live' end
if ARGV[3] == '1' then
  redis.call('RPUSH', KEYS[3], ARGV[4] .. language .. ARGV[5])
  redis.call('EXPIRE', KEYS[3], ARGV[6])
end
return 'accepted'
"""
# Redis names a script by its SHA-1 (EVALSHA sends the name, not the script).
BEACON_SCRIPT_SHA = hashlib.sha1(BEACON_SCRIPT.encode()).hexdigest()  # noqa: S324


def reach_cache():
    return caches[settings.REACH_CACHE]


def current_minute(now=None):
    return int((now or time.time()) // 60)


def page_language_key(page_id):
    return PAGE_LANGUAGE.format(page_id=page_id)


class Read:
    """One beacon as the cache sees it: who sends it (a hashed client address, for the rate
    window), which page, and the record to push around the page's language, or None when the
    read is not counted (Do Not Track, a bot) but must still be checked."""

    def __init__(self, client, page_id, head, tail, limit, window):
        self.client, self.page_id, self.head, self.tail = client, page_id, head, tail
        self.limit, self.window = limit, window
        self.rate_key = RATE.format(window=int(time.time() // window), client=client)

    def record(self, language):
        return f"{self.head}{language}{self.tail}"


def store():
    cache = reach_cache()
    return RedisStore(cache) if isinstance(cache, RedisCache) else CacheStore(cache)


# Django's Redis cache builds a new client object (with its ~170 response callbacks) on every
# call, which cost the beacon more than its round trip: one client per connection pool here.
_clients = {}


def redis_client(cache):
    pool = cache._cache._get_connection_pool(write=True)
    if pool not in _clients:
        _clients[pool] = cache._cache.get_client(write=True)
    return _clients[pool]


class RedisStore:
    def __init__(self, cache):
        self.cache = cache
        self.client = redis_client(cache)

    def _key(self, minute):
        return self.cache.make_and_validate_key(HITS.format(minute=minute))

    def count(self, read):
        """The verdict on one beacon, and the record pushed if it counts: one round trip."""
        make_key = self.cache.make_key
        keys = [
            make_key(read.rate_key),
            make_key(page_language_key(read.page_id)),
            make_key(HITS.format(minute=current_minute())),
        ]
        args = [read.limit, read.window + 1, "0" if read.head is None else "1"]
        args += [read.head or "", read.tail or "", RAW_TTL, NOT_LIVE]
        try:
            verdict = self.client.evalsha(BEACON_SCRIPT_SHA, len(keys), *keys, *args)
        except redis.exceptions.NoScriptError:  # a restarted Redis: load it once again
            verdict = self.client.eval(BEACON_SCRIPT, len(keys), *keys, *args)
        return verdict.decode()

    def remember_language(self, page_id, language):
        self.remember_languages({page_id: language})

    def remember_languages(self, languages):
        """{page id: language or NOT_LIVE}, one round trip."""
        with self.client.pipeline(transaction=False) as pipe:
            for page_id, language in languages.items():
                key = self.cache.make_key(page_language_key(page_id))
                pipe.set(key, language, ex=PAGE_LANGUAGE_SECONDS)
            pipe.execute()

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
        return self.drain_many([minute])

    def drain_many(self, minutes):
        """Every record of these minutes, removed: one MULTI'd round trip (a fold after a
        pause drains up to a day of minutes; one trip each cost seconds)."""
        with self.client.pipeline(transaction=True) as pipe:
            for minute in minutes:
                key = self._key(minute)
                pipe.lrange(key, 0, -1)
                pipe.delete(key)
            results = pipe.execute()
        return [record.decode() for records in results[::2] for record in records]


class CacheStore:
    """Any Django cache. On the file cache two processes can race on the sequence number;
    the embedded default serves one machine's readers, where that loss is negligible."""

    BATCH = 500

    def __init__(self, cache):
        self.cache = cache

    def count(self, read):
        self.cache.add(read.rate_key, 0, read.window + 1)
        if self.cache.incr(read.rate_key) > read.limit:
            return LIMITED
        language = self.cache.get(page_language_key(read.page_id))
        if language is None:
            return UNKNOWN
        if language == NOT_LIVE:
            return NOT_AN_ARTICLE
        if read.head is not None:
            self.push(current_minute(), read.record(language))
        return ACCEPTED

    def remember_language(self, page_id, language):
        self.remember_languages({page_id: language})

    def remember_languages(self, languages):
        entries = {page_language_key(page_id): value for page_id, value in languages.items()}
        self.cache.set_many(entries, PAGE_LANGUAGE_SECONDS)

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

    def drain_many(self, minutes):
        return [record for minute in minutes for record in self.drain(minute)]


def pending_minutes(now_minute):
    """Minutes not folded yet, the current one left to fill (a hit stamped 12:00:59 may land
    a moment later). Without a marker (a fresh or restarted cache), the last RAW_TTL."""
    folded = reach_cache().get(FOLDED_THROUGH)
    first = now_minute - RAW_TTL // 60 if folded is None else folded + 1
    return range(max(first, now_minute - RAW_TTL // 60), now_minute)


def mark_folded(minute):
    reach_cache().set(FOLDED_THROUGH, minute, None)
