"""The production path: counts in Redis (a real server), folded into rows by the beat task."""

import os

from django.core.cache import caches
from django.utils import timezone

import pytest
import redis
import redis.connection
import time_machine

from reach import counters
from reach.models import ArticleDay
from tests.cms.factories import make_article

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


@pytest.fixture
def redis_trips(monkeypatch):
    """The Redis round trips made from now on (one send_packed_command: a command, a
    pipeline or a script call); `stop()` ends the counting."""
    trips = []
    send = redis.connection.Connection.send_packed_command

    def counted_send(connection, *args, **kwargs):
        trips.append(args)
        return send(connection, *args, **kwargs)

    class Counter:
        def start(self):
            monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counted_send)

        def stop(self):
            monkeypatch.undo()
            return len(trips)

    return Counter()


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


def test_a_read_costs_one_redis_round_trip_and_no_query(
    redis_counts, read, fold, article, redis_trips, django_assert_num_queries
):
    read(article)  # the page's language and the admin's bot patterns are now remembered
    redis_trips.start()
    with django_assert_num_queries(0):
        assert read(article, address="198.51.100.4").status_code == 204
    assert redis_trips.stop() == 1  # rate window, page language and the record: one script
    fold()
    assert ArticleDay.objects.get(page=article).views == 2


def test_a_first_read_after_publishing_is_one_round_trip_and_no_query(
    redis_counts,
    read,
    fold,
    channel,
    redis_trips,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    read(channel)  # the admin's bot patterns are now remembered (a channel is refused)
    with django_capture_on_commit_callbacks(execute=True):  # the publish commits
        article = make_article(channel, title="冬至包饺子", slug="dongzhi")
    redis_trips.start()
    with django_assert_num_queries(0):
        assert read(article).status_code == 204
    assert redis_trips.stop() == 1
    fold()
    assert ArticleDay.objects.get(page=article).views == 1


def test_after_a_restart_that_forgot_the_script_reads_still_count(
    redis_counts, read, fold, article
):
    read(article)
    redis_counts.script_flush()  # a restarted Redis knows no script
    assert read(article, address="198.51.100.9").status_code == 204
    fold()
    assert ArticleDay.objects.get(page=article).views == 2


def test_the_rate_limit_holds_on_redis(redis_counts, read, article):

    with time_machine.travel(timezone.now(), tick=False):
        statuses = [read(article).status_code for _ in range(61)]
    assert statuses[:60] == [204] * 60 and statuses[60] == 429
    assert not any(b"203.0.113.7" in key for key in redis_counts.scan_iter("reach-test:*"))
