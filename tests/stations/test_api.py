"""Station API v1: token rules, subscription, filters, cursor pagination, delivery log, schema."""

import json
import re
from datetime import timedelta
from pathlib import Path

from django.test import Client
from django.utils import timezone

import jsonschema
import pytest

from cms.models import Country
from stations.formatters.ninjs import SCHEMA_URIS
from stations.models import (
    ArticleVersion,
    Delivery,
    Destination,
    DistributedArticle,
    LiaisonStation,
    StationToken,
)
from stations.pull.api import urls as api_urls
from tests.cms.factories import ChannelPageFactory, make_article

API = "/api/stations/v1/"
NINJS_22 = Path(__file__).resolve().parents[2] / "stations/schemas/ninjs-schema_2.2.json"


@pytest.fixture
def channel(home):
    return ChannelPageFactory(parent=home, title="侨界动态", slug="qiaojie")


@pytest.fixture
def station():
    return LiaisonStation.objects.create(name="米兰联络站", locales=["zh-hans", "en"])


@pytest.fixture
def token(station):
    return StationToken.issue(station, name="main")[1]


def get(client, path, token=None, **params):
    # Error messages follow Accept-Language (Chinese by default); these tests read English.
    headers = {"HTTP_ACCEPT_LANGUAGE": "en"}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(f"{API}{path}", params, **headers)


def uris(response):
    return [item["uri"] for item in response.json()["items"]]


