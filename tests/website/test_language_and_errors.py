"""Language routing, the switcher, error pages in the reader's language, and bad input."""

from django.utils import timezone

import pytest
import time_machine

from tests.cms.factories import make_article
from website.views import server_error

from .conftest import translate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "edition"),
    [
        ("zh-TW,zh;q=0.9", "/zh-hant/"),
        ("zh-HK", "/zh-hant/"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "/zh-hans/"),
        ("fr-FR,fr;q=0.9,en;q=0.5", "/fr/"),
        ("pt-BR", "/pt/"),
        ("ko-KR,ja;q=0.8", "/zh-hans/"),
        ("", "/zh-hans/"),
    ],
)
def test_root_redirects_by_accept_language(client, newsroom, accept_language, edition):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == edition


def test_root_sends_a_reader_to_an_edition_with_news_rather_than_an_empty_one(client, article):
    # Given a newsroom that publishes in Chinese and English, and not (yet) in Italian
    translate(article, "en", title="Overseas correspondents on a changing hometown")
    # When an Italian reader who also reads English arrives, then they get the English
    response = client.get("/", headers={"accept-language": "it-IT,it;q=0.9,en;q=0.5"})
    assert response["Location"] == "/en/"
    # And a reader of Italian only gets the newsroom's own edition, not an empty home
    response = client.get("/", headers={"accept-language": "it-IT,it;q=0.9"})
    assert response["Location"] == "/zh-hans/"
    # And a Traditional reader still gets the zh-hant edition once it has news
    translate(article, "zh-hant", title="海外傳播官講述僑鄉新變化")
    assert client.get("/", headers={"accept-language": "zh-TW"})["Location"] == "/zh-hant/"


def test_root_redirect_is_not_shared_between_languages_through_the_cache(client, newsroom):
    # Given a French reader's redirect is already cached
    client.get("/", headers={"accept-language": "fr"})
    # When a Taiwanese reader arrives
    response = client.get("/", headers={"accept-language": "zh-TW"})
    # Then they still get their own edition
    assert response["Location"] == "/zh-hant/"


def switcher_links(html):
    import re

    switcher = html.split('class="lang-switcher"')[1].split("</nav>")[0]
    return dict(re.findall(r'href="([^"]+)"[^>]*data-lang="([^"]+)"', switcher)[::1])


def test_switcher_goes_to_the_translation_else_to_that_languages_home(client, article):
    # Given the article exists in English but not in Traditional Chinese, where another
    # article is live
    english = translate(article, "en", title="Overseas correspondents on a changing hometown")
    other = make_article(article.get_parent().specific, title="侨乡新闻", slug="qiaoxiang")
    translate(other, "zh-hant", title="僑鄉新聞")

    # When the Chinese article is shown
    html = client.get(article.url).content.decode()
    links = {code: url for url, code in switcher_links(html).items()}

    # Then English goes to the English article and zh-hant to the zh-hant home page
    assert links["en"] == "http://testserver" + english.url
    assert links["zh-hant"] == "http://testserver/zh-hant/"
    assert links["zh-hans"] == "http://testserver" + article.url
    # And the editions with nothing to read yet (it, es, fr, pt, de) are not offered
    assert set(links) == {"zh-hans", "zh-hant", "en"}


def test_switcher_offers_an_edition_once_it_has_news(
    client, article, django_capture_on_commit_callbacks
):
    # Given the Italian edition has no article: the switcher does not offer it
    assert "it" not in switcher_links(client.get(article.url).content.decode()).values()
    # When its first article is published
    with django_capture_on_commit_callbacks(execute=True):
        other = make_article(article.get_parent().specific, title="侨乡新闻", slug="qiaoxiang")
        translate(other, "it", title="Notizie dal paese d'origine")
    # Then every page offers it (the cached pages too)
    assert "it" in switcher_links(client.get(article.url).content.decode()).values()


def test_switcher_marks_the_current_language(client, article):
    english = translate(article, "en", title="Hometown news")
    html = client.get(english.url).content.decode()
    assert 'data-lang="en" aria-current="true"' in html


def test_404_page_speaks_the_language_of_the_url(client, newsroom):
    english = client.get("/en/no-such-page/")
    chinese = client.get("/zh-hant/no-such-page/")
    assert english.status_code == 404 and chinese.status_code == 404
    english_html = english.content.decode()
    assert '<html lang="en"' in english_html and "Page not found" in english_html
    assert 'href="/en/"' in english_html
    assert '<html lang="zh-Hant"' in chinese.content.decode()


def test_500_page_renders_without_the_database_in_the_urls_language(rf):
    # No database access is allowed in this test (no db fixture): the handler must not need it.
    response = server_error(rf.get("/fr/actualites/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="fr">' in html and 'href="/fr/"' in html


def test_500_page_falls_back_to_chinese_for_unknown_prefixes(rf):
    html = server_error(rf.get("/xx/whatever")).content.decode()
    assert '<html lang="zh-Hans">' in html and 'href="/zh-hans/"' in html


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", "1.5", "%00", ""])
def test_bad_page_numbers_never_break_listings(client, channel, article, home, page):
    for url in [channel.url, f"{home.url}tags/侨乡/", f"{home.url}authors/lin-hai/"]:
        response = client.get(url, {"page": page})
        assert response.status_code == 200, (url, page)
        assert "海外传播官讲述侨乡新变化" in response.content.decode()


def test_overlong_search_query_is_cut_not_refused(client, home):
    response = client.get(f"{home.url}search/", {"q": "侨" * 5000})
    assert response.status_code == 200


class TestReadBeacon:
    """What the beacon records is tested in tests/reach/test_beacon.py."""

    def test_a_flood_from_one_address_is_throttled(self, client, channel):
        from tests.cms.factories import make_article

        articles = [make_article(channel) for _ in range(3)]
        statuses = []
        # The 61 posts come within one rate window, as a flood does: on a slow machine they
        # took seconds and could straddle the window's end, which let the 61st through.
        with time_machine.travel(timezone.now(), tick=False):
            for number in range(61):
                page = articles[number % 3]
                statuses.append(client.post("/reads/", {"page": page.pk}).status_code)
        assert statuses[:60] == [204] * 60
        assert statuses[60] == 429


@pytest.mark.parametrize("query", ["p=abc", "p=99999", "p=-1"])
def test_bad_sitemap_page_numbers_are_not_server_errors(client, newsroom, query):
    response = client.get(f"/sitemap.xml?{query}", follow=True)
    assert response.status_code == 404


def test_unknown_author_is_a_404_in_the_editions_language(client, newsroom):
    response = client.get("/en/authors/nobody/")
    assert response.status_code == 404
    assert '<html lang="en"' in response.content.decode()


# (an address under /api/ gets its API's JSON 404: tests/stations/test_api.py)
@pytest.mark.parametrize("path", ["/no-such-page", "/no-such-page/", "/no-such/deeper/page/"])
def test_an_unprefixed_address_that_leads_nowhere_is_a_404_in_the_readers_language(
    client, newsroom, path
):
    # When an English-speaking reader asks for an address no language edition has
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    # Then they get the "not found" page in English, not a redirect into a second 404
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en"' in html and "Page not found" in html


def test_an_unprefixed_address_of_a_page_still_leads_to_it(client, channel, article):
    # When a reader follows an old link without the language prefix
    response = client.get(f"/{channel.slug}/{article.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans")

    # Then they are sent to the article in the edition's language
    assert (response.status_code, response["Location"]) == (302, article.url)
