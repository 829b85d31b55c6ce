"""What search engines and social networks read: lang, hreflang, canonical, cards, JSON-LD,
sitemaps and robots.txt."""

import json
import re
from datetime import timedelta
from urllib.parse import quote
from xml.etree import ElementTree

from django.utils import timezone

import pytest

from tests.cms.factories import make_article

from .conftest import translate

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def parse_xml(content):
    return ElementTree.fromstring(content)  # noqa: S314 (our own sitemap, not untrusted input)


def hreflang_set(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return match and match.group(1)


@pytest.fixture
def translated_article(article):
    english = translate(article, "en", title="Overseas correspondents on a changing hometown")
    traditional = translate(article, "zh-hant", title="海外傳播官講述僑鄉新變化")
    return {"zh-hans": article, "en": english, "zh-hant": traditional}


def test_html_lang_is_the_bcp47_tag_of_the_page_language(client, translated_article):
    for code, tag in [("zh-hans", "zh-Hans"), ("zh-hant", "zh-Hant"), ("en", "en")]:
        html = client.get(translated_article[code].url).content.decode()
        assert f'<html lang="{tag}"' in html


def test_hreflang_sets_are_complete_and_reciprocal(client, translated_article):
    # When each language version of the article is fetched
    sets = {
        code: hreflang_set(client.get(page.url).content.decode())
        for code, page in translated_article.items()
    }

    # Then every version lists all three plus x-default, identically
    expected = {
        "zh-Hans": "http://testserver" + translated_article["zh-hans"].url,
        "zh-Hant": "http://testserver" + translated_article["zh-hant"].url,
        "en": "http://testserver" + translated_article["en"].url,
        "x-default": "http://testserver" + translated_article["zh-hans"].url,
    }
    assert sets["zh-hans"] == sets["en"] == sets["zh-hant"] == expected


def test_an_unpublished_translation_leaves_the_hreflang_set(client, translated_article):
    translated_article["en"].unpublish()
    html = client.get(translated_article["zh-hans"].url).content.decode()
    assert set(hreflang_set(html)) == {"zh-Hans", "zh-Hant", "x-default"}


def test_canonical_and_open_graph_and_twitter_cards(client, article):
    html = client.get(article.url + "?utm_source=wechat").content.decode()
    canonical = "http://testserver" + article.url
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert meta(html, "property", "og:url") == canonical
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:title") == "海外传播官讲述侨乡新变化"
    assert meta(html, "property", "og:locale") == "zh_CN"
    assert meta(html, "property", "og:image").startswith("http://testserver/media/")
    assert meta(html, "name", "twitter:card") == "summary_large_image"


def test_news_article_json_ld_parses_with_headline_date_and_authors(client, article):
    html = client.get(article.url).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "海外传播官讲述侨乡新变化"
    assert data["datePublished"].startswith(str(article.publication_date.year))
    assert [author["name"] for author in data["author"]] == ["林海", "陈思远"]
    assert data["inLanguage"] == "zh-Hans"


def test_json_ld_cannot_be_broken_out_of_by_a_title(client, channel):
    article = make_article(channel, title="</script><script>alert(1)</script>")
    html = client.get(article.url).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(raw)["headline"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


def test_sitemap_lists_every_edition_with_hreflang_alternates(client, translated_article):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = parse_xml(response.content)
    urls = {
        url.find(f"{SITEMAP}loc").text: {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")
        }
        for url in root.findall(f"{SITEMAP}url")
    }
    english = "http://testserver" + translated_article["en"].url
    chinese = "http://testserver" + translated_article["zh-hans"].url
    assert english in urls and chinese in urls
    assert urls[english] == urls[chinese]
    assert urls[english]["x-default"] == chinese
    assert urls[english]["zh-Hant"] == "http://testserver" + translated_article["zh-hant"].url
    assert "http://testserver/it/" in urls  # every language's home page


def test_news_sitemap_has_only_the_last_two_days(client, channel, article):
    old = make_article(
        channel, title="三天前的新闻", date_published=timezone.now() - timedelta(days=3)
    )
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    root = parse_xml(response.content)
    entries = {
        url.find(f"{SITEMAP}loc").text: url.find(f"{NEWS}news")
        for url in root.iter(f"{SITEMAP}url")
    }
    assert "http://testserver" + old.url not in entries
    news = entries["http://testserver" + article.url]
    assert news.find(f"{NEWS}publication/{NEWS}name").text == "侨音 Qiaoyin"
    assert news.find(f"{NEWS}publication/{NEWS}language").text == "zh-cn"
    assert news.find(f"{NEWS}title").text == "海外传播官讲述侨乡新变化"
    assert news.find(f"{NEWS}publication_date").text.startswith(str(timezone.now().year))


def test_news_sitemap_stops_at_its_url_limit_newest_first(client, channel, monkeypatch):
    from website import sitemaps

    # Given more fresh articles than the limit (1,000, lowered to keep the test quick)
    assert sitemaps.NEWS_SITEMAP_MAX_URLS == 1000
    monkeypatch.setattr(sitemaps, "NEWS_SITEMAP_MAX_URLS", 3)
    now = timezone.now()
    for number in range(5):
        published = now - timedelta(hours=5 - number)
        make_article(channel, title=f"快讯{number}", date_published=published)

    # When the news sitemap is fetched
    root = parse_xml(client.get("/news-sitemap.xml").content)

    # Then it holds the three newest
    titles = [title.text for title in root.iter(f"{NEWS}title")]
    assert titles == ["快讯4", "快讯3", "快讯2"]


def test_robots_txt_points_to_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Sitemap: http://testserver/news-sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_tag_pages_have_hreflang_to_the_same_tag_in_each_language(client, newsroom, article):
    html = client.get(f"{newsroom['zh-hans'].url}tags/侨乡/").content.decode()
    links = hreflang_set(html)
    tag = quote("侨乡")
    assert links["en"] == f"http://testserver/en/tags/{tag}/"
    assert links["zh-Hant"] == f"http://testserver/zh-hant/tags/{tag}/"
    assert f'<link rel="canonical" href="{links["zh-Hans"]}">' in html
    assert links["x-default"] == links["zh-Hans"]


def test_unpublished_home_translation_is_not_in_the_sitemap(client, newsroom):
    newsroom["de"].unpublish()
    root = parse_xml(client.get("/sitemap.xml").content)
    locations = {url.find(f"{SITEMAP}loc").text for url in root.findall(f"{SITEMAP}url")}
    assert "http://testserver/de/" not in locations
    assert "http://testserver/fr/" in locations
