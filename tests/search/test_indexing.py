"""The index follows the newsroom: publish, correction, unpublish, delete, sweeps, rebuilds."""

from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from search.documents import build_document
from search.tasks import index_page, reconcile_index
from tests.cms.factories import ArticlePageFactory, ChannelPageFactory, make_article, publish
from tests.search.conftest import index
from tests.search.test_engines import search, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(newsroom):
    return ChannelPageFactory(parent=newsroom["zh-hans"], title="侨界动态", slug="community")


def test_publishing_indexes_and_a_correction_reindexes(
    engine, channel, run_on_commit, eager_celery
):
    # When an editor publishes an article
    article = run_on_commit(
        lambda: publish(ArticlePageFactory(parent=channel, title="侨音融媒体中心发布新栏目"))
    )
    # Then readers find it
    assert titles(search("融媒体")) == [article.title]
    # When a correction replaces a word and the article is published again
    article.summary = "更正：栏目名称为亲情中华。"
    run_on_commit(lambda: publish(article))
    # Then the new word is found too
    assert titles(search("亲情中华")) == [article.title]


def test_unpublishing_and_deleting_remove_the_article(engine, channel, run_on_commit, eager_celery):
    first = run_on_commit(lambda: make_article(channel, title="海外传播官走进社区"))
    second = run_on_commit(lambda: make_article(channel, title="海外传播官培训结业"))
    assert search("海外传播官").total == 2

    run_on_commit(first.unpublish)
    assert titles(search("海外传播官")) == [second.title]

    run_on_commit(second.delete)
    assert search("海外传播官").total == 0


def test_indexing_twice_leaves_one_entry(engine, channel):
    article = make_article(channel, title="侨连天下平台用户突破百万")
    index_page.apply(args=[article.pk])
    index_page.apply(args=[article.pk])
    assert engine.indexed_ids("zh-hans") == {article.pk}
    assert search("侨连天下").total == 1


def test_reconciliation_repairs_what_lost_tasks_missed(engine, channel):
    # Given an article published while the workers were down (no task ran)
    missed = make_article(channel, title="联络站新增三十个海外站点")
    # and an index entry for an article that no longer exists
    gone = make_article(channel, title="已删除的稿件")
    index(gone)
    gone_id = gone.pk
    gone.delete()
    # When the periodic sweep runs
    counts = reconcile_index.apply().get()
    # Then the missed article is found and the deleted one is gone (the database engine's
    # row already went with the page; Elasticsearch's entry goes in the sweep)
    assert counts["added"] == 1
    assert titles(search("联络站")) == [missed.title]
    assert gone_id not in engine.indexed_ids()


def test_a_failed_rebuild_leaves_the_old_index_serving(engine, channel):
    article = make_article(channel, title="创业中华论坛开幕")
    index(article)

    def documents_then_failure():
        yield build_document(article)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        engine.rebuild("zh-hans", documents_then_failure())
    assert titles(search("创业中华")) == [article.title]


def test_reindex_command_rebuilds_and_reports_counts(engine, newsroom, channel):
    zh = make_article(channel, title="亲情中华夏令营开营")
    en_channel = ChannelPageFactory(parent=newsroom["en"], slug="en-news")
    make_article(en_channel, title="Summer camp opens", summary="")
    out = StringIO()
    call_command("search_reindex", "--no-progress", stdout=out)
    assert "Indexed 2 articles" in out.getvalue()
    assert titles(search("夏令营")) == [zh.title]
    assert search("camp", locale="en").total == 1

    out = StringIO()
    call_command("search_reindex", "--locale", "en", "--no-progress", stdout=out)
    assert "Indexed 1 articles" in out.getvalue() and "en: 1" in out.getvalue()


def test_reindex_swaps_the_alias_to_a_new_versioned_index(settings, request, channel):
    from tests.search.conftest import engine_settings

    for name, value in engine_settings(request, "elasticsearch").items():
        setattr(settings, name, value)
    from search.engines import get_engine

    engine = get_engine()
    make_article(channel, title="侨音融媒体中心")
    call_command("search_reindex", "--locale", "zh-hans", "--no-progress", stdout=StringIO())
    first = engine._alias_targets("zh-hans")
    call_command("search_reindex", "--locale", "zh-hans", "--no-progress", stdout=StringIO())
    second = engine._alias_targets("zh-hans")
    assert len(first) == len(second) == 1 and first != second
    assert second[0].startswith(f"{settings.SEARCH_INDEX_PREFIX}-zh-hans-")
    assert not engine.client.indices.exists(index=first[0]), "the old version is dropped"
    assert search("融媒体").total == 1


def test_reindex_refuses_an_unknown_locale(newsroom):
    with pytest.raises(CommandError, match="Unknown locale 'xx'"):
        call_command("search_reindex", "--locale", "xx")
