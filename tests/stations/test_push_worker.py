"""End-to-end push through a real Celery worker on Redis to real HTTP receivers."""

import hashlib
import hmac
import json
import threading
import time

import pytest

from stations.models import Delivery, LiaisonStation
from tests.cms.factories import ChannelPageFactory, make_article, publish

from .conftest import make_station, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def delivery_states(station):
    return list(
        Delivery.objects.filter(station=station).order_by("version").values_list("version", "state")
    )


def verify_signature(request, secret):
    fields = dict(part.split("=", 1) for part in request["headers"]["Qiaoyin-Signature"].split(","))
    expected = hmac.new(
        secret.encode(), fields["t"].encode() + b"." + request["raw"], hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, fields["v1"]) and abs(time.time() - int(fields["t"])) < 300


def test_publish_is_delivered_with_a_valid_signature(worker, home, receiver):
    # Given a station subscribed to Chinese articles
    station = make_station("米兰联络站", receiver.url, secret="milan-secret")
    channel = ChannelPageFactory(parent=home)
    # When an editor publishes an article
    article = make_article(channel, title="米兰侨胞欢度中秋")
    # Then the worker delivers it, signed, with the event and a stable key
    wait_for(lambda: delivery_states(station) == [(1, "delivered")])
    [request] = receiver.requests
    assert verify_signature(request, "milan-secret")
    assert not verify_signature(request, "wrong-secret")
    assert request["headers"]["Qiaoyin-Event"] == "article.published"
    assert request["headers"]["User-Agent"].startswith("Qiaoyin-Push/")
    delivery = Delivery.objects.get(station=station)
    assert request["headers"]["Idempotency-Key"] == str(delivery.idempotency_key)
    assert request["json"]["uri"] == article.uri and request["json"]["version"] == 1
    assert request["json"]["item"]["headlines"][0]["value"] == "米兰侨胞欢度中秋"


def test_correction_and_takedown_reach_the_right_stations(worker, home, receiver):
    # Given station A subscribed when the article was published
    channel = ChannelPageFactory(parent=home)
    other_channel = ChannelPageFactory(parent=home)
    a = make_station("A站", receiver.url)
    article = make_article(channel)
    wait_for(lambda: delivery_states(a) == [(1, "delivered")])
    # And then A narrows its subscription to another channel, C joins, B takes English only
    a.filter_channels.add(other_channel)
    c = make_station("C站", receiver.url)
    b = make_station("B站", receiver.url, locales=["en"])
    # When the article is corrected
    article.title = "更正后的标题"
    publish(article)
    # Then the correction goes to the earlier recipient A and the newly matching C, not B
    wait_for(lambda: delivery_states(a)[-1] == (2, "delivered"))
    wait_for(lambda: delivery_states(c) == [(2, "delivered")])
    assert delivery_states(b) == []
    # When a new station D joins and the article is unpublished
    d = make_station("D站", receiver.url)
    article.unpublish()
    # Then only earlier recipients get the takedown, with pubstatus canceled
    wait_for(lambda: delivery_states(a)[-1] == (3, "delivered"))
    wait_for(lambda: delivery_states(c)[-1] == (3, "delivered"))
    assert delivery_states(d) == []
    events = [(r["json"]["version"], r["headers"]["Qiaoyin-Event"]) for r in receiver.requests]
    assert sorted(events) == [
        (1, "article.published"),
        (2, "article.corrected"),
        (2, "article.corrected"),
        (3, "article.canceled"),
        (3, "article.canceled"),
    ]
    canceled = [r for r in receiver.requests if r["json"]["version"] == 3]
    assert all(r["json"]["item"]["pubstatus"] == "canceled" for r in canceled)


def test_deleting_a_published_article_sends_a_takedown(worker, home, receiver):
    station = make_station("删除测试站", receiver.url)
    article = make_article(ChannelPageFactory(parent=home))
    wait_for(lambda: delivery_states(station) == [(1, "delivered")])

    article.delete()

    wait_for(lambda: delivery_states(station) == [(1, "delivered"), (2, "delivered")])
    assert receiver.requests[-1]["headers"]["Qiaoyin-Event"] == "article.canceled"


def test_a_newer_version_never_overtakes_one_still_in_flight(worker, home, receiver):
    # Given the station answers the first version slowly, then with a 503
    release_v1 = threading.Event()

    def respond(request):
        if request["json"]["version"] == 1:
            release_v1.wait(20)
            return 503, {}
        return 200, {}

    receiver.respond = respond
    station = make_station("顺序站", receiver.url)
    article = make_article(ChannelPageFactory(parent=home))
    wait_for(lambda: receiver.requests)
    # When a correction is published while version 1 is still being sent
    article.title = "更正"
    publish(article)
    time.sleep(1.5)  # version 2's own task runs now and must wait
    assert [r["json"]["version"] for r in receiver.requests] == [1]
    release_v1.set()
    # Then version 1 ends (superseded instead of retried) before version 2 is sent
    wait_for(lambda: delivery_states(station) == [(1, "superseded"), (2, "delivered")])
    assert [r["json"]["version"] for r in receiver.requests] == [1, 2]


