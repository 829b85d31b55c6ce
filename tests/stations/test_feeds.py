"""Public feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 per language edition and per channel."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

from wagtail.rich_text import RichText

import feedparser
import jsonschema
import pytest
from defusedxml import ElementTree

from config.celery import app as celery_app
from tests.cms.factories import ChannelPageFactory, NewsImageFactory, make_article

XML_FEEDS = ["feeds/rss.xml", "feeds/atom.xml"]
FEEDS = [*XML_FEEDS, "feeds/feed.json"]
BODY = '<p>侨连天下平台连接海外侨胞。<a href="/zh-hans/about/">关于我们</a></p>'


@pytest.fixture
def channel(home):
    return ChannelPageFactory(parent=home, title="侨界动态", slug="qiaojie")


@pytest.fixture
def article(channel):
    return make_article(
        channel,
        title="海外联络站共话乡情",
        summary="三十个海外联络站的代表相聚杭州。",
        cover_image=NewsImageFactory(),
        body=[("paragraph", RichText(BODY))],
    )


def titles(response):
    if response["Content-Type"].startswith("application/feed+json"):
        return [item["title"] for item in response.json()["items"]]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [entry.title for entry in parsed.entries]


def fetch(client, url, **headers):
    response = client.get(url, **headers)
    content_type = {"content-type": response.get("Content-Type", "")}
    return response, feedparser.parse(response.content, response_headers=content_type)


@pytest.mark.django_db
@pytest.mark.parametrize("feed", XML_FEEDS)
def test_edition_feed_parses_and_carries_the_full_article(client, article, feed):
    # Given a published article with a cover image
    # When a reader fetches the Chinese edition's feed
    response, parsed = fetch(client, f"/zh-hans/{feed}")

    # Then the feed is well-formed and holds the article with a stable id and full content
    assert response.status_code == 200
    assert not parsed.bozo, parsed.get("bozo_exception")
    [entry] = parsed.entries
    assert entry.title == "海外联络站共话乡情"
    assert entry.id == article.uri
    assert entry.link == f"http://testserver{article.url}"
    content = entry.content[0].value
    assert "侨连天下平台连接海外侨胞" in content
    assert 'href="http://testserver/zh-hans/about/"' in content

    # And the cover image travels as an enclosure with its size and type
    [enclosure] = entry.enclosures
    assert enclosure.href.startswith("http://testserver/")
    assert enclosure.type in {"image/jpeg", "image/png", "image/gif"}
    assert int(enclosure.length) > 0


# JSON Feed 1.1's required members and types, transcribed from https://jsonfeed.org/version/1.1
# (feedparser 6.0.x, the newest release, reads RSS and Atom only).
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "language": {"type": "string"},
        "hubs": {
            "type": "array",
            "items": {"type": "object", "required": ["type", "url"]},
        },
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "content_html": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "authors": {"type": "array", "items": {"type": "object"}},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "attachments": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["url", "mime_type"],
                            "properties": {"size_in_bytes": {"type": "integer"}},
                        },
                    },
                },
            },
        },
    },
}


@pytest.mark.django_db
def test_json_feed_is_valid_and_carries_the_full_article(client, article):
    # When a reader fetches the JSON Feed
    response = client.get("/zh-hans/feeds/feed.json")

    # Then it is a valid JSON Feed 1.1 document with the article, its full content and cover
    feed = response.json()
    jsonschema.validate(feed, JSON_FEED_SCHEMA, format_checker=jsonschema.FormatChecker())
    [item] = feed["items"]
    assert item["id"] == article.uri
    assert item["url"] == f"http://testserver{article.url}"
    assert 'href="http://testserver/zh-hans/about/"' in item["content_html"]
    [attachment] = item["attachments"]
    assert attachment["url"] == item["image"]
    assert attachment["url"].startswith("http://testserver/")
    assert attachment["size_in_bytes"] > 0


@pytest.mark.django_db
def test_pictures_in_the_body_get_absolute_addresses(client, channel):
    # Given an article with a picture in its body
    picture = {"image": NewsImageFactory(), "caption": "侨胞合影", "credit": ""}
    make_article(channel, body=[("image", picture)])

    # When it is read through the feed, away from our site
    [item] = client.get("/zh-hans/feeds/feed.json").json()["items"]
    html = item["content_html"]

    # Then every image source and srcset candidate is absolute
    assert "侨胞合影" in html
    sources = re.findall(r'src="([^"]+)"', html)
    candidates = re.findall(r'srcset="([^"]+)"', html)[0].split(", ")
    assert sources and all(url.startswith("http://testserver/") for url in sources)
    assert all(candidate.startswith("http://testserver/") for candidate in candidates)


@pytest.mark.django_db
def test_content_types_are_the_registered_ones(client, article):
    assert client.get("/zh-hans/feeds/rss.xml")["Content-Type"].startswith("application/rss+xml")
    assert client.get("/zh-hans/feeds/atom.xml")["Content-Type"].startswith("application/atom+xml")
    response = client.get("/zh-hans/feeds/feed.json")
    assert response["Content-Type"].startswith("application/feed+json")
    assert response.json()["version"] == "https://jsonfeed.org/version/1.1"


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_channel_feed_holds_only_that_channels_articles(client, home, channel, article, feed):
    # Given an article in another channel
    other = ChannelPageFactory(parent=home, title="创业中华", slug="chuangye")
    make_article(other, title="创业中华新项目落地")

    # When a station subscribes to one channel's feed
    response = client.get(f"/zh-hans/qiaojie/{feed}")

    # Then only that channel's article is in it
    assert response.status_code == 200
    assert titles(response) == ["海外联络站共话乡情"]


@pytest.mark.django_db
def test_each_language_edition_has_its_own_feed(client, newsroom, article):
    # Given an English channel with its own article
    english = ChannelPageFactory(parent=newsroom["en"], title="Community", slug="community")
    make_article(english, title="Liaison stations meet in Hangzhou")

    # When the English feed is fetched
    _, parsed = fetch(client, "/en/feeds/atom.xml")

    # Then it lists the English article only, in English
    assert [entry.title for entry in parsed.entries] == ["Liaison stations meet in Hangzhou"]
    assert parsed.feed.language == "en"


@pytest.mark.django_db
def test_unknown_channel_is_not_found(client, home):
    assert client.get("/zh-hans/no-such-channel/feeds/rss.xml").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/zh-hans/%00/feeds/rss.xml", "/en/qiao%00jie/feeds/atom.xml"])
def test_a_nul_in_a_feed_path_is_a_404_not_a_server_error(client, channel, path):
    client.raise_request_exception = False
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_an_unprefixed_feed_redirects_only_when_it_exists(client, channel):
    # Given the channel qiaojie exists and xx does not
    # When a reader drops the language prefix
    known = client.get("/qiaojie/feeds/rss.xml")
    unknown = client.get("/xx/feeds/rss.xml")
    # Then the real feed is found in their language; the unknown one is a 404 at once
    assert known.status_code == 302
    assert known["Location"] == "/zh-hans/qiaojie/feeds/rss.xml"
    assert unknown.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("feed", XML_FEEDS)
def test_a_plain_text_summary_is_escaped_once(client, channel, feed):
    # Given an article whose plain-text summary looks like markup
    make_article(channel, title="侨音", summary='<script>alert("x")</script> 侨胞 & 乡亲 <b>')
    # When a feed reader reads the feed's summary (HTML, in RSS and Atom alike)
    response = client.get(f"/zh-hans/{feed}")
    root = ElementTree.fromstring(response.content)
    [summary] = [
        element
        for element in root.iter()
        if element.tag in ("description", "{http://www.w3.org/2005/Atom}summary")
        and element.text
        and "侨胞" in element.text
    ]
    # Then it holds the text as escaped HTML: shown as written, never run or rendered
    assert (
        summary.text
        == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 侨胞 &amp; 乡亲 &lt;b&gt;"
    )
    assert summary.get("type") in (None, "html")
    parsed = feedparser.parse(response.content)
    assert "<script" not in parsed.entries[0].summary


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_conditional_get_answers_304_until_something_is_published(client, channel, article, feed):
    # Given a reader that fetched the feed once
    first = client.get(f"/zh-hans/{feed}")
    assert first["ETag"] and first["Last-Modified"]

    # When it asks again with the validators it got
    again = client.get(f"/zh-hans/{feed}", HTTP_IF_NONE_MATCH=first["ETag"])
    since = client.get(f"/zh-hans/{feed}", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    # Then nothing is sent again
    assert again.status_code == 304
    assert since.status_code == 304
    assert again.content == b""

    # And a reader without validators still gets the full feed (no cached 304)
    assert client.get(f"/zh-hans/{feed}").status_code == 200

    # When a new article is published, the old ETag no longer matches
    make_article(channel, title="亲情中华夏令营开营")
    changed = client.get(f"/zh-hans/{feed}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "亲情中华夏令营开营" in changed.content.decode()


@pytest.mark.django_db
def test_unpublishing_an_article_changes_the_feed(client, article):
    # Given a reader holding the feed's validators
    first = client.get("/zh-hans/feeds/rss.xml")

    # When the article is taken down
    article.unpublish()

    # Then the conditional request gets the new feed without the article
    response = client.get("/zh-hans/feeds/rss.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200
    assert feedparser.parse(response.content).entries == []


@pytest.mark.django_db
@pytest.mark.parametrize("feed", FEEDS)
def test_feeds_advertise_the_websub_hub(client, settings, article, feed):
    settings.WEBSUB_HUB_URL = "https://hub.example.org/"
    response, parsed = fetch(client, f"/zh-hans/{feed}")
    if feed.endswith(".json"):
        assert json.loads(response.content)["hubs"] == [
            {"type": "WebSub", "url": "https://hub.example.org/"}
        ]
    else:
        links = {link.rel: link.href for link in parsed.feed.links}
        assert links["hub"] == "https://hub.example.org/"
        assert links["self"] == f"http://testserver/zh-hans/{feed}"


class HubReceiver(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers["Content-Length"])
        ping = parse_qs(self.rfile.read(length).decode())
        ping["user-agent"] = self.headers["User-Agent"]
        self.received.append(ping)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def websub_hub(settings):
    """A real HTTP hub on 127.0.0.1 that records the pings it receives."""
    HubReceiver.received = []
    server = HTTPServer(("127.0.0.1", 0), HubReceiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WEBSUB_HUB_URL = f"http://127.0.0.1:{server.server_port}/"
    yield HubReceiver.received
    server.shutdown()
    server.server_close()


@pytest.fixture
def tasks_run_inline():
    """Tasks run in-process: this tests the ping, not Celery's delivery. Other apps' tasks
    queued by the same publish run too; their errors stay theirs (not propagated here)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.mark.django_db
