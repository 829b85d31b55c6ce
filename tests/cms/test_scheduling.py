"""Scheduled go-live and expiry, as Celery beat runs them every minute."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from cms.models import ArticlePage
from cms.tasks import publish_scheduled_pages
from config.celery import app

from .admin_forms import add_article_url, chief_editor, editor, post_editor
from .factories import ChannelPageFactory, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(home):
    return ChannelPageFactory(parent=home, title="亲情中华", slug="qinqing")


def admin_datetime(moment):
    """How the admin's date-time picker fills its field (local time)."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_beat_runs_the_scheduling_task_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-pages"]
    assert entry["schedule"] == 60.0
    assert entry["task"] == publish_scheduled_pages.name
    assert entry["task"] in app.tasks


def test_article_scheduled_in_the_admin_goes_live_when_its_time_comes(
    client, channel, run_beat_task
):
    # Given a chief editor publishes an article with a go-live time an hour from now
    client.force_login(chief_editor())
    go_live = timezone.now() + timedelta(hours=1)
    post_editor(
        client,
        add_article_url(channel),
        action="action-publish",
        title="亲情中华夏令营开营",
        slug="xialingying",
        go_live_at=admin_datetime(go_live),
    )
    article = ArticlePage.objects.get(slug="xialingying")
    client.logout()
    # When beat runs before that time, the article stays offline
    run_beat_task()
    article.refresh_from_db()
    assert not article.live
    assert client.get("/zh-hans/qinqing/xialingying/").status_code == 404
    # When beat runs after it
    with time_machine.travel(go_live + timedelta(minutes=1)):
        run_beat_task()
    # Then readers see the article
    article.refresh_from_db()
    assert article.live
    page = client.get("/zh-hans/qinqing/xialingying/")
    assert page.status_code == 200
    assert "亲情中华夏令营开营" in page.content.decode()


def test_article_is_taken_offline_when_it_expires(client, channel, run_beat_task):
    # Given a live article that expires in an hour, which readers have been reading
    expiry = timezone.now() + timedelta(hours=1)
    article = make_article(channel, title="限时征稿启事", slug="zhenggao", expire_at=expiry)
    assert client.get(article.url).status_code == 200
    # When beat runs after the expiry
    with time_machine.travel(expiry + timedelta(minutes=1)):
        run_beat_task()
    # Then it is offline and no cached copy is served
    article.refresh_from_db()
    assert not article.live
    assert article.expired
    assert client.get("/zh-hans/qinqing/zhenggao/").status_code == 404


def test_approved_article_with_a_go_live_time_waits_for_it(client, channel, run_beat_task):
    # Given an editor submits an article to go live tomorrow morning
    client.force_login(editor())
    go_live = timezone.now() + timedelta(hours=12)
    post_editor(
        client,
        add_article_url(channel),
        action="action-submit",
        title="创业中华项目路演预告",
        slug="luyan",
        go_live_at=admin_datetime(go_live),
    )
    article = ArticlePage.objects.get(slug="luyan")
    # When a chief editor approves it today
    client.force_login(chief_editor())
    task_state = article.current_workflow_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "approve", task_state.pk))
    )
    run_beat_task()
    # Then it is scheduled, not live, until beat runs after its time
    article.refresh_from_db()
    assert not article.live
    assert article.scheduled_revision is not None
    with time_machine.travel(go_live + timedelta(minutes=1)):
        run_beat_task()
    article.refresh_from_db()
    assert article.live
