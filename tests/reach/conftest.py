import pytest

from reach import counters, referrers, rollup
from tests.cms.factories import ChannelPageFactory, make_article, publish

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0 Safari/537.36"
)
PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def _no_remembered_station_sites():
    """The beacon's process copy of the stations' sites (a test's stations roll back)."""
    referrers.forget_station_hosts()


@pytest.fixture
def channel(home):
    return publish(ChannelPageFactory(parent=home, title="侨界动态", slug="qiaojie"))


@pytest.fixture
def article(channel):
    return make_article(channel, title="海外联络站年会在米兰召开", slug="milan-nianhui")


@pytest.fixture
def read(client):
    """A reader's browser sending the beacon: from an address, with a user agent."""

    def send(page, address="203.0.113.7", agent=BROWSER, headers=None, **fields):
        return client.post(
            "/reads/",
            {"page": page.pk if hasattr(page, "pk") else page, **fields},
            REMOTE_ADDR=address,
            headers={"User-Agent": agent, "Accept-Language": "en", **(headers or {})},
        )

    return send


@pytest.fixture
def fold():
    """The beat task's fold, including the minute now running."""

    def run():
        return rollup.fold(now_minute=counters.current_minute() + 1)

    return run