def test_429_waits_for_retry_after_with_the_same_idempotency_key(worker, home, receiver):
    responses = iter([(429, {"Retry-After": "3"}), (503, {}), (200, {})])
    receiver.respond = lambda request: next(responses)
    station = make_station("限流站", receiver.url)

    make_article(ChannelPageFactory(parent=home))

    wait_for(lambda: delivery_states(station) == [(1, "delivered")], timeout=40)
    first, second, third = receiver.requests
    assert second["at"] - first["at"] >= 3  # Retry-After honoured (backoff alone is ~1 s)
    keys = {r["headers"]["Idempotency-Key"] for r in receiver.requests}
    assert len(keys) == 1
    assert Delivery.objects.get(station=station).attempts == 3


def test_a_4xx_fails_at_once_with_the_response_recorded(worker, home, receiver):
    receiver.respond = lambda request: (422, {})
    station = make_station("拒收站", receiver.url)

    make_article(ChannelPageFactory(parent=home))

    wait_for(lambda: delivery_states(station) == [(1, "failed")])
    time.sleep(2.5)  # longer than any retry delay in these tests
    assert len(receiver.requests) == 1
    delivery = Delivery.objects.get(station=station)
    assert delivery.last_status == 422 and "HTTP 422" in delivery.last_error


def test_failing_station_is_paused_and_resuming_replays_in_order(worker, home, receiver):
    from stations.tasks import resume_station

    # Given a station that is down
    receiver.respond = lambda request: (500, {})
    station = make_station("故障站", receiver.url)
    channel = ChannelPageFactory(parent=home)
    first = make_article(channel, title="第一篇")
    second = make_article(channel, title="第二篇")
    # When its attempts keep failing
    wait_for(lambda: LiaisonStation.objects.get(pk=station.pk).is_paused, timeout=40)
    # Then it is paused automatically and nothing more is sent
    time.sleep(2)
    count_when_paused = len(receiver.requests)
    time.sleep(3)
    assert len(receiver.requests) == count_when_paused
    # When the station is back and an operator resumes it
    receiver.respond = lambda request: (200, {})
    resume_station(LiaisonStation.objects.get(pk=station.pk))
    # Then its backlog is delivered in the order it was queued
    wait_for(lambda: [s for _, s in delivery_states(station)] == ["delivered", "delivered"])
    delivered = [r["json"]["uri"] for r in receiver.requests[count_when_paused:]]
    assert delivered == [first.uri, second.uri]


def test_worker_killed_mid_delivery_delivers_once_after_restart(worker, home, receiver):
    from stations.tasks import sweep_deliveries

    # Given a station that is slow to answer the first request
    first_request = threading.Event()

    def respond(request):
        if not first_request.is_set():
            first_request.set()
            time.sleep(8)  # the worker is SIGKILLed while it waits for this answer
        return 200, {}

    receiver.respond = respond
    station = make_station("断电站", receiver.url)
    make_article(ChannelPageFactory(parent=home))
    assert first_request.wait(20)
    # When the worker is killed mid-delivery and started again
    worker.kill()
    assert delivery_states(station) == [(1, "sending")]
    worker.start()
    time.sleep(3.5)  # past STATION_PUSH_SENDING_TIMEOUT
    sweep_deliveries.delay()
    # Then the delivery completes, and the station sees one idempotency key only
    wait_for(lambda: delivery_states(station) == [(1, "delivered")])
    assert len(receiver.requests) == 2
    assert len(receiver.by_key()) == 1


def test_the_sweep_recovers_a_lost_broker_message(worker, home, receiver, push_redis):
    from config.celery import app as celery_app
    from config.workers import DELIVERY_QUEUE
    from stations.tasks import sweep_deliveries

    # Given the worker is not consuming and the queued message is then lost
    celery_app.control.cancel_consumer(DELIVERY_QUEUE, reply=True)
    station = make_station("丢消息站", receiver.url)
    try:
        make_article(ChannelPageFactory(parent=home))
        wait_for(lambda: push_redis.llen(DELIVERY_QUEUE) > 0)
        push_redis.delete(DELIVERY_QUEUE)
    finally:
        celery_app.control.add_consumer(DELIVERY_QUEUE, reply=True)
    time.sleep(1.5)
    assert delivery_states(station) == [(1, "pending")] and receiver.requests == []
    # When the beat's sweep runs
    sweep_deliveries.delay()
    # Then the row, the source of truth, is delivered
    wait_for(lambda: delivery_states(station) == [(1, "delivered")])
    assert len(receiver.requests) == 1


def test_s3_drop_receives_the_payload(worker, home, moto_s3):
    from stations.models import Destination

    # Given a station with an S3 drop in ninjs 3.1
    station = LiaisonStation.objects.create(name="S3站", locales=["zh-hans"])
    Destination.objects.create(
        station=station,
        transport=Destination.Transport.S3,
        format="ninjs-3.1",
        s3_bucket=moto_s3.bucket,
        s3_prefix="qiaoyin/in",
        s3_region="us-east-1",
        s3_endpoint_url=moto_s3.url,
        s3_credentials_ref="PUSH_TEST_S3",
    )
    # When an article is published
    article = make_article(ChannelPageFactory(parent=home))
    # Then its payload lands in the bucket under the prefix, keyed by uri and version
    wait_for(lambda: delivery_states(station) == [(1, "delivered")])
    key = f"qiaoyin/in/{article.uri}/v000001.json"
    stored = moto_s3.client.get_object(Bucket=moto_s3.bucket, Key=key)
    body = json.loads(stored["Body"].read())
    assert body["item"]["uri"] == article.uri and body["item"]["pubStatus"] == "usable"
    assert stored["Metadata"]["qiaoyin-event"] == "article.published"
