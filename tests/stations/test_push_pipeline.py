"""The outbox and the state machine, driven in-process (no worker): routing, ordering,
retry rules, the SSRF guard, formatting once, and a publish that survives a dead broker."""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

import pytest

from config.celery import app as celery_app
from stations import delivery as machine
from stations.models import Delivery, Destination, FormattedPayload, LiaisonStation
from stations.tasks import resend
from stations.transports.base import AttemptResult, parse_retry_after
from stations.transports.webhook import check_url_allowed
from tests.cms.factories import ChannelPageFactory, CountryFactory, make_article, publish

from .conftest import Receiver, make_station

pytestmark = pytest.mark.django_db
URL = "https://station.example.org/hook"


def rows(station):
    return list(
        Delivery.objects.filter(station=station)
        .order_by("version")
        .values_list("version", "event", "state")
    )


@pytest.fixture
def channel(home):
    return ChannelPageFactory(parent=home)


def test_publish_writes_one_row_per_matching_destination(channel, newsroom):
    # Given stations with different languages and filters
    everything = make_station("全收站", URL)
    english = make_station("英文站", URL, locales=["en"])
    other_channel = ChannelPageFactory(parent=newsroom["zh-hans"])
    filtered_out = make_station("栏目站", URL)
    filtered_out.filter_channels.add(other_channel)
    by_channel = make_station("本栏目站", URL)
    by_channel.filter_channels.add(channel)
    italy = CountryFactory()
    by_country = make_station("意大利站", URL)
    by_country.filter_countries.add(italy)
    inactive = make_station("停用站", URL, is_active=False)
    paused = make_station("暂停站", URL, paused_at=timezone.now())
    # When a Chinese article about Italy is published in `channel`
    article = make_article(channel)
    article.countries.add(italy)
    article.save()
    # (the country is only known after the first save, so check the correction's routing)
    # Then every matching, active station has a pending row; paused ones keep theirs
    assert rows(everything) == [(1, "article.published", "pending")]
    assert rows(by_channel) == [(1, "article.published", "pending")]
    assert rows(paused) == [(1, "article.published", "pending")]
    assert rows(english) == rows(filtered_out) == rows(inactive) == rows(by_country) == []
    publish(article)
    assert rows(by_country) == [(2, "article.corrected", "pending")]
    # And each row has an idempotency key of its own, a version 4 UUID
    keys = list(Delivery.objects.values_list("idempotency_key", flat=True))
    assert len(set(keys)) == len(keys) == 7  # 3 published, 4 corrected (by_country too)
    assert {key.version for key in keys} == {4}


def test_channel_filter_matches_the_translated_channel(channel, newsroom):
    station = make_station("双语站", URL, locales=["en"])
    station.filter_channels.add(channel)  # chosen in Chinese
    article = make_article(channel)
    english = article.copy_for_translation(newsroom["en"].locale, copy_parents=True)

    english.save_revision().publish()

    assert Delivery.objects.get(station=station).article.uri == english.uri


def test_a_newer_version_supersedes_a_waiting_one(channel):
    station = make_station("只要最新站", URL)
    article = make_article(channel)

    publish(article)

    assert rows(station) == [
        (1, "article.published", "superseded"),
        (2, "article.corrected", "pending"),
    ]


def test_takedown_only_for_earlier_recipients_and_only_once(channel):
    recipient = make_station("旧站", URL)
    article = make_article(channel)
    newcomer = make_station("新站", URL)

    article.unpublish()
    article.refresh_from_db()
    article.delete()

    assert rows(recipient)[-1] == (2, "article.canceled", "pending")
    assert rows(newcomer) == []


def test_version_n_plus_1_waits_while_n_is_sending(channel):
    station = make_station("顺序站", URL)
    article = make_article(channel)
    first = Delivery.objects.get(station=station)
    first.state = Delivery.State.SENDING
    first.save()

    publish(article)
    second = Delivery.objects.get(station=station, version=2)

    assert machine.claim(second.pk) is None
    assert Delivery.objects.get(pk=second.pk).state == "pending"


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(200, "delivered"), (204, "delivered"), (500, "retry"), (503, "retry"), (408, "retry")]
    + [(425, "retry"), (429, "retry"), (400, "fail"), (401, "fail"), (404, "fail")]
    + [(410, "fail"), (301, "fail")],
)
def test_status_codes_map_to_the_issue_rules(status, outcome):
    assert AttemptResult.from_status(status).outcome == outcome


def test_retry_after_accepts_seconds_and_http_dates():
    assert parse_retry_after("120") == 120
    in_a_minute = timezone.now() + timedelta(seconds=60)
    http_date = in_a_minute.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 55 <= parse_retry_after(http_date) <= 61
    assert parse_retry_after("soon") is None


