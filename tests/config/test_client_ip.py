"""Behind the proxy, the rate limits count by the address the proxy names, and a request that
names none (or names garbage) is still answered, counted by its connection's address."""

import pytest

API = "/api/search/"


@pytest.fixture
def behind_a_proxy(settings):
    settings.CLIENT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    settings.SEARCH_API_RATE = "2/m"


@pytest.mark.parametrize("header", [None, "", "not-an-address", "unknown, also-not"])
def test_a_request_without_a_usable_client_header_is_answered(
    client, newsroom, behind_a_proxy, header
):
    extra = {} if header is None else {"HTTP_X_FORWARDED_FOR": header}
    # django-ratelimit alone answered these with a server error
    response = client.get(API, {"locale": "en"}, **extra)
    assert response.status_code == 200


def test_clients_named_by_the_proxy_have_their_own_budgets(client, newsroom, behind_a_proxy):
    # Given a proxy that appends the address it saw to whatever the client sent
    # (distinct queries: a repeated one may come from the page cache)
    def search(query, sent):
        return client.get(API, {"locale": "en", "q": query}, HTTP_X_FORWARDED_FOR=sent).status_code

    # When one reader uses up the budget, even while forging the first hop each time
    spent = [search(f"侨{n}", f"10.9.9.{n}, 203.0.113.5") for n in range(3)]
    # Then that reader is limited, and another reader behind the same proxy is not
    assert spent == [200, 200, 429]
    assert search("侨乡", "198.51.100.20") == 200