# --- tokens -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_valid_token_lists_the_stations_articles_in_ninjs(client, channel, token):
    # Given a published article
    article = make_article(channel, title="海外联络站年会召开")

    # When the station pulls with its token
    response = get(client, "articles/", token)

    # Then it gets the article as a valid ninjs 2.2 item, privately
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    [item] = response.json()["items"]
    assert item["uri"] == article.uri
    assert item["headlines"][0]["value"] == "海外联络站年会召开"
    schema = json.loads(NINJS_22.read_text(encoding="utf-8"))
    jsonschema.validate(item, schema)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer qys_not-a-real-token", "Basic dXNlcjpwYXNz", "qys_missing_scheme"],
)
def test_missing_or_wrong_tokens_get_401(client, token, authorization):
    response = client.get(f"{API}articles/", HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 401
    assert "token" in response.json()["error"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_expired_and_revoked_tokens_get_401(client, station):
    # Given a token that expired and one that was revoked after rotation
    _, expired = StationToken.issue(station, expires_at=timezone.now() - timedelta(minutes=1))
    revoked_token, revoked = StationToken.issue(station)
    _, current = StationToken.issue(station)
    revoked_token.revoke()

    # Then only the current one opens the API
    assert get(client, "articles/", expired).status_code == 401
    assert get(client, "articles/", revoked).status_code == 401
    assert get(client, "articles/", current).status_code == 200


@pytest.mark.django_db
def test_a_deactivated_station_is_locked_out(client, station, token):
    station.is_active = False
    station.save()
    assert get(client, "articles/", token).status_code == 401


@pytest.mark.django_db
def test_the_token_is_rate_limited_per_token(client, settings, station, token):
    # Given a limit of 3 requests a minute
    settings.STATION_API_RATE = "3/m"
    other = StationToken.issue(LiaisonStation.objects.create(name="马德里联络站"))[1]

    # When one token makes a fourth request
    statuses = [get(client, "", token).status_code for _ in range(4)]

    # Then it is refused with a Retry-After, while another station's token still works
    assert statuses == [200, 200, 200, 429]
    refused = get(client, "", token)
    assert int(refused["Retry-After"]) >= 1
    assert "Too many requests" in refused.json()["error"]
    assert get(client, "", other).status_code == 200


@pytest.mark.django_db
def test_made_up_tokens_are_limited_by_client_address(client, settings, token):
    # Given a limit of 3 requests a minute, behind a proxy that names the client
    settings.STATION_API_RATE = "3/m"
    settings.CLIENT_IP_META_KEY = "HTTP_X_REAL_IP"
    attacker = {"HTTP_X_REAL_IP": "203.0.113.9"}

    # When one address tries a new made-up token on every request
    statuses = [
        client.get(API, HTTP_AUTHORIZATION=f"Bearer guess-{n}", **attacker).status_code
        for n in range(5)
    ]

    # Then it is stopped after 3, with a Retry-After, while other readers and a real
    # station's token are unaffected
    assert statuses == [401, 401, 401, 429, 429]
    refused = client.get(API, HTTP_AUTHORIZATION="Bearer guess-x", **attacker)
    assert int(refused["Retry-After"]) >= 1
    assert client.get(API, HTTP_X_REAL_IP="198.51.100.7").status_code == 401
    assert get(client, "", token).status_code == 200


# --- subscription and another station's data ------------------------------------------


@pytest.mark.django_db
def test_articles_outside_the_subscription_are_not_listed_and_are_404(
    client, home, newsroom, channel, station, token
):
    # Given the station subscribes to one channel, in Chinese and English
    station.filter_channels.add(channel)
    wanted = make_article(channel, title="侨界动态稿件")
    other_channel = ChannelPageFactory(parent=home, slug="chuangye")
    unwanted = make_article(other_channel, title="创业中华稿件")
    # And an article in a language the station does not receive
    german = make_article(ChannelPageFactory(parent=newsroom["de"], slug="de-news"))

    # Then only the subscribed article is listed
    assert uris(get(client, "articles/", token)) == [wanted.uri]

    # And the others answer 404, as if they did not exist
    assert get(client, f"articles/{wanted.uri}", token).status_code == 200
    assert get(client, f"articles/{unwanted.uri}", token).status_code == 404
    assert get(client, f"articles/{german.uri}", token).status_code == 404
    assert get(client, "articles/urn:qiaoyin:article:nope", token).status_code == 404


@pytest.mark.django_db
def test_a_subscription_is_a_union_of_interests(client, home, channel, station, token):
    # Given a station interested in one channel and in Italy, as for its pushes
    italy = Country.objects.create(name="意大利", code="IT", locale=home.locale)
    station.filter_channels.add(channel)
    station.filter_countries.add(italy)
    elsewhere = ChannelPageFactory(parent=home, slug="chuangye")
    in_channel = make_article(channel)
    about_italy = make_article(elsewhere, countries=[italy])
    make_article(elsewhere)

    # Then it pulls what is in the channel or about Italy, and nothing else
    assert set(uris(get(client, "articles/", token))) == {in_channel.uri, about_italy.uri}


@pytest.mark.django_db
def test_a_channel_subscription_covers_its_translations(client, newsroom, channel, station, token):
    # Given the station chose the Chinese channel, and the channel has an English edition
    station.filter_channels.add(channel)
    english_channel = channel.copy_for_translation(newsroom["en"].locale)
    english_channel.save_revision().publish()
    english = make_article(english_channel.specific, title="Community news")

    # Then the English article is in the subscription too
    assert english.uri in uris(get(client, "articles/", token))


@pytest.mark.django_db
def test_another_stations_delivery_is_404(client, channel, station, token):
    # Given a delivery to another station
    other = LiaisonStation.objects.create(name="圣保罗联络站")
    first, second = make_article(channel), make_article(channel)
    mine = make_delivery(station, first)
    theirs = make_delivery(other, second)

    # Then the log shows only mine, and theirs is not found
    log = get(client, "deliveries/", token).json()["items"]
    assert [entry["id"] for entry in log] == [str(mine.idempotency_key)]
    assert get(client, f"deliveries/{mine.idempotency_key}", token).status_code == 200
    response = get(client, f"deliveries/{theirs.idempotency_key}", token)
    assert response.status_code == 404
    assert response.json()["error"]


def make_delivery(station, article, state=Delivery.State.DELIVERED):
    destination = Destination.objects.create(station=station, url="https://example.org/hook")
    ledger, _ = DistributedArticle.objects.get_or_create(
        uri=article.uri, defaults={"language": "zh-hans", "title": article.title, "live": True}
    )
    # The publish may already have written version 1 to the ledger (the push side's outbox).
    version, _ = ArticleVersion.objects.get_or_create(
        article=ledger, version=1, defaults={"event": ArticleVersion.Event.PUBLISHED}
    )
    return Delivery.objects.create(
        destination=destination,
        station=station,
        article=ledger,
        article_version=version,
        version=1,
        event=version.event,
        state=state,
        attempts=1,
        last_status=200,
    )


@pytest.mark.django_db
def test_the_delivery_log_filters_by_state(client, channel, station, token):
    first, second = make_article(channel), make_article(channel)
    delivered = make_delivery(station, first)
    failed = make_delivery(station, second, state=Delivery.State.FAILED)
    log = get(client, "deliveries/", token, state="failed").json()["items"]
    assert [entry["id"] for entry in log] == [str(failed.idempotency_key)]
    assert log[0]["state"] == "failed"
    assert str(delivered.idempotency_key) not in str(log)


# --- filters and bad parameters -----------------------------------------------------------


@pytest.mark.django_db
def test_filters_narrow_the_list(client, newsroom, home, channel, token):
    # Given articles in two channels, two languages and about two countries
    italy = Country.objects.create(name="意大利", code="IT", locale=home.locale)
    spain = Country.objects.create(name="西班牙", code="ES", locale=home.locale)
    in_italy = make_article(channel, countries=[italy])
    in_spain = make_article(ChannelPageFactory(parent=home, slug="chuangye"), countries=[spain])
    english = make_article(ChannelPageFactory(parent=newsroom["en"], slug="news"))

    # Then each filter keeps only its articles
    assert uris(get(client, "articles/", token, channel="qiaojie")) == [in_italy.uri]
    channel_uri = f"urn:qiaoyin:channel:{channel.translation_key}"
    assert uris(get(client, "articles/", token, channel=channel_uri)) == [in_italy.uri]
    assert uris(get(client, "articles/", token, country="es")) == [in_spain.uri]
    assert uris(get(client, "articles/", token, locale="en")) == [english.uri]
    assert len(uris(get(client, "articles/", token))) == 3


@pytest.mark.django_db
def test_updated_since_returns_only_newer_changes(client, channel, token):
    # Given an old article and one published after the station's last pull
    old = make_article(channel, title="旧闻")
    type(old).objects.filter(pk=old.pk).update(last_published_at=timezone.now() - timedelta(days=2))
    last_pull = timezone.now() - timedelta(days=1)
    new = make_article(channel, title="新闻")

    # When it asks for changes since its last pull
    response = get(client, "articles/", token, updated_since=last_pull.isoformat())

    # Then only the new one comes back
    assert uris(response) == [new.uri]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "2026-02-30T00:00:00Z"}, "updated_since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1000"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"locale": "de"}, "locale"),
        ({"channel": "no-such-channel"}, "channel"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"country": "Italy"}, "country"),
        ({"format": "ninjs-9"}, "format"),
        ({"update_since": "2026-01-01"}, "Unknown parameter"),
        # Offsets PostgreSQL cannot store (it allows ±15:59) were a DataError, a 500.
        ({"updated_since": "2020-01-01T00:00:00+21:00"}, "updated_since"),
        ({"updated_since": "2020-01-01T00:00:00-16:00"}, "updated_since"),
        # NUL is refused by PostgreSQL in any text it is asked to compare.
        ({"channel": "qiao\x00jie"}, "channel"),
        ({"topic": "\x00"}, "topic"),
        ({"locale": "en\x00"}, "locale"),
        # A channel urn names a translation key, which is a UUID.
        ({"channel": "urn:qiaoyin:channel:not-a-uuid"}, "channel"),
        # "²".isdigit() is True, int("²") fails.
        ({"limit": "²"}, "limit"),
        ({"limit": "٣"}, "limit"),
    ],
)
def test_bad_parameters_get_400_with_a_message(client, token, params, message):
    response = get(client, "articles/", token, **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["error"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"state": "lost"}, "state"),
        ({"since": "soon"}, "since"),
        ({"since": "0011-08-17T18:10:50-19:19"}, "since"),
        ({"uri": "urn:qiaoyin:article:\x00"}, "uri"),
        ({"limit": "²"}, "limit"),
    ],
)
def test_bad_delivery_parameters_get_400(client, token, params, message):
    response = get(client, "deliveries/", token, **params)
    assert response.status_code == 400
    assert message in response.json()["error"]


