"""Each language edition speaks its own language and script: no Simplified text on a
繁體中文 page (chrome, snippets, photos, feeds, JSON-LD), no Chinese chrome elsewhere."""

from wagtail.models import Locale
from wagtail_localize.models import StringTranslation

import pytest

from stations.models import LiaisonStation, StationName
from tests.cms.factories import (
    ArticlePageFactory,
    AuthorFactory,
    CountryFactory,
    NewsImageFactory,
    SourceFactory,
    publish,
)
from tests.editions import chinese_strings, simplified_strings
from tests.translations.conftest import (  # noqa: F401 - a fixture
    channel_with,
    paragraphs,
    publish_article,
    run_tasks_inline,
)

pytestmark = pytest.mark.django_db
CACHE_HEADER = "X-Qiaoyin-Cache"


def zh_hant(page):
    return page.get_translation(Locale.objects.get(language_code="zh-hant"))


@pytest.fixture
def station():
    italy = CountryFactory(name="意大利", code="IT")
    return LiaisonStation.objects.create(
        name="意大利米兰华侨华人联络站",
        city="米兰",
        country=italy,
        website="https://m.example.org/",
    )


@pytest.fixture
def illustrated(home, station, run_tasks_inline):  # noqa: F811
    """A Simplified article with library photos (cover, photo block, gallery) whose caption,
    credit and alt text come from the image library, a byline, a source and a country, and
    its automatic zh-hant edition."""
    cover = NewsImageFactory(
        caption="侨乡村口的新建文化礼堂", credit="侨音融媒体中心 制图", alt_text="侨乡新貌"
    )
    photo = NewsImageFactory(
        caption="华侨博物馆的展厅", credit="记者 刘国华", alt_text="展厅里的侨批"
    )
    with run_tasks_inline(execute=True):
        author = AuthorFactory(name="陈思远", slug="chen-siyuan", role="correspondent")
        source = SourceFactory(name="侨音融媒体中心")
    channel = channel_with(home, traditional_edition="publish")
    with run_tasks_inline(execute=True):
        article = ArticlePageFactory(
            parent=channel,
            title="海外侨胞返乡参观华侨博物馆",
            dateline="杭州",
            cover_image=cover,
            source=source,
            body=paragraphs("侨乡的清晨格外热闹。")
            + [
                ("image", {"image": photo, "caption": "", "credit": "", "alt_text": ""}),
                (
                    "gallery",
                    {
                        "title": "侨乡图集",
                        "layout": "grid",
                        "images": [{"image": photo, "caption": "", "credit": "", "alt_text": ""}],
                    },
                ),
            ],
        )
        article.article_authors.create(author=author)
        article.countries.add(station.country)
        article.save()
        publish(article)
    return article


def test_traditional_edition_shows_no_simplified_text(client, illustrated):
    # Given a Simplified article with library photos, a byline, a source, a country and a
    # station in the footer, and its automatic zh-hant edition
    edition = zh_hant(illustrated)
    assert edition.live

    # When a reader opens the zh-hant home, the article and the feed
    pages = {url: client.get(url) for url in ("/zh-hant/", edition.url, "/zh-hant/feeds/rss.xml")}

    # Then every string they can see (text, alt, title, meta content, JSON-LD) is
    # Traditional: OpenCC's Simplified→Traditional conversion changes none of them
    for url, response in pages.items():
        assert response.status_code == 200, url
        assert simplified_strings(response.content.decode()) == [], url
    article_html = pages[edition.url].content.decode()
    assert "僑鄉村口的新建文化禮堂" in article_html  # the cover's library caption
    assert "僑音融媒體中心 製圖" in article_html  # its library credit
    assert 'alt="展廳裡的僑批"' in article_html  # the photo block's library alt text
    assert "陳思遠" in article_html  # the byline's zh-hant version
    assert "義大利米蘭華僑華人聯絡站" in article_html  # the station in the footer (Taiwan usage)
    assert '"name": "僑音 Qiaoyin"' in article_html  # JSON-LD publisher
    assert "<title>僑音 Qiaoyin" in pages["/zh-hant/feeds/rss.xml"].content.decode()


def test_english_edition_has_no_chinese_chrome(client, home, station):
    # Given a station with an English display name and one with none
    StationName.objects.create(
        station=station,
        locale=Locale.objects.get(language_code="en"),
        name="Milan Overseas Chinese Liaison Station",
        city="Milan",
    )
    CountryFactory(
        name="Italy",
        code="IT",
        locale=Locale.objects.get(language_code="en"),
        translation_key=station.country.translation_key,
    )
    LiaisonStation.objects.create(name="西班牙马德里华侨华人联络站", city="马德里")

    # When a reader opens the English and the Italian homes
    english = client.get("/en/").content.decode()
    italian = client.get("/it/").content.decode()

    # Then no Chinese shows outside what is marked as Chinese (the switcher, the logo)
    assert chinese_strings(english, "en") == []
    assert chinese_strings(italian, "it") == []
    # And the station shows under its English name, in its English city and country
    assert "Milan Overseas Chinese Liaison Station" in english
    assert "Milan, Italy" in english
    # And the tagline and feed link titles are in each edition's language
    assert "Qiaoyin Media Centre" in english
    assert 'title="RSS · All news"' in english
    assert 'title="RSS · Tutte le notizie"' in italian


def test_simplified_feed_links_are_in_chinese(client, home):
    html = client.get("/zh-hans/").content.decode()
    assert 'title="RSS · 全部新闻"' in html
    assert "All news" not in html


def test_a_snippets_new_translation_shows_after_it_is_saved(
    client, illustrated, station, django_capture_on_commit_callbacks
):
    # Given the zh-hant article and the English home, cached for anonymous readers
    edition = zh_hant(illustrated)
    client.get(edition.url)
    client.get("/en/")
    assert client.get(edition.url)[CACHE_HEADER] == "hit"
    assert client.get("/en/")[CACHE_HEADER] == "hit"
    author = illustrated.byline[0]
    hant_author = author.get_translation(Locale.objects.get(language_code="zh-hant"))

    # When a translator corrects the author's zh-hant name and an editor adds the station's
    # English name
    with django_capture_on_commit_callbacks(execute=True):
        hant_author.name = "陳思源"
        hant_author.save()
        StationName.objects.create(
            station=station, locale=Locale.objects.get(language_code="en"), name="Milan Station"
        )

    # Then readers see both at once
    assert "陳思源" in client.get(edition.url).content.decode()
    assert "Milan Station" in client.get("/en/").content.decode()


def test_snippets_get_their_traditional_version_by_opencc(home, run_tasks_inline):  # noqa: F811
    # When an editor adds an author with a country
    with run_tasks_inline(execute=True):
        country = CountryFactory(name="葡萄牙", code="PT")
        author = AuthorFactory(name="刘国华", country=country, bio="长期关注侨乡发展。")
    hant = Locale.objects.get(language_code="zh-hant")

    # Then its zh-hant version exists, converted, pointing at the zh-hant country
    translated = author.get_translation(hant)
    assert translated.name == "劉國華"
    assert translated.bio == "長期關注僑鄉發展。"
    assert translated.country == country.get_translation(hant)
    assert translated.country.locale == hant
    # And it is a synced translation whose segments OpenCC filled (editable by translators)
    assert StringTranslation.objects.filter(locale=hant, tool_name="OpenCC").exists()
