"""Service fixtures shared by every test folder.

Tests talk to the real PostgreSQL server (DATABASE_URL, default 127.0.0.1:5432) and real
Redis; only third-party SaaS is faked, at its HTTP boundary.
"""

from django.core.cache import caches

import pytest

from cms.newsroom import setup_newsroom
from cms.tasks import publish_scheduled_pages


@pytest.fixture(autouse=True)
def _isolated_caches():
    """Each test starts with empty caches (the page cache and the fragments included)."""
    for alias in ("default", "pagecache"):
        caches[alias].clear()
    yield


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
