"""The public JSON API: /api/search/ and /api/search/suggest/, with its OpenAPI schema."""

from django.test import Client

import jsonschema
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from search.openapi import schema

pytestmark = pytest.mark.django_db

API = "/api/search/"


@pytest.fixture
def corpus(shared_corpus, db):
    return shared_corpus[1]


def validate(payload, component):
    document = schema()
    resolver_schema = {
        **document["components"]["schemas"][component],
        "components": document["components"],
    }
    jsonschema.validate(payload, resolver_schema)


def test_search_returns_hits_with_what_a_client_needs(client, corpus):
    response = client.get(API, {"q": "乡村侨舍", "locale": "zh-hans"})
    assert response.status_code == 200
    payload = response.json()
    validate(payload, "SearchResponse")
    hit = payload["hits"][0]
    article = corpus["homes"]
    assert hit["uri"] == article.uri
    assert hit["url"] == article.url
    assert hit["title"] == article.title
    assert "<mark>乡村侨舍</mark>" in hit["title_html"]
    assert "<mark>" in hit["snippet_html"]
    assert hit["channel"] == {"slug": "community", "title": "侨界动态"}
    assert hit["published_at"].startswith("2024-05-10")
    assert payload["total"] == 1


def test_filters_sort_and_paging_parameters(client, corpus):
    payload = client.get(
        API,
        {
            "q": "海外侨胞",
            "locale": "zh-hans",
            "country": "it",
            "sort": "newest",
            "page": 2,
            "page_size": 2,
        },
    ).json()
    assert payload["total"] == 3
    assert [hit["title"] for hit in payload["hits"]] == [corpus["epidemic"].title]
    assert payload["num_pages"] == 2
    dated = client.get(
        API, {"q": "海外侨胞", "locale": "zh-hans", "from": "2023-01-01", "to": "2023-12-31"}
    ).json()
    assert [hit["title"] for hit in dated["hits"]] == [corpus["education"].title]


def test_a_misspelt_word_offers_did_you_mean_beside_the_partial_matches(client, corpus):
    payload = client.get(API, {"q": "乡村侨社", "locale": "zh-hans"}).json()
    assert payload["did_you_mean"] == "乡村侨舍"
    assert payload["relaxed"] is True
    assert payload["total"] == len(payload["hits"]) >= 1


