"""Alt text is required on every way an article goes live, not only the editor's Publish
button: approving from the dashboard, scheduled go-live and the listing's bulk Publish."""

import logging
from datetime import timedelta
from html import unescape

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import WorkflowState

import pytest
import time_machine
from bs4 import BeautifulSoup

from cms.models import ArticlePage
from tests.cms.admin_forms import add_article_url, chief_editor, edit_url, editor, post_editor
from tests.cms.factories import ArticlePageFactory, ChannelPageFactory, NewsImageFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/"
REFUSED = "was not published: add alt text to these images first"


@pytest.fixture
def channel(home):
    return ChannelPageFactory(parent=home, title="侨界动态", slug="qiaojie")


def english_speaking(user):
    """The admin in English, so assertions read the messages' source text."""
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})
    return user


def admin_messages(response):
    """The texts of the messages the admin page shows."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [item.get_text(" ", strip=True) for item in soup.select(".messages li")]


def shown(response, text):
    return any(text in message for message in admin_messages(response))


def remove_alt_text(photo):
    """Someone clears the photo's alt text in the library after the article was checked."""
    photo.alt_text = ""
    photo.save()


def restore_alt_text(photo):
    photo.alt_text = "侨胞在米兰广场赏月"
    photo.save()


# --- approval from the dashboard -------------------------------------------------------------
@pytest.fixture
def awaiting_review(client, channel):
    """An editor's article with a cover photo, submitted for review, whose photo has since
    lost its alt text."""
    photo = NewsImageFactory(title="米兰侨胞中秋", alt_text="侨胞在米兰广场赏月")
    client.force_login(editor())
    response = post_editor(
        client,
        add_article_url(channel),
        action="action-submit",
        title="中秋联欢",
        slug="zhongqiu",
        cover_image=photo.pk,
    )
    assert response.status_code == 302
    remove_alt_text(photo)
    return ArticlePage.objects.get(slug="zhongqiu"), photo


def approve_url(article):
    task_state = article.current_workflow_task_state
    args = (article.pk, "approve", task_state.pk)
    return reverse("wagtailadmin_pages:workflow_action", args=args)


def test_approving_from_the_dashboard_is_refused_while_a_photo_lacks_alt_text(
    client, awaiting_review
):
    article, photo = awaiting_review
    client.force_login(english_speaking(chief_editor()))
    # When the chief editor presses Approve on the dashboard
    response = client.post(approve_url(article), {"next": DASHBOARD}, follow=True)
    # Then the dashboard says why, naming the article and the photo
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == DASHBOARD
    assert shown(response, f"“中秋联欢” {REFUSED}")
    assert shown(response, "“米兰侨胞中秋”")
    # And the article is offline, still waiting for approval
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert article.current_workflow_task_state.status == "in_progress"
    # When the photo gets alt text, the same Approve publishes it
    restore_alt_text(photo)
    response = client.post(approve_url(article), {"next": DASHBOARD}, follow=True)
    assert not shown(response, REFUSED)
    article.refresh_from_db()
    assert article.live


@pytest.fixture
def catalogues(settings):
    """The compiled interface catalogues (build products, not in git)."""
    call_command("compile_catalogues", verbosity=0)
    # A new LOCALE_PATHS value makes Django reload the catalogues it has cached.
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)


