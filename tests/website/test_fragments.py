"""The shared HTML fragments on real Redis: a hit is served as stored until a change is
committed, a preview never reads or stores one, and a version bump lost while Redis was
down is made again once it is back (issue 12: no stale navigation for FRAGMENT_TIMEOUT)."""

from django.core.cache import cache
from django.test import Client

from wagtailcache.cache import clear_cache

import pytest

from cms.models import ChannelPage, RelatedArticle
from cms.tasks import retry_page_cache_clears
from tests.cms.factories import ChannelPageFactory, make_article, publish
from tests.redis_caches import REDIS_URL, caches_at, closed_port_url
from website import fragments
from website.models import PendingFragmentBump
from website.tasks import retry_fragment_bumps

pytestmark = pytest.mark.django_db


def nav_of(html):
    return html.split('class="channel-nav"')[1].split("</nav>")[0]


def reader_sees_nav(url):
    """The navigation a new reader is served, past the page cache (emptied first)."""
    clear_cache()
    return nav_of(Client().get(url).content.decode())


def rename_without_signals(channel, title):
    """A change no signal reports: only a fragment built after it can show it."""
    ChannelPage.objects.filter(pk=channel.pk).update(title=title, draft_title=title)


def test_a_cached_navigation_is_served_until_a_publish_commits_then_the_new_one(
    home, channel, redis_caches, run_id, django_capture_on_commit_callbacks
):
    # Given a reader who opened an article: the navigation is a fragment in Redis now
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(channel, title="侨音融媒体中心成立")
    assert "侨界动态" in reader_sees_nav(article.url)
    assert list(redis_caches.scan_iter(match=f"default-{run_id}:*qiaoyin:frame:*"))
    # … and the channel's title changed in the database behind the fragment's back
    rename_without_signals(channel, "侨界新闻")

    # Then the next reader is served the stored navigation (a hit, not the database)
    assert "侨界动态" in reader_sees_nav(article.url)

    # When an editor publishes a new channel and the publish commits
    with django_capture_on_commit_callbacks(execute=True):
        new = publish(ChannelPageFactory(parent=home, title="创业中华", slug="chuangye"))

    # Then the next reader's navigation is built anew: the new channel, the new title
    nav = reader_sees_nav(article.url)
    assert f'href="{new.url}"' in nav and "侨界新闻" in nav
    # … and it is the stored one from then on
    rename_without_signals(channel, "侨界动态")
    assert "侨界新闻" in reader_sees_nav(article.url)


def test_the_version_is_bumped_after_the_commit_never_inside_the_transaction(
    home, redis_caches, django_capture_on_commit_callbacks
):
    # Given the fragment version in Redis
    before = fragments.version()

    # When an editor publishes a channel, inside the publishing transaction
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        publish(ChannelPageFactory(parent=home, title="创业中华", slug="chuangye"))
        # Then Redis still holds the old version until the commit
        assert cache.get(fragments.VERSION_KEY) == before
    for callback in after_commit:
        callback()

    # … and a new one once it has committed
    assert cache.get(fragments.VERSION_KEY) != before


def test_a_preview_shows_the_drafts_picks_not_the_live_pages_cached_related_block(
    channel, redis_caches, django_capture_on_commit_callbacks
):
    # Given a live article that picks one story, seen by a reader (its related block is
    # a fragment now)
    with django_capture_on_commit_callbacks(execute=True):
        live_pick = make_article(channel, title="联络站年度报告发布")
        draft_pick = make_article(channel, title="侨乡新貌图片展开幕")
        article = make_article(channel, title="侨音融媒体中心成立")
        article.related_articles.create(article=live_pick)
        publish(article)
    assert "联络站年度报告发布" in Client().get(article.url).content.decode()

    # When an editor drafts another pick instead and previews the draft
    draft = article.get_latest_revision_as_object()
    draft.related_articles = [RelatedArticle(article=draft_pick)]
    draft.save_revision()
    preview = article.get_latest_revision_as_object().make_preview_request().content.decode()

    # Then the preview shows the draft's pick, not the live page's cached block
    related = preview.split('class="related"')[1].split("</section>")[0]
    assert "侨乡新貌图片展开幕" in related and "联络站年度报告发布" not in related
    # … and readers still get the live page's picks: the preview stored nothing
    clear_cache()
    reader = Client().get(article.url).content.decode()
    related = reader.split('class="related"')[1].split("</section>")[0]
    assert "联络站年度报告发布" in related and "侨乡新貌图片展开幕" not in related


def test_a_bump_lost_while_redis_was_down_is_made_once_it_is_back(
    home, channel, settings, redis_caches, run_id, django_capture_on_commit_callbacks
):
    # Given a reader who opened an article while Redis was up (its navigation is stored)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(channel, title="侨音融媒体中心成立")
    assert "创业中华" not in reader_sees_nav(article.url)

    # When Redis goes down and an editor publishes a new channel
    settings.CACHES = caches_at(closed_port_url(), run_id)
    with django_capture_on_commit_callbacks(execute=True):
        publish(ChannelPageFactory(parent=home, title="创业中华", slug="chuangye"))

    # Then the editor's publish went through, readers get pages straight from the database
    assert "创业中华" in nav_of(Client().get(article.url).content.decode())
    # … and the bump that could not happen is recorded
    assert PendingFragmentBump.objects.count() == 1

    # When Redis is back (its page cache cleared by beat), its stored navigation is stale
    settings.CACHES = caches_at(REDIS_URL, run_id)
    retry_page_cache_clears()
    assert "创业中华" not in reader_sees_nav(article.url)
    # … until beat makes the bump again
    retry_fragment_bumps()
    assert not PendingFragmentBump.objects.exists()
    assert "创业中华" in reader_sees_nav(article.url)


def test_a_retry_while_redis_is_still_down_keeps_the_bump_pending(settings, run_id):
    # Given a bump pending and the cache still down
    PendingFragmentBump.objects.create()
    settings.CACHES = caches_at(closed_port_url(), run_id)
    # When beat retries
    retry_fragment_bumps()
    # Then it stays pending for the next run
    assert PendingFragmentBump.objects.count() == 1