def test_backoff_doubles_from_one_minute_capped_at_one_hour(settings):
    settings.STATION_PUSH_BACKOFF_BASE = 60
    settings.STATION_PUSH_BACKOFF_MAX = 3600
    for attempts, full in [(1, 60), (2, 120), (3, 240), (7, 3600), (20, 3600)]:
        delays = [machine.backoff(attempts) for _ in range(50)]
        assert all(full / 2 <= d <= full for d in delays)
        assert len(set(delays)) > 1  # jittered


def test_a_retry_past_the_give_up_time_fails(channel, settings):
    settings.STATION_PUSH_GIVE_UP_AFTER = 3600
    station = make_station("放弃站", URL)
    make_article(channel)
    row = Delivery.objects.get(station=station)
    Delivery.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - timedelta(hours=2), state="sending", attempts=5
    )

    machine.finish(Delivery.objects.get(pk=row.pk), AttemptResult("retry", 503, "HTTP 503"))

    assert Delivery.objects.get(pk=row.pk).state == "failed"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:8080/hook", True),  # allow-listed in test settings
        ("http://169.254.169.254/latest/meta-data/", False),  # cloud metadata
        ("https://10.0.0.7/hook", False),
        ("https://192.168.1.1/hook", False),
        ("https://[::1]/hook", False),
        ("https://[::ffff:127.0.0.1]/hook", False),  # IPv4-mapped IPv6 loopback
        ("https://[::ffff:169.254.169.254]/hook", False),
        ("https://[fe80::1]/hook", False),  # IPv6 link-local
        ("https://[2606:4700:4700::1111]/hook", True),  # a public IPv6 address
        ("https://127.0.0.2/hook", False),  # loopback, but not the allow-listed address
        ("http://example.org/hook", False),  # plain HTTP to a host not allow-listed
        ("ftp://example.org/hook", False),
        # Decimal, hex and octal spellings of loopback (127.0.0.2: the test settings allow
        # 127.0.0.1) and of the metadata address
        ("https://2130706434/hook", False),
        ("https://0x7f.0.0.2/hook", False),
        ("https://0177.0.0.2/hook", False),
        ("https://0xa9fea9fe/hook", False),
        # IPv6 addresses that lead to a private or loopback IPv4 address through a
        # translator or tunnel: NAT64, 6to4, IPv4-compatible, Teredo
        ("https://[64:ff9b::a9fe:a9fe]/hook", False),
        ("https://[64:ff9b::7f00:1]/hook", False),
        ("https://[2002:7f00:1::]/hook", False),
        ("https://[2002:a00:7::1]/hook", False),
        ("https://[::127.0.0.1]/hook", False),
        ("https://[::a9fe:a9fe]/hook", False),
        ("https://[2001:0:5db8:d70e:8000:63bf:f5ff:fffe]/hook", False),  # Teredo to 10.0.0.1
        ("https://[64:ff9b::5db8:d70e]/hook", True),  # NAT64 to a public address
    ],
)
def test_ssrf_guard(url, allowed):
    assert (check_url_allowed(url) is None) is allowed


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.7/hook",
        "https://2130706433/hook",
        "https://[64:ff9b::a9fe:a9fe]/hook",
        "https://[2002:7f00:1::]/hook",
        "https://[::127.0.0.1]/hook",
        "https://[2001:0:5db8:d70e:8000:63bf:f5ff:fffe]/hook",
    ],
)
def test_a_destination_at_a_private_address_is_refused_at_registration(settings, url):
    settings.STATION_PUSH_ALLOW_HOSTS = []
    # Given a station's webhook written as an address (the form looks nothing up)
    destination = Destination(transport=Destination.Transport.WEBHOOK, url=url)
    # When it is validated, as the admin's form and the stations command do
    with pytest.raises(ValidationError) as refused:
        destination.clean()
    # Then it is refused, naming the private address it leads to
    assert "url" in refused.value.message_dict


def test_host_names_are_checked_by_the_addresses_they_resolve_to(settings):
    settings.STATION_PUSH_ALLOW_HOSTS = []
    assert "127.0.0.1" in check_url_allowed("https://localhost/hook")


def test_allow_list_accepts_cidrs(settings):
    settings.STATION_PUSH_ALLOW_HOSTS = ["10.0.0.0/8", "intranet.local"]
    assert check_url_allowed("https://10.1.2.3/hook") is None
    assert check_url_allowed("http://intranet.local/hook") is None
    assert check_url_allowed("https://192.168.0.1/hook") is not None


