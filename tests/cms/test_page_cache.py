"""The page cache on real Redis: a publish clears only page-cache keys, never the broker's
queued messages or another cache's entries, even on one shared database; an outage is a
cache miss and a clear retried once the cache is back."""

from django.core.cache import caches
from django.test import Client

import pytest
from kombu import Connection

from cms.models import PendingPageCacheClear
from cms.tasks import retry_page_cache_clears
from tests.cms.factories import ChannelPageFactory, make_article
from tests.redis_caches import REDIS_URL, caches_at, closed_port_url

from .admin_forms import chief_editor, edit_url, post_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(home):
    return make_article(ChannelPageFactory(parent=home, slug="shequ"), title="社区春节联欢")


def test_publishing_keeps_queued_and_unacked_messages_on_the_same_database(
    client, article, redis_caches, run_id, django_capture_on_commit_callbacks
):
    # Given a queue with three waiting messages and one taken by a worker, not yet acked,
    # on the Redis database the caches use
    queue_name = f"survivors-{run_id}"
    with Connection(REDIS_URL) as broker:
        queue = broker.SimpleQueue(queue_name)
        for number in range(4):
            queue.put({"task": number})
        in_progress = queue.get(timeout=5)
        tag = in_progress.delivery_tag
        assert redis_caches.hexists("unacked", tag)
        # … another cache's entry, and the article's page in the page cache
        caches["default"].set("frame", "kept")
        assert client.get(article.url).status_code == 200
        page_keys = list(redis_caches.scan_iter(match=f"pages-{run_id}:*"))
        assert page_keys
        # When an editor publishes a correction from the admin
        client.force_login(chief_editor())
        with django_capture_on_commit_callbacks(execute=True):
            response = post_editor(
                client, edit_url(article), action="action-publish", title="社区春节联欢（更正）"
            )
        assert response.status_code == 302
        # Then the page cache is empty: readers get the correction
        assert not list(redis_caches.scan_iter(match=f"pages-{run_id}:*"))
        assert "（更正）" in client.get(article.url).content.decode()
        # … and the queue, the unacked message and the other cache are untouched
        assert redis_caches.llen(queue_name) == 3
        assert redis_caches.hexists("unacked", tag)
        assert caches["default"].get("frame") == "kept"
        in_progress.ack()
        queue.clear()
        queue.close()


def test_a_cache_outage_is_a_miss_and_the_clear_is_retried_when_it_is_back(
    article, settings, redis_caches, run_id, django_capture_on_commit_callbacks
):
    # Given the article's page cached while Redis was up
    assert Client().get(article.url).status_code == 200
    assert Client().get(article.url).headers["X-Qiaoyin-Cache"] == "hit"
    # When Redis goes down (processes started since see it down) and the article is
    # corrected from the admin
    settings.CACHES = caches_at(closed_port_url(), run_id)
    editor = Client()
    editor.force_login(chief_editor())
    with django_capture_on_commit_callbacks(execute=True):
        response = post_editor(
            editor, edit_url(article), action="action-publish", title="社区春节联欢（更正）"
        )
    # Then the editor sees no error, the correction is live and readers are served it
    # straight from the database (a cache miss, not an error page)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "社区春节联欢（更正）"
    reader = Client().get(article.url)
    assert reader.status_code == 200 and "（更正）" in reader.content.decode()
    # … and the clear that could not happen is recorded
    assert PendingPageCacheClear.objects.count() == 1
    # When Redis is back, its old copy of the page would still be served
    settings.CACHES = caches_at(REDIS_URL, run_id)
    assert "（更正）" not in Client().get(article.url).content.decode()
    # … until beat retries the clear
    retry_page_cache_clears()
    assert not PendingPageCacheClear.objects.exists()
    assert "（更正）" in Client().get(article.url).content.decode()


def test_a_retry_while_the_cache_is_still_down_keeps_the_clear_pending(settings, run_id):
    # Given a clear pending and the cache still down
    PendingPageCacheClear.objects.create(error="Connection refused")
    settings.CACHES = caches_at(closed_port_url(), run_id)
    # When beat retries
    retry_page_cache_clears()
    # Then it stays pending for the next run
    assert PendingPageCacheClear.objects.count() == 1