@pytest.mark.django_db
def test_offsets_within_postgresqls_range_are_accepted(client, channel, token):
    # Given an article published now
    article = make_article(channel)
    # When a station asks with the widest offsets PostgreSQL stores
    early = get(client, "articles/", token, updated_since="2020-01-01T00:00:00+15:59")
    late = get(client, "articles/", token, updated_since="2999-01-01T00:00:00-15:59")
    # Then both are answered, the moment read with its offset
    assert uris(early) == [article.uri]
    assert uris(late) == []


@pytest.mark.django_db
def test_a_nul_in_an_article_uri_is_a_400_naming_it(client, token):
    response = get(client, "articles/urn:qiaoyin:article:%00", token)
    assert response.status_code == 400
    assert "uri" in response.json()["error"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["deliveries/not-a-uuid", "deliveries/123", "no-such-endpoint", "articles/x/../../y"]
)
def test_malformed_ids_and_unknown_paths_get_a_json_404(client, token, path):
    response = get(client, path, token)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


@pytest.mark.django_db
def test_ninjs_31_on_request(client, channel, token):
    make_article(channel)
    [item] = get(client, "articles/", token, format="ninjs-3.1").json()["items"]
    assert item["standard"]["schema"] == SCHEMA_URIS["ninjs-3.1"]
    assert "pubStatus" in item and "pubstatus" not in item