def test_a_query_matching_every_word_is_not_relaxed(client, corpus):
    payload = client.get(API, {"q": "乡村侨舍", "locale": "zh-hans"}).json()
    assert payload["relaxed"] is False and payload["did_you_mean"] is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "侨"}, "locale"),
        ({"q": "侨", "locale": "xx"}, "locale"),
        ({"q": "侨", "locale": "en", "page": "0"}, "page"),
        ({"q": "侨", "locale": "en", "page": "abc"}, "page"),
        ({"q": "侨", "locale": "en", "page_size": "500"}, "page_size"),
        ({"q": "侨", "locale": "en", "sort": "random"}, "sort"),
        ({"q": "侨", "locale": "en", "from": "2024-13-01"}, "date_from"),
        ({"q": "侨", "locale": "en", "from": "2024-02-01", "to": "2024-01-01"}, "start date"),
        ({"q": "侨", "locale": "en", "year": "twenty"}, "year"),
        # The API's typed parameters need a value when given (the page's form may send empty
        # fields; an API client that sends from= made a mistake).
        ({"q": "侨", "locale": "en", "from": ""}, "from"),
        ({"q": "侨", "locale": "en", "year": "", "page": ""}, "year, page"),
        ({"q": "侨", "locale": ""}, "locale"),
        ({"q": "侨\x00", "locale": "en"}, "q"),
    ],
)
def test_bad_parameters_answer_400_with_a_message(client, newsroom, params, message):
    response = client.get(API, params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_suggest_completes_titles(client, corpus):
    payload = client.get(f"{API}suggest/", {"q": "乡村", "locale": "zh-hans"}).json()
    assert payload["suggestions"] == [corpus["homes"].title]
    assert client.get(f"{API}suggest/", {"q": "乡村"}).status_code == 400


def test_openapi_schema_describes_the_api(client):
    response = client.get(f"{API}openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    parameters = {p["name"] for p in document["paths"]["/api/search/"]["get"]["parameters"]}
    assert {
        "q",
        "locale",
        "channel",
        "topic",
        "tag",
        "country",
        "from",
        "to",
        "sort",
        "page",
    } <= parameters
    assert set(document["paths"]["/api/search/"]["get"]["responses"]) == {
        "200",
        "400",
        "429",
        "503",
    }


def test_the_api_is_rate_limited(client, newsroom, settings):
    settings.SEARCH_API_RATE = "3/m"
    # Distinct queries: a repeated one may be answered from the page cache, which is cheap.
    statuses = [client.get(API, {"q": f"侨{n}", "locale": "en"}).status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = client.get(API, {"q": "x", "locale": "en"})
    assert "Too many requests" in refused.json()["error"]
    # Clients are told when to come back
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_the_schema_says_what_the_form_accepts(client):
    document = client.get(f"{API}openapi.json").json()
    parameters = {
        p["name"]: p["schema"] for p in document["paths"]["/api/search/"]["get"]["parameters"]
    }
    assert parameters["year"]["minimum"] == 1900
    assert parameters["year"]["maximum"] == 2200
    assert client.get(API, {"locale": "en", "year": "1899"}).status_code == 400
    assert client.get(API, {"locale": "en", "year": "1900"}).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("path", ["", "suggest/", "openapi.json"])
def test_other_methods_get_a_json_405(newsroom, method, path):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(f"{API}{path}?locale=en")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert method.upper() in response.json()["error"]


def test_a_thousand_character_query_is_answered(client, corpus):
    response = client.get(API, {"q": "乡村侨舍" * 250, "locale": "zh-hans"})
    assert response.status_code == 200
    assert response.json()["query"] == ("乡村侨舍" * 250)[:200]


PARAMETER_VALUES = st.one_of(
    st.text(max_size=1000),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.sampled_from(["zh-hans", "zh-hant", "en", "de", "", "relevance", "newest", "2024-02-30"]),
)


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "locale",
                "channel",
                "topic",
                "tag",
                "country",
                "year",
                "from",
                "to",
                "sort",
                "page",
                "page_size",
            ]
        ),
        PARAMETER_VALUES,
        max_size=8,
    )
)
def test_any_parameters_never_cause_a_server_error(client, corpus, settings, params):
    settings.SEARCH_API_RATE = "100000/m"
    response = client.get(API, params)
    assert response.status_code in (200, 400)
    assert "error" in response.json() or "hits" in response.json()


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(prefix=st.text(max_size=300))
def test_any_suggest_prefix_never_causes_a_server_error(client, corpus, settings, prefix):
    settings.SEARCH_API_RATE = "100000/m"
    response = client.get(f"{API}suggest/", {"q": prefix, "locale": "zh-hans"})
    assert response.status_code == 200


def test_an_unreachable_cluster_answers_503_not_500(client, newsroom, settings):
    # Given Elasticsearch is configured but nothing listens there
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    settings.SEARCH_ELASTICSEARCH_OPTIONS = {"max_retries": 0, "request_timeout": 2}
    response = client.get(API, {"q": "侨", "locale": "en"})
    assert response.status_code == 503
    assert "Search is unavailable" in response.json()["error"]
    page = client.get("/zh-hans/search/", {"q": "侨"})
    assert page.status_code == 503


def test_messages_follow_the_requested_edition(client, newsroom):
    params = {"q": "侨", "from": "2024-02-01", "to": "2024-01-01"}
    chinese = client.get(API, {**params, "locale": "zh-hans"}).json()["error"]
    english = client.get(API, {**params, "locale": "en"}).json()["error"]
    assert "开始日期晚于结束日期" in chinese
    assert "The start date is after the end date" in english