def test_refused_destination_fails_without_a_request(channel):
    station = make_station("内网站", "http://169.254.169.254/hook")
    make_article(channel)
    row = Delivery.objects.get(station=station)

    machine.attempt(row.pk)

    row.refresh_from_db()
    assert row.state == "failed" and "169.254.169.254" in row.last_error


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_one_delivery_send_it_once(home):
    # Given a waiting delivery
    station = make_station("抢单站", URL)
    make_article(ChannelPageFactory(parent=home))
    row = Delivery.objects.get(station=station)
    # When eight worker threads claim it at the same moment
    start = threading.Barrier(8)

    def claim():
        start.wait()
        try:
            return machine.claim(row.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        claims = list(pool.map(lambda _n: claim(), range(8)))
    # Then one of them may send it, and it counts one attempt
    assert len([claimed for claimed in claims if claimed is not None]) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sending", 1)


def test_deliveries_to_one_host_share_a_kept_connection(channel):
    # Given three stations whose endpoints are on one server that keeps connections open
    receiver = Receiver(keep_alive=True)
    try:
        for n in range(3):
            make_station(f"同机站{n}", f"{receiver.url}/{n}")
        make_article(channel)
        # When a worker thread sends the article to each of them
        for row in Delivery.objects.order_by("pk"):
            machine.attempt(row.pk)
    finally:
        receiver.close()
    # Then each station got it, over one TCP connection rather than one per delivery
    assert sorted(Delivery.objects.values_list("state", flat=True)) == ["delivered"] * 3
    assert len(receiver.requests) == 3 and receiver.connections == 1


def test_formatted_once_per_version_and_format(channel):
    for n in range(4):
        make_station(f"站{n}", URL, fmt="ninjs-2.2" if n % 2 else "ninjs-3.1")
    make_article(channel)

    for row in Delivery.objects.select_related("destination", "station", "article"):
        machine.envelope(row)

    assert FormattedPayload.objects.count() == 2  # one per format, not one per station


def test_webhook_secret_is_encrypted_at_rest():
    station = LiaisonStation.objects.create(name="密钥站")
    destination = Destination(station=station, url=URL)
    destination.secret = "top-secret-value"
    destination.save()

    stored = Destination.objects.get(pk=destination.pk)
    assert "top-secret-value" not in stored.secret_encrypted
    assert stored.secret == "top-secret-value"


def test_publish_survives_a_dead_broker(channel, caplog, django_capture_on_commit_callbacks):
    # Given the broker cannot be reached
    station = make_station("断网站", URL)
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            article = make_article(channel)
        # When the push's on-commit enqueue runs (other apps' callbacks are theirs to test)
        ours = [cb for cb in callbacks if "create_deliveries" in getattr(cb, "__qualname__", "")]
        with caplog.at_level(logging.ERROR, logger="stations.outbox"):
            for callback in ours:
                callback()
    finally:
        celery_app.conf.broker_url = previous
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
    # Then nothing is raised: the article is live, the row waits for the sweep, it is logged
    assert ours and article.live
    assert rows(station) == [(1, "article.published", "pending")]
    assert "the sweep will send them" in caplog.text


def test_sweep_requeues_due_and_stuck_rows(channel, settings):
    settings.STATION_PUSH_SWEEP_GRACE = 0
    settings.STATION_PUSH_SENDING_TIMEOUT = 60
    station = make_station("巡检站", URL)
    paused = make_station("暂停巡检站", URL, paused_at=timezone.now())
    make_article(channel)
    stuck = Delivery.objects.get(station=station)
    Delivery.objects.filter(pk=stuck.pk).update(
        state="sending", sending_since=timezone.now() - timedelta(minutes=5)
    )

    queued = machine.sweep()

    assert queued == [stuck.pk]
    assert Delivery.objects.get(pk=stuck.pk).state == "retrying"
    assert not Delivery.objects.filter(station=paused, pk__in=queued).exists()


def test_beat_runs_the_sweep_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["stations-sweep-deliveries"]
    assert entry == {"task": "stations.tasks.sweep_deliveries", "schedule": 60.0}
    from stations.tasks import deliver, sweep_deliveries

    assert deliver.acks_late and sweep_deliveries.acks_late


def test_resend_requeues_only_the_newest_failed_version(channel):
    station = make_station("重发站", URL)
    article = make_article(channel)
    Delivery.objects.filter(station=station).update(state="failed")
    publish(article)
    Delivery.objects.filter(station=station, version=2).update(state="failed")

    count = resend(Delivery.objects.filter(station=station))

    assert count == 1
    assert rows(station) == [
        (1, "article.published", "failed"),
        (2, "article.corrected", "pending"),
    ]


def test_old_payloads_are_pruned_but_the_ledger_stays(channel, settings):
    from stations.tasks import prune_payloads

    settings.STATION_PAYLOAD_RETENTION_DAYS = 30
    station = make_station("存档站", URL)
    make_article(channel)
    row = Delivery.objects.select_related("destination", "station", "article").get(station=station)
    machine.envelope(row)
    FormattedPayload.objects.update(created_at=timezone.now() - timedelta(days=31))

    prune_payloads()

    assert FormattedPayload.objects.get().body is None
    assert Delivery.objects.filter(station=station).count() == 1
    machine._payload_cache.clear()
    assert b'"item": {' in machine.envelope(row)  # a resend re-formats from the revision
