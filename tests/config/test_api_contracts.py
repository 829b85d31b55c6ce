"""Both OpenAPI documents hold: a bounded schemathesis run over the search and station APIs.

Generated requests go through the Django app itself (schemathesis's WSGI transport) on the
test database (PostgreSQL), with a fixed seed and example count so that every run sends the
same cases: no server error, and every answer as the documents say (status, content type,
headers, body), valid requests accepted and invalid ones refused.
"""

from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from stations.models import LiaisonStation, StationToken
from tests.cms.factories import ChannelPageFactory, make_article

EXAMPLES = 100
# Both APIs answer gzip to a client that accepts it (config/compression.py); schemathesis
# reads bodies as they come off the wire, so the contract is checked on identity responses.
# tests/website/test_cache.py covers the compressed ones.
UNCOMPRESSED = {"Accept-Encoding": "identity"}


@pytest.fixture(autouse=True)
def _requests_keep_the_test_transaction():
    """As Django's test client does: a request's end must not close the test's connection."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def published(home, settings):
    settings.STATION_API_RATE = "100000/m"
    settings.SEARCH_API_RATE = "100000/m"
    channel = ChannelPageFactory(parent=home, title="侨界动态", slug="qiaojie")
    make_article(channel, title="海外联络站年会召开")
    return channel


@pytest.fixture
def station_token(published):
    station = LiaisonStation.objects.create(name="米兰联络站", locales=["zh-hans", "en"])
    return StationToken.issue(station, name="main")[1]


# The documents hold no data: loaded once, as a station or a client fetches them.
APP = get_wsgi_application()
station_api = schemathesis.openapi.from_wsgi("/api/stations/v1/openapi.json", APP)
search_api = schemathesis.openapi.from_wsgi("/api/search/openapi.json", APP)
CONTRACT = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# What a schema cannot judge: whether a channel or topic exists, whether a locale is one of
# this station's, whether a cursor is one the API gave out (docs/stations.md), whether a date
# range starts before it ends. A request valid by the schema may be refused with a 400 for
# those alone, with a message naming the parameter; anything else must be accepted.
def station_refusal_is_about_data(case, error):
    named = [
        name for name in ("locale", "channel", "topic", "cursor") if (case.query or {}).get(name)
    ]
    return any(name in error for name in named)


def search_refusal_is_about_data(case, error):
    query = case.query or {}
    start, end = query.get("from"), query.get("to")
    return bool(start and end and start > end)


def valid_requests_are_accepted(refusal_is_about_data):
    def check(ctx, response, case):
        if not case.meta.generation.mode.is_positive or response.status_code < 400:
            return None
        if response.status_code in (401, 403, 404, 429):
            return None
        error = response.json().get("error", "") if response.status_code == 400 else ""
        assert response.status_code == 400 and refusal_is_about_data(case, error), (
            f"A request valid by the schema was refused with {response.status_code}: {error}"
        )
        return None

    return check


@station_api.parametrize()
@CONTRACT
@pytest.mark.django_db
def test_the_station_api_keeps_its_contract(case, station_token):
    case.call_and_validate(
        headers={
            "Authorization": f"Bearer {station_token}",
            "Accept-Language": "en",
            **UNCOMPRESSED,
        },
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_requests_are_accepted(station_refusal_is_about_data)],
    )


@search_api.parametrize()
@CONTRACT
@pytest.mark.django_db
def test_the_search_api_keeps_its_contract(case, published):
    case.call_and_validate(
        headers=UNCOMPRESSED,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_requests_are_accepted(search_refusal_is_about_data)],
    )