# --- cursor pagination -----------------------------------------------------------------------


@pytest.mark.django_db
def test_cursor_pagination_walks_every_item_once_even_while_articles_are_published(
    client, channel, token
):
    # Given seven articles
    published = [make_article(channel, title=f"第{n}篇").uri for n in range(7)]

    # When the station walks pages of three while two more are published mid-walk
    seen, response = [], get(client, "articles/", token, limit=3)
    pages = 0
    while True:
        body = response.json()
        seen += [item["uri"] for item in body["items"]]
        pages += 1
        if pages == 1:
            published += [make_article(channel, title=f"新稿{n}").uri for n in range(2)]
        if not body["next_cursor"]:
            break
        assert body["next"].startswith("http://testserver/api/stations/v1/articles/?")
        response = get(client, "articles/", token, limit=3, cursor=body["next_cursor"])

    # Then every article was seen exactly once, oldest change first, new ones at the end
    assert seen == published
    assert pages == 3


@pytest.mark.django_db
def test_a_cursor_cannot_be_forged(client, channel, token):
    make_article(channel)
    make_article(channel)
    cursor = get(client, "articles/", token, limit=1).json()["next_cursor"]
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    assert get(client, "articles/", token, cursor=tampered).status_code == 400


# --- OpenAPI --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_documented_path_answers(client, channel, station, token):
    # Given an article and a delivery to fill the path parameters
    article = make_article(channel)
    delivery = make_delivery(station, article)
    values = {"uri": article.uri, "delivery_id": str(delivery.idempotency_key)}

    # When the schema is read
    schema = client.get(f"{API}openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert schema["servers"] == [{"url": "http://testserver/api/stations/v1"}]

    # Then every documented operation answers 200 for a valid token
    assert len(schema["paths"]) == 6
    for template, operations in schema["paths"].items():
        path = template.format(**values).lstrip("/")
        for method in operations:
            assert method == "get"
            response = get(client, path, token)
            assert response.status_code == 200, (template, response.content)

    # And the schema lists every route the API serves (no undocumented endpoint; the
    # catch-all only answers a JSON 404)
    served = {
        "/" + re.sub(r"<\w+:(\w+)>", r"{\1}", str(pattern.pattern))
        for pattern in api_urls.urlpatterns
        if pattern.name != "unknown"
    }
    assert served == set(schema["paths"])


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "trace"])
@pytest.mark.parametrize("path", ["", "articles/", "deliveries/", "openapi.json"])
def test_only_get_is_allowed_and_others_get_a_json_405(method, path, token):
    # Given a client that enforces CSRF as browsers meet it (a POST got Django's HTML 403)
    client = Client(enforce_csrf_checks=True)
    # When a station sends another method
    response = getattr(client, method)(f"{API}{path}", HTTP_AUTHORIZATION=f"Bearer {token}")
    # Then the API answers 405 in JSON and says what it allows
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "application/json"
    assert method.upper() in response.json()["error"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["articles/%0A", "nothing-here%0A", "%0A"])
def test_an_address_no_route_matches_gets_a_json_404(client, token, path):
    # Given a path with a newline in it (no URL pattern's "." matches one)
    response = client.get(f"{API}{path}", HTTP_AUTHORIZATION=f"Bearer {token}")
    # Then the API still answers in JSON, not with the public site's HTML page
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


@pytest.mark.django_db
def test_the_search_api_answers_unknown_addresses_in_json(client):
    response = client.get("/api/search/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "error" in response.json()
