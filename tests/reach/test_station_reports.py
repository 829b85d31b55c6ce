"""Station-reported reach through the station API: idempotent, all-or-nothing, replay-safe."""

import json

from django.utils import timezone

import pytest

from reach.models import StationReport
from stations.models import LiaisonStation, StationToken

pytestmark = pytest.mark.django_db
URL = "/api/stations/v1/reach/"


@pytest.fixture
def station():
    return LiaisonStation.objects.create(name="米兰联络站", locales=["zh-hans"])


@pytest.fixture
def token(station):
    return StationToken.issue(station, name="main")[1]


@pytest.fixture
def post(client, token):
    def send(body, token=token, raw=None, content_type="application/json"):
        return client.post(
            URL,
            raw if raw is not None else json.dumps(body),
            content_type=content_type,
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
        )

    return send


def item(article, **fields):
    return {
        "uri": article.uri,
        "day": timezone.localdate().isoformat(),
        "channel": "wechat",
        "account": "米兰华人街",
        "views": 1200,
        "shares": 35,
        **fields,
    }


def figures():
    return sorted(StationReport.objects.values_list("channel", "views", "shares"))


def test_a_station_reports_views_and_shares_per_channel(post, article, station):
    response = post({"reports": [item(article), item(article, channel="print", views=3000)]})
    assert response.status_code == 200
    assert response.json() == {"received": 2, "created": 2, "replaced": 0}
    assert figures() == [("print", 3000, 35), ("wechat", 1200, 35)]
    report = StationReport.objects.get(channel="wechat")
    assert (report.station, report.page_id, report.account) == (station, article.pk, "米兰华人街")


def test_a_resend_replaces_rather_than_adds(post, article):
    post({"reports": [item(article)]})
    response = post({"reports": [item(article, views=1500, shares=40)]})
    assert response.json() == {"received": 1, "created": 0, "replaced": 1}
    assert figures() == [("wechat", 1500, 40)]


def test_an_older_report_cannot_roll_figures_back(post, article):
    post({"reports": [item(article, views=1500, as_of="2026-01-02T08:00:00Z")]})
    replay = post({"reports": [item(article, views=900, as_of="2026-01-01T08:00:00Z")]})
    assert replay.status_code == 409
    assert "newer figures" in replay.json()["error"]
    assert figures() == [("wechat", 1500, 35)]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"uri": "urn:qiaoyin:article:nope"}, "uri"),
        ({"day": "2026-13-01"}, "day"),
        ({"day": "1999-01-01"}, "day"),
        ({"channel": "fax"}, "channel"),
        ({"views": -1}, "views"),
        ({"views": "12"}, "views"),
        ({"shares": True}, "shares"),
        ({"account": "x" * 101}, "account"),
        ({"as_of": "2026-01-01T08:00:00"}, "as_of"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_item_refuses_the_whole_batch(post, article, change, field):
    # Given a valid item and a bad one in the same request
    response = post({"reports": [item(article, channel="site"), item(article, **change)]})
    # Then nothing is stored and the message names the bad field
    assert response.status_code == 400
    assert field in response.json()["error"]
    assert not StationReport.objects.exists()


def test_the_same_key_twice_in_one_request_is_refused(post, article):
    response = post({"reports": [item(article), item(article, views=5)]})
    assert response.status_code == 400
    assert not StationReport.objects.exists()


def test_oversized_reports_are_refused(post, article, settings):
    settings.REACH_REPORT_MAX_ITEMS = 3
    many = [item(article, day=f"2026-0{n}-01") for n in range(1, 5)]
    assert post({"reports": many}).status_code == 400
    huge = json.dumps({"reports": [item(article, account="侨" * 90)] * 4000})
    assert post(None, raw=huge).status_code == 413
    assert not StationReport.objects.exists()


@pytest.mark.parametrize(
    "raw, content_type, status",
    [
        ("{not json", "application/json", 400),
        ('{"reports": []}', "application/json", 400),
        ('["a"]', "application/json", 400),
        ("reports=1", "application/x-www-form-urlencoded", 415),
    ],
)
def test_malformed_bodies_are_refused(post, article, raw, content_type, status):
    assert post(None, raw=raw, content_type=content_type).status_code == status
    assert not StationReport.objects.exists()


def test_without_a_valid_token_nothing_is_stored(post, article):
    response = post({"reports": [item(article)]}, token="wrong")
    assert response.status_code == 401
    assert not StationReport.objects.exists()


def test_only_post_is_allowed(client, token):
    response = client.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_the_openapi_document_describes_the_endpoint(client):
    schema = client.get("/api/stations/v1/openapi.json").json()
    operation = schema["paths"]["/reach/"]["post"]
    assert {"200", "400", "401", "409", "413", "429"} <= set(operation["responses"])
    assert schema["components"]["schemas"]["ReachItem"]["required"] == ["uri", "day", "channel"]