def test_approving_with_a_comment_in_the_dashboard_dialog_is_refused_too(
    client, awaiting_review, catalogues
):
    article, _photo = awaiting_review
    # Given a chief editor whose admin speaks the newsroom's language (简体中文)
    client.force_login(chief_editor())
    # When the chief editor approves with a comment in the dashboard's dialog (an XHR)
    response = client.post(
        approve_url(article),
        {"comment": "可以发布", "next": DASHBOARD},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    # Then the dialog is sent back to the dashboard, which shows the reason
    assert response.status_code == 200
    assert response.json()["redirect"] == DASHBOARD
    assert shown(client.get(DASHBOARD), "“中秋联欢”未发布：请先为这些图片填写替代文字")
    # And nothing was approved
    article.refresh_from_db()
    assert not article.live
    assert article.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS


# --- scheduled go-live -------------------------------------------------------------------------
def schedule_article(client, channel, title, slug, go_live, **fields):
    """A chief editor publishes with a go-live time (the editor's check passes)."""
    response = post_editor(
        client,
        add_article_url(channel),
        action="action-publish",
        title=title,
        slug=slug,
        go_live_at=timezone.localtime(go_live).strftime("%Y-%m-%d %H:%M"),
        **fields,
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug=slug)
    assert article.scheduled_revision is not None
    return article


def test_scheduled_article_waits_for_alt_text_and_holds_no_other_back(
    client, channel, run_beat_task, caplog
):
    # Given two articles scheduled for an hour from now, the first one's photo has since
    # lost its alt text
    client.force_login(english_speaking(chief_editor()))
    photo = NewsImageFactory(title="米兰侨胞中秋", alt_text="侨胞在米兰广场赏月")
    go_live = timezone.now() + timedelta(hours=1)
    blocked = schedule_article(
        client, channel, "中秋联欢", "zhongqiu", go_live, cover_image=photo.pk
    )
    other = schedule_article(client, channel, "侨青座谈", "zuotan", go_live + timedelta(minutes=1))
    remove_alt_text(photo)
    # When beat runs after both go-live times, twice
    with time_machine.travel(go_live + timedelta(minutes=5)):
        with caplog.at_level(logging.WARNING, logger="cms.publishing"):
            run_beat_task()
            run_beat_task()
    # Then the other article is live, the refused one is offline and still scheduled
    other.refresh_from_db()
    assert other.live
    blocked.refresh_from_db()
    assert not blocked.live
    assert blocked.scheduled_revision is not None
    # And the refusal is logged once (not every minute), naming page and photo
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 1
    assert f"page {blocked.pk}" in refusals[0] and "米兰侨胞中秋" in refusals[0]
    # And the article's history tells editors why it is late
    history = client.get(reverse("wagtailadmin_pages:history", args=(blocked.pk,)))
    text = unescape(history.content.decode())
    assert "Not published at its scheduled time: add alt text to these images" in text
    assert "“米兰侨胞中秋”" in text
    # When the photo gets alt text, the next run publishes it
    restore_alt_text(photo)
    with time_machine.travel(go_live + timedelta(minutes=6)):
        run_beat_task()
    blocked.refresh_from_db()
    assert blocked.live
    client.logout()
    assert client.get("/zh-hans/qiaojie/zhongqiu/").status_code == 200


# --- bulk Publish in the page listing ----------------------------------------------------------
def bulk_publish(client, pages, next_url, include_descendants=False):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = "&".join(f"id={page.pk}" for page in pages) + f"&next={next_url}"
    data = {"include_descendants": "on"} if include_descendants else {}
    return client.post(f"{url}?{query}", data, follow=True)


@pytest.fixture
def drafts(channel):
    """Two drafts: one whose body photo has no alt text (saving drafts is allowed), one
    without photos."""
    photo = NewsImageFactory(title="西湖合影", alt_text="")
    body = [("image", {"image": photo, "caption": "", "credit": "", "alt_text": ""})]
    undescribed = ArticlePageFactory(parent=channel, title="侨青西湖行", body=body)
    undescribed.save_revision()
    plain = ArticlePageFactory(parent=channel, title="侨界快讯")
    plain.save_revision()
    return undescribed, plain


def test_bulk_publish_names_every_article_lacking_alt_text_and_publishes_nothing(
    client, channel, drafts
):
    undescribed, plain = drafts
    client.force_login(english_speaking(chief_editor()))
    listing = reverse("wagtailadmin_explore", args=(channel.pk,))
    # When the chief editor selects both drafts in the listing and publishes them
    response = bulk_publish(client, [undescribed, plain], listing)
    # Then the listing says which article needs alt text for which photo
    assert response.redirect_chain[-1][0] == listing
    assert shown(response, f"“侨青西湖行” {REFUSED}")
    assert shown(response, "“西湖合影”")
    assert shown(response, "Nothing was published")
    # And neither went live
    for page in drafts:
        page.refresh_from_db()
        assert not page.live


def test_bulk_publish_of_a_channel_with_its_drafts_is_refused_too(client, channel, drafts):
    client.force_login(english_speaking(chief_editor()))
    listing = reverse("wagtailadmin_explore", args=(channel.get_parent().pk,))
    # When the chief editor publishes the channel "with its descendants"
    response = bulk_publish(client, [channel], listing, include_descendants=True)
    # Then the draft lacking alt text is named and nothing went live
    assert shown(response, f"“侨青西湖行” {REFUSED}")
    for page in drafts:
        page.refresh_from_db()
        assert not page.live


def test_bulk_publish_goes_through_when_every_photo_is_described(client, channel, drafts):
    undescribed, plain = drafts
    photo = undescribed.body[0].value["image"]
    photo.alt_text = "侨青在西湖边合影"
    photo.save()
    client.force_login(chief_editor())
    response = bulk_publish(client, [undescribed, plain], edit_url(channel))
    assert response.status_code == 200
    for page in drafts:
        page.refresh_from_db()
        assert page.live
