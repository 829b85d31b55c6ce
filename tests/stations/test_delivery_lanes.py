"""A failing or slow station's deliveries go to the backoff workers' queue, so the threads
that serve healthy stations never wait on it; its next success brings it back."""

from datetime import timedelta

from django.utils import timezone

import pytest

from config.celery import app as celery_app
from config.workers import BACKOFF_QUEUE, DELIVERY_QUEUE
from stations.models import Delivery
from stations.tasks import dispatch_deliveries, enqueue
from tests.cms.factories import ChannelPageFactory, make_article

from .conftest import make_station

pytestmark = pytest.mark.django_db
URL = "http://127.0.0.1:9/hook"  # nothing is sent: the tasks stay queued


def take_queued(queue):
    """(task name, arguments) of every message waiting on `queue`, taken off the broker."""
    taken = []
    with celery_app.connection_for_read() as connection:
        channel = connection.default_channel
        channel.queue_declare(queue)
        while (message := channel.basic_get(queue, no_ack=True)) is not None:
            args, _kwargs, _embed = message.decode()
            taken.append((message.headers["task"], args))
    return taken


@pytest.fixture
def empty_queues():
    assert celery_app.conf.broker_url.startswith("memory://")
    for queue in (DELIVERY_QUEUE, BACKOFF_QUEUE):
        take_queued(queue)
    yield
    for queue in (DELIVERY_QUEUE, BACKOFF_QUEUE):
        take_queued(queue)


def test_failing_and_hanging_stations_are_sent_on_the_backoff_lane(
    home, empty_queues, django_capture_on_commit_callbacks
):
    channel = ChannelPageFactory(parent=home)
    # Given a healthy station, one whose last attempt failed, and one holding a request open
    healthy = make_station("健康站", URL)
    failing = make_station("失败站", URL, consecutive_failures=2)
    hanging = make_station("卡住站", URL)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(channel)
    Delivery.objects.filter(station=hanging).update(
        state=Delivery.State.SENDING, sending_since=timezone.now() - timedelta(seconds=10)
    )
    take_queued(DELIVERY_QUEUE)
    # When an article is published to the three and the worker fans it out
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(channel)
    (name, (ids,)), *more = take_queued(DELIVERY_QUEUE)
    assert (name, more) == ("stations.tasks.dispatch_deliveries", [])
    dispatch_deliveries(ids)
    # Then the healthy station's delivery is on the delivery workers' queue, the others'
    # on the backoff workers'
    rows = dict(Delivery.objects.filter(article__uri=article.uri).values_list("station", "pk"))
    fast = take_queued(DELIVERY_QUEUE)
    slow = take_queued(BACKOFF_QUEUE)
    assert fast == [("stations.tasks.deliver", [rows[healthy.pk]])]
    assert sorted(slow) == sorted(
        ("stations.tasks.deliver", [rows[station.pk]]) for station in (failing, hanging)
    )
    # And once the failing station has answered again, it is back on the fast lane
    Delivery.objects.filter(station=failing).update(state=Delivery.State.DELIVERED)
    type(failing).objects.filter(pk=failing.pk).update(consecutive_failures=0)
    enqueue([rows[failing.pk]])
    assert take_queued(DELIVERY_QUEUE) == [("stations.tasks.deliver", [rows[failing.pk]])]
