"""A broker outage at publish time: the editor's publish still succeeds, nothing is lost."""

import logging
import socket

import pytest

from config.celery import app as celery_app
from config.queue import send_now
from search.models import SearchDocument
from stations.models import Delivery, Destination, LiaisonStation
from stations.tasks import deliver
from tests.cms.factories import ChannelPageFactory, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def dead_broker():
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.broker_url = previous
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_every_after_publish_callback_survives_a_dead_broker(
    home, dead_broker, caplog, django_capture_on_commit_callbacks, settings
):
    # Given a station, a WebSub hub and the search index all want to hear of the publish
    settings.WEBSUB_HUB_URL = "http://127.0.0.1:9/hub"
    station = LiaisonStation.objects.create(name="断网测试站", locales=["zh-hans"])
    Destination.objects.create(station=station, url="https://station.example.org/hook")
    channel = ChannelPageFactory(parent=home, slug="yaowen")

    # When an article is published while the broker is down and every on-commit callback runs
    with caplog.at_level(logging.ERROR):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            article = make_article(channel, title="断网时发布的稿件")

    # Then nothing raised: the article is live and the failures are logged for the sweeps
    assert callbacks
    article.refresh_from_db()
    assert article.live
    assert "periodic sweep will catch up" in caplog.text
    # … the station's delivery waits in the ledger for the delivery sweep, and the article
    # waits for the search reconciliation
    assert list(Delivery.objects.filter(station=station).values_list("state", flat=True)) == [
        "pending"
    ]
    assert not SearchDocument.objects.filter(page_id=article.pk).exists()


@pytest.fixture
def another_dead_broker():
    """A dead broker at a port of its own (dead_broker's is known dead to this process)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield
    celery_app.conf.broker_url = previous
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_after_one_failed_send_the_dead_broker_is_not_tried_for_each_task(
    another_dead_broker, caplog
):
    # Given a broker that has just refused a task
    with caplog.at_level(logging.ERROR):
        assert not send_now(deliver, 1)
        # When the same publish queues its next tasks
        assert not send_now(deliver, 2)
    # Then they are not attempted (each attempt would cost a connect timeout), only logged
    assert "Could not queue stations.tasks.deliver(1,)" in caplog.text
    assert "Broker unavailable: stations.tasks.deliver(2,) not queued" in caplog.text
