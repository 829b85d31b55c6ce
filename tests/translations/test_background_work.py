"""What the automatic zh-hant edition and Wagtail's own background work leave behind: the
admin search index updated after commit (once, on a Celery worker), wagtail-localize's source
rows exactly as wagtail-localize stores them, and a new edition made in one save and revision."""

from django.db import transaction

from wagtail.models import Page
from wagtail_localize.models import (
    StringSegment,
    TemplateSegment,
    Translation,
    TranslationLog,
)

import pytest
from celery.signals import task_prerun

from cms.models import ArticlePage
from translations.sources import update_source

from ..cms.factories import make_article, publish
from .conftest import channel_with, locale, paragraphs, publish_article

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    pass


@pytest.fixture
def background_runs():
    """The Wagtail background tasks Celery runs, as (task, model, pk)."""
    runs = []

    def record(sender=None, args=None, **kwargs):
        if sender.name == "config.background_tasks.run_background_task":
            path, task_args, _kwargs = args
            runs.append((path.rsplit(".", 1)[-1], *task_args[1:]))

    task_prerun.connect(record, weak=False)
    yield runs
    task_prerun.disconnect(record)


def admin_search(text):
    return list(ArticlePage.objects.search(text))


def test_admin_search_is_updated_after_commit_once_per_page(
    home, run_tasks_inline, background_runs
):
    channel = channel_with(home)
    # When an article is created and published (several saves of the page)
    with run_tasks_inline(execute=False) as callbacks:
        article = make_article(channel, title="Qiaolian platform passes a million users")
        # Then Wagtail's admin search does not change inside the publishing transaction
        assert admin_search("Qiaolian") == []
    # When the transaction commits and a worker takes the queued updates
    for callback in callbacks:
        callback()
    # Then editors find the article, and each index was updated once for it
    assert admin_search("Qiaolian") == [article]
    page_runs = [run for run in background_runs if run[2] == str(article.pk)]
    assert sorted(page_runs) == [
        ("insert_or_update_object_task", "articlepage", str(article.pk)),
        ("update_reference_index_task", "articlepage", str(article.pk)),
    ]


def test_work_of_a_rolled_back_transaction_is_not_sent_and_later_work_is(home, run_tasks_inline):
    channel = channel_with(home)
    with run_tasks_inline(execute=True):
        # Given a publication whose transaction is rolled back
        with pytest.raises(RolledBack), transaction.atomic():
            make_article(channel, title="Withdrawn liaison report", slug="withdrawn")
            raise RolledBack
        # When another article is published afterwards in the same connection
        kept = make_article(channel, title="Liaison station report", slug="kept")
    # Then its index update is sent (the rolled-back batch does not swallow it)
    assert admin_search("Liaison") == [kept]


def test_an_update_undone_by_a_rollback_is_queued_again_by_the_next_save(home, run_tasks_inline):
    channel = channel_with(home)
    with run_tasks_inline(execute=True):
        article = make_article(channel, title="Qiaolian report from Lishui")
    with run_tasks_inline(execute=True):
        # Given a correction whose savepoint is rolled back (its index update with it)
        with pytest.raises(RolledBack), transaction.atomic():
            article.title = "Qiaolian report from Wenzhou"
            publish(article)
            raise RolledBack
        # When the article is corrected again
        article = ArticlePage.objects.get(pk=article.pk)
        article.title = "Qiaolian report from Qingtian"
        publish(article)
    # Then editors find it under its last title, not the first or the rolled-back one
    assert admin_search("Qingtian") == [article]
    assert admin_search("Lishui") == admin_search("Wenzhou") == []


def segment_rows(source):
    strings = StringSegment.objects.filter(source=source).values_list(
        "pk", "string__data", "context__path", "context__field_path", "order", "attrs"
    )
    templates = TemplateSegment.objects.filter(source=source).values_list(
        "pk", "template__template", "context__path", "context__field_path", "order"
    )
    return sorted(strings), sorted(templates)


def test_bulk_source_rows_are_those_wagtail_localize_stores(home, run_tasks_inline):
    # Given an article with a title, a summary and rich text with markup and a link
    channel = channel_with(home)
    article = publish_article(
        run_tasks_inline,
        channel,
        title="侨音记者走访海外联络站",
        summary="侨胞关注家乡信息。",
        body=paragraphs(
            '<b>侨连天下</b>平台用户接近一百万，<a href="https://example.org">详见报道</a>。',
            "亲情中华夏令营开营。",
            "亲情中华夏令营开营。",
        ),
    )
    # When its wagtail-localize source is made in bulk
    source, created = update_source(article)
    assert created
    rows = segment_rows(source)
    assert "侨音记者走访海外联络站" in [row[1] for row in rows[0]]
    field_paths = {row[3] for row in rows[0] + rows[1]}
    assert {"title", "summary", "body.paragraph"} <= field_paths
    assert "" not in field_paths
    # Then wagtail-localize's own extraction finds every row it would store, and adds none
    source.refresh_segments()
    assert segment_rows(source) == rows


def test_new_edition_is_one_revision_of_a_synced_translation(home, run_tasks_inline):
    channel = channel_with(home, traditional_edition="publish")
    article = publish_article(run_tasks_inline, channel, title="软件园区", summary="网络信息")
    edition = article.get_translation(locale("zh-hant")).specific
    # The edition is live with one revision, the one wagtail-localize logged as its translation
    assert edition.live
    assert list(edition.revisions.values_list("pk", flat=True)) == [edition.live_revision_id]
    translation = Translation.objects.get(
        source__object_id=article.translation_key, target_locale=locale("zh-hant")
    )
    assert translation.get_target_instance().pk == edition.pk
    assert TranslationLog.objects.filter(
        source=translation.source, revision=edition.live_revision
    ).exists()
    # In the channel's zh-hant edition, with a slug of its own and the original's byline fields
    assert edition.get_parent().pk == article.get_parent().get_translation(locale("zh-hant")).pk
    assert edition.slug == article.slug
    assert Page.objects.get(pk=edition.pk).url_path.endswith(f"/{article.slug}/")
