"""The production path: counts in Redis (a real server), folded into rows by the beat task."""

import os

from django.core.cache import caches

import pytest
import redis

from reach import counters
from reach.models import ArticleDay

pytestmark = pytest.mark.django_db
DB = int(os.environ.get("PUSH_TEST_REDIS_DB_BASE", "11"))
URL = f"redis://127.0.0.1:6379/{DB}"


@pytest.fixture
def redis_counts(settings):
    settings.CACHES = {
        **settings.CACHES,
        "reach": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": URL,
            "KEY_PREFIX": "reach-test",
        },
    }
    settings.REACH_CACHE = "reach"
    server = redis.Redis.from_url(URL)
    yield server
    for key in server.scan_iter("reach-test:*"):
        server.delete(key)


def test_reads_wait_in_redis_and_the_fold_empties_it(redis_counts, read, fold, article):
    assert isinstance(counters.store(), counters.RedisStore)
    read(article)
    read(article, address="198.51.100.9")
    assert any(b":reach:hits:" in key for key in redis_counts.scan_iter("reach-test:*"))
    assert fold() == 2
    assert not any(b":reach:hits:" in key for key in redis_counts.scan_iter("reach-test:*"))
    assert (ArticleDay.objects.get(page=article).views, ArticleDay.objects.get().visitors) == (2, 2)


def test_raw_keys_expire_within_a_day(redis_counts, read, article):
    read(article)
    ttls = [redis_counts.ttl(key) for key in redis_counts.scan_iter("reach-test:*")]
    # The fold marker and the lock aside, every raw key carries an expiry of at most a day
    # (the "seen" flags and salt: the rest of today plus an hour's margin).
    assert ttls and all(0 < ttl <= 25 * 3600 for ttl in ttls)


def test_a_redis_restart_loses_only_what_was_not_folded(redis_counts, read, fold, article):
    read(article)
    fold()  # the beat task ran
    read(article, address="198.51.100.9")
    redis_counts.flushdb()  # Redis restarts without persistence before the next run
    caches["reach"].close()
    fold()
    assert ArticleDay.objects.get(page=article).views == 1