def test_publishing_pings_the_websub_hub(
    websub_hub, tasks_run_inline, channel, django_capture_on_commit_callbacks
):
    # When an article is published and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        make_article(channel, title="海外传播官发回报道")

    # Then the hub was told that every feed the article appears in changed, and those of
    # its zh-hant edition (published with it, the channels' default)
    pinged = {ping["hub.url"][0] for ping in websub_hub}
    assert all(ping["hub.mode"] == ["publish"] for ping in websub_hub)
    assert websub_hub[0]["user-agent"].startswith("Qiaoyin-WebSub/")
    assert pinged == {
        f"http://testserver/{language}/{path}"
        for language in ("zh-hans", "zh-hant")
        for path in FEEDS + [f"qiaojie/{feed}" for feed in FEEDS]
    }


@pytest.mark.django_db
def test_no_ping_before_the_transaction_commits(websub_hub, tasks_run_inline, channel):
    # Given a publish whose transaction never commits (the test rolls it back)
    make_article(channel, title="未提交的稿件")

    # Then the hub hears nothing
    assert websub_hub == []


@pytest.mark.django_db
def test_pages_announce_their_feeds_for_autodiscovery(client, article):
    # When a reader's feed client opens an article page
    page = client.get(article.url).content.decode()

    # Then the page links the edition's and the channel's feeds in all three formats
    for path in FEEDS:
        assert f'href="http://testserver/zh-hans/{path}"' in page
        assert f'href="http://testserver/zh-hans/qiaojie/{path}"' in page
    assert 'rel="alternate" type="application/feed+json"' in page

    # And every announced feed answers
    for path in FEEDS:
        assert client.get(f"/zh-hans/qiaojie/{path}").status_code == 200
