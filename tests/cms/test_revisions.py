"""Drafts, preview and revisions: what editors see in the admin and what readers see."""

from django.urls import reverse

from wagtail.models import PageLogEntry

import pytest

from .admin_forms import chief_editor, edit_url, editor, editor_form, post_editor
from .factories import ChannelPageFactory, make_article, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(home):
    channel = ChannelPageFactory(parent=home, title="创业中华", slug="chuangye")
    return make_article(channel, title="创业中华论坛在杭州举行", slug="luntan", kicker="侨商聚首")


def test_preview_renders_the_unsaved_draft(client, article):
    # Given an editor changing a live article's title without saving
    client.force_login(editor())
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    draft = editor_form(client, edit_url(article), title="创业中华论坛吸引三百侨商")
    # When the editor's preview panel sends the form and loads the preview
    checked = client.post(preview_url, draft)
    preview = client.get(preview_url)
    # Then the preview shows the draft title, and readers still see the live one
    assert checked.json()["is_valid"]
    assert preview.status_code == 200
    assert "创业中华论坛吸引三百侨商" in preview.content.decode()
    # And an editor's preview is not counted as a read (no read beacon in it)
    assert "reads.js" not in preview.content.decode()
    client.logout()
    live = client.get(article.url).content.decode()
    assert "reads.js" in live
    assert "创业中华论坛吸引三百侨商" not in live


def test_live_page_keeps_the_published_version_while_a_draft_exists(client, article):
    # Given an editor saves a draft of a live article
    client.force_login(editor())
    response = post_editor(client, edit_url(article), title="（草稿）论坛改期")
    assert response.status_code == 302
    # When a reader opens the article
    client.logout()
    page = client.get(article.url).content.decode()
    # Then they see the published title, not the draft
    assert "创业中华论坛在杭州举行" in page
    assert "（草稿）论坛改期" not in page
    article.refresh_from_db()
    assert article.has_unpublished_changes
    assert article.get_latest_revision_as_object().title == "（草稿）论坛改期"


def test_reverting_to_an_older_revision_restores_it(client, article):
    # Given the article was published twice, the second time with a wrong title
    first_revision = article.live_revision
    article.title = "创业中华论坛在宁波举行"
    article.kicker = "错误的引题"
    publish(article)
    # When a chief editor opens the first revision from the history and publishes it
    client.force_login(chief_editor())
    revert_url = reverse(
        "wagtailadmin_pages:revisions_revert", args=(article.pk, first_revision.pk)
    )
    response = post_editor(client, revert_url, action="action-publish")
    # Then readers see the first version again, and the history records the revert
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.kicker) == ("创业中华论坛在杭州举行", "侨商聚首")
    assert article.live_revision != first_revision
    assert PageLogEntry.objects.filter(page=article, action="wagtail.revert").exists()
    client.logout()
    assert "创业中华论坛在杭州举行" in client.get(article.url).content.decode()
