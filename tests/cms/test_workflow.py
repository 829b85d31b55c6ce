"""The "editor review" workflow, driven through Wagtail's admin as the newsroom uses it."""

from django.urls import reverse

from wagtail.models import WorkflowState

import pytest

from cms.models import ArticlePage
from cms.newsroom import REVIEW_TASK

from .admin_forms import add_article_url, chief_editor, edit_url, editor, post_editor
from .factories import ChannelPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(home):
    return ChannelPageFactory(parent=home, title="侨界动态", slug="qiaojie")


def submit_new_article(client, channel, author, title="侨连天下平台用户突破百万", slug="baiwan"):
    client.force_login(author)
    response = post_editor(
        client, add_article_url(channel), action="action-submit", title=title, slug=slug
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    return ArticlePage.objects.get(slug=slug)


def workflow_action(client, article, action, comment=""):
    task_state = article.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, action, task_state.pk))
    return client.post(url, {"comment": comment})


def test_editor_submits_a_draft_for_review_and_it_stays_offline(client, channel):
    # Given an editor (编辑)
    author = editor()
    # When they write an article and submit it for moderation
    article = submit_new_article(client, channel, author)
    # Then it waits for a chief editor's approval and readers cannot see it
    assert not article.live
    assert article.current_workflow_task.name == REVIEW_TASK
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    client.logout()
    assert client.get(f"/zh-hans/{channel.slug}/{article.slug}/").status_code == 404


def test_editor_cannot_publish_or_approve_their_own_article(client, channel):
    # Given an editor's article awaiting review
    author = editor()
    article = submit_new_article(client, channel, author)
    # When the editor tries to publish it from the editor, then to approve it themselves
    post_editor(client, edit_url(article), action="action-publish", title=article.title)
    workflow_action(client, article, "approve")
    # Then it is still offline, and Wagtail says they may not publish
    article.refresh_from_db()
    assert not article.live
    assert not article.permissions_for_user(author).can_publish()
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


def test_chief_editor_approves_and_the_article_goes_live(client, channel):
    # Given an editor's article awaiting review
    article = submit_new_article(client, channel, editor(), title="海外传播官年度培训启动")
    # When a chief editor (总编辑) approves it
    client.force_login(chief_editor())
    response = workflow_action(client, article, "approve", comment="可以发布")
    # Then it is live and readers see it
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live
    client.logout()
    page = client.get(article.url)
    assert page.status_code == 200
    assert "海外传播官年度培训启动" in page.content.decode()


def test_rejection_sends_the_article_back_for_changes(client, channel):
    # Given an editor's article awaiting review
    author = editor()
    article = submit_new_article(client, channel, author)
    # When a chief editor requests changes
    client.force_login(chief_editor())
    workflow_action(client, article, "reject", comment="请核实数字")
    # Then it stays offline and goes back to the editor, who can revise and resubmit it
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    client.force_login(author)
    response = post_editor(
        client, edit_url(article), action="action-submit", title="侨连天下平台用户约百万"
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert article.get_latest_revision_as_object().title == "侨连天下平台用户约百万"
    assert not article.live


def test_chief_editor_publishes_directly(client, channel):
    # Given a chief editor
    client.force_login(chief_editor())
    # When they write an article and press Publish
    response = post_editor(
        client, add_article_url(channel), action="action-publish", title="快讯", slug="kuaixun"
    )
    # Then it is live at once
    assert response.status_code == 302
    assert ArticlePage.objects.get(slug="kuaixun").live


def test_chief_editors_are_emailed_when_an_article_awaits_them(client, channel, mailoutbox):
    # Given a chief editor with an e-mail address
    chief = chief_editor()
    # When an editor submits an article
    submit_new_article(client, channel, editor(), title="侨界青年联谊会成立")
    # Then the chief editor is told by e-mail that it awaits their review
    to_chief = [message for message in mailoutbox if chief.email in message.to]
    assert to_chief
    assert "侨界青年联谊会成立" in to_chief[0].subject + to_chief[0].body
