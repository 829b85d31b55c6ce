"""Service fixtures shared by every test folder.

Tests talk to the real PostgreSQL server (DATABASE_URL, default 127.0.0.1:5432) and real
Redis; only third-party SaaS is faked, at its HTTP boundary.
"""

import uuid

from django.core.cache import caches

import pytest
import redis

from cms.newsroom import setup_newsroom
from cms.tasks import publish_scheduled_pages
from tests.redis_caches import REDIS_URL, caches_at


@pytest.fixture(autouse=True)
def _isolated_caches():
    """Each test starts with empty caches (the page cache and the fragments included)."""
    for alias in ("default", "pagecache"):
        caches[alias].clear()
    yield


@pytest.fixture
def run_id():
    """This test's own name in the shared Redis database's keys."""
    return uuid.uuid4().hex[:8]


@pytest.fixture
def redis_caches(settings, run_id):
    """Both caches on this checkout's Redis database, under this test's own prefixes; the
    client, to look at every key (a broker's included) on that one database."""
    settings.CACHES = caches_at(REDIS_URL, run_id)
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    for key in client.scan_iter(match=f"*-{run_id}*"):
        client.delete(key)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the newsroom once per test database; each test rolls back to it."""
    with django_db_blocker.unblock():
        setup_newsroom()


@pytest.fixture
def newsroom(db):
    """The newsroom structure: locales, one home per language, groups and the workflow.

    Returns the home pages by language code. Cheap when the structure exists; rebuilds it
    after a transactional test has flushed the database.
    """
    return setup_newsroom()


@pytest.fixture
def home(newsroom):
    return newsroom["zh-hans"]


@pytest.fixture
def run_beat_task(django_capture_on_commit_callbacks):
    """Run the task as a worker does: its transaction commits, so on-commit work happens."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            publish_scheduled_pages()

    return run
