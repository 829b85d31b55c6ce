"""Publishing through the admin while Redis, the broker or both are down: the article is
live, the editor sees no error, and every station receives it once the service is back
(beat's tasks run as beat would). And the ledger reconciliation.

"Down" is a closed port on 127.0.0.1 (the shared Redis server keeps running).
"""

import logging
import re
import uuid

from django.test import Client
from django.urls import reverse

from wagtail.signals import page_published

import pytest

from cms.models import PendingPageCacheClear
from cms.tasks import retry_page_cache_clears
from stations.models import ArticleVersion, Delivery, DistributedArticle
from stations.reconciliation import reconcile_ledger
from stations.signal_handlers import on_published
from stations.tasks import sweep_deliveries
from tests.cms.admin_forms import chief_editor, edit_url, post_editor
from tests.cms.factories import ChannelPageFactory, make_article, publish
from tests.redis_caches import caches_at, closed_port_url

from .conftest import PUSH_REDIS_URL, Receiver, make_station, point_celery_at, wait_for

CORRECTED_TITLE = "侨胞春节联欢会改期（更正）"


def delivered_versions(station):
    return sorted(
        Delivery.objects.filter(station=station, state=Delivery.State.DELIVERED).values_list(
            "version", flat=True
        )
    )


@pytest.fixture
def receivers():
    started = [Receiver(), Receiver()]
    yield started
    for receiver in started:
        receiver.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
@pytest.mark.parametrize("down", ["redis", "broker", "both"])
def test_a_correction_published_during_an_outage_reaches_every_station(
    down, worker, home, settings, receivers
):
    # Given caches on Redis and two stations that received the article's first version
    prefix = uuid.uuid4().hex[:8]
    settings.CACHES = caches_at(PUSH_REDIS_URL, prefix)
    settings.STATION_PUSH_SWEEP_GRACE = 0
    stations = [make_station(f"联络站{n}", r.url) for n, r in enumerate(receivers)]
    article = make_article(ChannelPageFactory(parent=home), title="侨胞春节联欢会")
    for station in stations:
        wait_for(lambda station=station: delivered_versions(station) == [1], timeout=60)
    assert Client().get(article.url).status_code == 200  # now in the page cache
    # When the service goes down and an editor publishes a correction from the admin
    if down in ("redis", "both"):
        settings.CACHES = caches_at(closed_port_url(), prefix)
    if down in ("broker", "both"):
        point_celery_at(closed_port_url())
    editor = Client()
    editor.force_login(chief_editor())
    response = post_editor(
        editor, edit_url(article), action="action-publish", title=CORRECTED_TITLE
    )
    # Then the editor is taken back to the editor, with no error page
    assert response.status_code == 302
    assert editor.get(response.url).status_code == 200
    # … the correction is live, with its ledger version written in the same transaction
    article.refresh_from_db()
    assert article.title == CORRECTED_TITLE
    distributed = DistributedArticle.objects.get(uri=article.uri)
    assert distributed.current_version == 2
    assert distributed.versions.get(version=2).revision_id == article.live_revision_id
    # … the clear the cache missed is kept for beat, and the deliveries the broker could
    # not take wait in the ledger
    assert PendingPageCacheClear.objects.exists() == (down != "broker")
    if down != "redis":
        assert not any(r["json"]["version"] == 2 for rec in receivers for r in rec.requests)
        states = Delivery.objects.filter(version=2).values_list("state", flat=True)
        assert sorted(states) == ["pending", "pending"]
    # … and readers get it (straight from the database while the cache is down)
    if down == "broker":
        reader = Client().get(article.url)
        assert reader.status_code == 200 and CORRECTED_TITLE in reader.content.decode()
    else:
        assert Client().get(article.url).status_code == 200
    # When the service is back and beat's tasks run
    settings.CACHES = caches_at(PUSH_REDIS_URL, prefix)
    point_celery_at(PUSH_REDIS_URL)
    retry_page_cache_clears()  # here: this process's caches are the ones that were down
    sweep_deliveries.delay()  # through the broker, to the worker, as beat sends it
    # Then every station receives the correction, and readers get it from the cache too
    assert not PendingPageCacheClear.objects.exists()
    for station in stations:
        wait_for(lambda station=station: delivered_versions(station) == [1, 2], timeout=60)
    for receiver in receivers:
        corrections = [r for r in receiver.requests if r["json"]["version"] == 2]
        assert [r["headers"]["Qiaoyin-Event"] for r in corrections] == ["article.corrected"]
        assert corrections[0]["json"]["item"]["headlines"][0]["value"] == CORRECTED_TITLE
    reader = Client().get(article.url)
    assert reader.status_code == 200 and CORRECTED_TITLE in reader.content.decode()


# --- the reconciliation ---------------------------------------------------------------------
@pytest.mark.django_db
def test_reconciliation_distributes_a_live_revision_the_ledger_missed(
    home, admin_client, caplog, django_capture_on_commit_callbacks
):
    # Given a station that received an article's first version
    station = make_station("对账联络站", "https://station.example.org/hook")
    article = make_article(ChannelPageFactory(parent=home), title="海外侨团座谈会")
    # And a correction that went live without reaching the ledger (as a script, a restore
    # or a receiver that was not connected would leave it)
    page_published.disconnect(dispatch_uid="stations_push_published")
    try:
        article.title = "海外侨团座谈会（更正）"
        publish(article)
    finally:
        page_published.connect(on_published, dispatch_uid="stations_push_published")
    assert DistributedArticle.objects.get(uri=article.uri).current_version == 1
    # When beat runs the reconciliation
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        reconcile_ledger()
    # Then the live revision is distributed as the next version, logged
    version = ArticleVersion.objects.get(article__uri=article.uri, version=2)
    assert (version.event, version.revision_id) == ("article.corrected", article.live_revision_id)
    assert version.reconciled
    assert list(
        Delivery.objects.filter(station=station).order_by("version").values_list("version")
    ) == [(1,), (2,)]
    assert f"live revision {article.live_revision_id} of article {article.pk}" in caplog.text
    # … once: the next run finds nothing missing
    reconcile_ledger()
    assert ArticleVersion.objects.filter(article__uri=article.uri).count() == 2
    # … and the delivery dashboard counts it
    page = admin_client.get(reverse("stations_dashboard")).content.decode()
    counter = re.search(r'data-testid="reconciliation">(.*?)</p>', page, re.S).group(1)
    assert re.search(r"[:：]\s*1\b", counter), counter


@pytest.mark.django_db
def test_a_receiver_failing_inside_the_publish_takes_it_back_whole(home):
    # Given a published article and a page_published receiver that fails after the ledger's
    station = make_station("整体回滚站", "https://station.example.org/hook")
    article = make_article(ChannelPageFactory(parent=home), title="侨商大会开幕")
    live_revision = article.live_revision_id

    def failing_receiver(**kwargs):
        raise RuntimeError("a receiver's bug")

    page_published.connect(failing_receiver, dispatch_uid="test_failing_receiver")
    try:
        # When a correction is published
        article.title = "侨商大会开幕（更正）"
        with pytest.raises(RuntimeError):
            publish(article)
    finally:
        page_published.disconnect(dispatch_uid="test_failing_receiver")
    # Then neither the revision nor its ledger version is kept: never one without the other
    article.refresh_from_db()
    assert article.live_revision_id == live_revision
    assert DistributedArticle.objects.get(uri=article.uri).current_version == 1
    assert Delivery.objects.filter(station=station).count() == 1
