"""`manage.py load_demo`: the demo newsroom a newcomer sees after `make run`."""

import io
import json
import re
from datetime import timedelta

from django.conf import settings
from django.core.management import CommandError, ManagementUtility, call_command
from django.utils import timezone, translation

from wagtail.models import Locale, Page, Revision

import opencc
import pytest
from PIL import Image

from cms.models import (
    ArticlePage,
    Author,
    ChannelPage,
    Country,
    Source,
    StandardPage,
    TopicIndexPage,
    TopicPage,
)
from demo.covers import HEIGHT, WIDTH, draw_image
from media.models import NewsImage
from stations.models import LiaisonStation
from tests.editions import chinese_strings, simplified_strings

pytestmark = pytest.mark.django_db

CHANNELS = {
    "yaowen": "要闻",
    "qiaojie": "侨界动态",
    "qiaoxiang": "侨乡发展",
    "chuangye": "创业中华",
    "fazhi": "法治护侨",
    "qinqing": "亲情中华",
    "gongyi": "侨爱公益",
    "lianluozhan": "联络站传真",
    "tupian": "图片",
    "shipin": "视频",
}
TO_SIMPLIFIED = opencc.OpenCC("tw2s")
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def load_demo(*args):
    """Runs the command; its report is read in English, whatever catalogues are compiled."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def articles_in(code):
    return ArticlePage.objects.live().filter(locale__language_code=code)


def body_text(page):
    return json.dumps(page.body.get_prep_value(), ensure_ascii=False)


def test_builds_channels_topics_pages_snippets_and_stations(home):
    # When
    load_demo("--articles", "1")

    # Then the ten channels sit under the Chinese home page, in order, with their kinds
    channels = ChannelPage.objects.child_of(home).live().order_by("path")
    assert {c.slug: c.title for c in channels} == CHANNELS
    assert list(CHANNELS) == [c.slug for c in channels]
    kinds = {c.slug: c.kind for c in channels}
    assert kinds["tupian"] == ChannelPage.Kind.PHOTO
    assert kinds["shipin"] == ChannelPage.Kind.VIDEO
    # and 专题 holds at least three live topics, about, contact and copyright pages exist
    topics_index = TopicIndexPage.objects.child_of(home).get()
    assert topics_index.title == "专题"
    assert TopicPage.objects.child_of(topics_index).live().count() >= 3
    fixed = StandardPage.objects.child_of(home).live()
    assert {p.slug: p.title for p in fixed} == {
        "about": "关于我们",
        "contact": "联系我们",
        "copyright": "版权声明",
    }
    english_about = fixed.get(slug="about").get_translation(Locale.objects.get(language_code="en"))
    assert english_about.live and english_about.title == "About us"
    # the snippets: countries (translated), sources, staff and 海外传播官 correspondents
    zh = Locale.get_default()
    names = dict(Country.objects.filter(locale=zh).values_list("code", "name"))
    assert {"IT": "意大利", "ES": "西班牙", "BR": "巴西", "HU": "匈牙利"}.items() <= names.items()
    italy = Country.objects.get(locale=zh, code="IT")
    assert italy.get_translation(Locale.objects.get(language_code="en")).name == "Italy"
    assert Source.objects.filter(locale=zh, name="侨音融媒体中心").exists()
    correspondents = Author.objects.filter(locale=zh, role=Author.Role.CORRESPONDENT)
    assert correspondents.count() >= 10
    assert all(c.country and c.bio for c in correspondents)
    # and about thirty liaison stations across the continents, with example.org websites
    stations = list(LiaisonStation.objects.select_related("country"))
    assert len(stations) == 30
    assert "意大利米兰华侨华人联络站" in {s.name for s in stations}
    codes = {s.country.code for s in stations}
    assert {"IT", "ES", "FR", "PT", "DE", "BR", "US", "ZA", "AU", "AR"} <= codes
    languages = {code for code, _name in settings.LANGUAGES}
    for station in stations:
        assert station.city and station.is_active
        assert station.website.startswith("https://")
        assert station.website.rstrip("/").endswith(".example.org")
        assert station.locales and set(station.locales) <= languages


def rank_titles(html, heading_id):
    section = html.split(f'id="{heading_id}"', 1)[1].split("</ol>", 1)[0]
    return re.findall(r">([^<]+)</a>", section)


def test_default_run_creates_forty_illustrated_translated_articles(home, client):
    # When
    output = load_demo()

    # Then
    articles = list(articles_in("zh-hans"))
    assert len(articles) >= 40
    assert "40/40" in output
    assert "articles: 40" in output
    for article in articles:
        assert article.kicker and article.subtitle and article.summary and article.dateline
        assert article.source is not None
        assert article.tags.exists() and article.countries.exists()
        assert article.byline, article.title
        cover = article.cover_image
        assert cover.caption and cover.credit and cover.alt_text
        with Image.open(cover.file.path) as picture:
            assert picture.size == (WIDTH, HEIGHT)
        assert "embed" not in {block.block_type for block in article.body}
    # each channel has articles, and together they use every kind of block but embeds
    assert {a.get_parent().slug for a in articles} == set(CHANNELS)
    block_types = {block.block_type for a in articles for block in a.body}
    assert {"paragraph", "quote", "fact_box", "image", "gallery"} <= block_types
    photo_news = [a for a in articles if a.get_parent().slug == "tupian"]
    assert all("gallery" in {b.block_type for b in a.body} for a in photo_news)
    # bylines include 海外传播官 correspondents; a few articles lead, note, relate, correct
    roles = {author.role for a in articles for author in a.byline}
    assert Author.Role.CORRESPONDENT in roles
    assert 1 <= sum(a.is_headline for a in articles) < len(articles) / 4
    assert any(a.editors_note for a in articles)
    assert any(a.related_articles.exists() for a in articles)
    assert 1 <= sum(a.corrections.exists() for a in articles) <= 2
    # covers are distinct images, not one picture reused
    assert len({a.cover_image.file_hash for a in articles}) == len(articles)
    # publication dates are staggered over weeks, a few in the last two days
    dates = sorted(a.date_published for a in articles)
    now = timezone.now()
    assert now - dates[0] > timedelta(days=21)
    assert 2 <= sum(now - d < timedelta(days=2) for d in dates) <= 5
    # topics are curated from those articles
    for topic in TopicPage.objects.live():
        assert topic.articles(), topic.title
    # several articles have Traditional Chinese and English editions
    assert articles_in("zh-hant").count() >= 8
    assert articles_in("en").count() >= 5
    # and the overseas liaison stations are there for the footer and the distribution
    assert LiaisonStation.objects.filter(is_active=True).count() == 30
    assert_editions_read_as_a_newcomer_sees_them(client)


def assert_editions_read_as_a_newcomer_sees_them(client):
    """The homes of `make run`: 阅读排行 is not 最新 again, the footer links the fixed
    pages, zh-hant pages show no Simplified text and the English home no Chinese chrome."""
    html = client.get("/zh-hans/").content.decode()
    latest, most_read = rank_titles(html, "latest-heading"), rank_titles(html, "most-read-heading")
    assert len(most_read) >= 3
    assert most_read != latest[: len(most_read)]
    footer = html.split("site-footer__pages", 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<]+)</a>", footer) == ["关于我们", "联系我们", "版权声明"]
    edition = articles_in("zh-hant").first()
    for url in ("/zh-hant/", edition.url):
        residue = simplified_strings(client.get(url).content.decode())
        assert residue == [], url
    assert chinese_strings(client.get("/en/").content.decode(), "en") == []


def test_traditional_chinese_editions_are_converted_with_opencc(home):
    # When
    load_demo("--articles", "5")

    # Then articles 1 and 5 have a live zh-hant edition in the translated channel
    hant = Locale.objects.get(language_code="zh-hant")
    translations = list(articles_in("zh-hant"))
    assert len(translations) == 2
    for edition in translations:
        source = edition.get_translation(Locale.get_default())
        assert edition.url.startswith("/zh-hant/")
        assert edition.get_parent().specific.locale == hant
        for field in ("title", "kicker", "subtitle", "summary"):
            traditional, simplified = getattr(edition, field), getattr(source, field)
            # really Traditional: characters differ, and converting back gives the source
            assert traditional != simplified
            assert TO_SIMPLIFIED.convert(traditional) == simplified
        assert body_text(edition) != body_text(source)
        assert TO_SIMPLIFIED.convert(body_text(edition)) == body_text(source)
        assert "僑" in edition.title + edition.summary
        assert edition.cover_image == source.cover_image
    # the translated channel's name is Traditional too
    assert ChannelPage.objects.get(locale=hant, slug="yaowen").title == "要聞"


def test_english_editions_are_written_in_english(home):
    # When
    load_demo("--articles", "3")

    # Then the first and third stories have English editions under /en/
    english = list(articles_in("en"))
    assert len(english) == 2
    for article in english:
        source = article.get_translation(Locale.get_default())
        assert article.url.startswith("/en/")
        text = article.title + article.kicker + article.summary + body_text(article)
        assert not CJK.search(text), CJK.search(text)
        assert article.date_published == source.date_published
        # a correction of the Chinese article is logged in English on its English edition
        assert article.corrections.count() == source.corrections.count()
        assert not any(CJK.search(c.note) for c in article.corrections.all())
    assert sum(a.corrections.exists() for a in english) == 1
    assert {a.title for a in english} == {
        "Qiaolian Tianxia platform opens a Milan channel",
        "19 overseas Chinese start-ups pitch in Buenos Aires",
    }


def test_a_second_run_creates_nothing_new_and_a_bigger_one_only_adds(home):
    # Given
    load_demo("--articles", "3")
    first_articles = set(articles_in("zh-hans").values_list("pk", flat=True))
    counts = {
        model: model.objects.count()
        for model in (Page, Revision, NewsImage, Author, Country, Source, LiaisonStation)
    }

    # When the same command runs again
    output = load_demo("--articles", "3")

    # Then
    assert {model: model.objects.count() for model in counts} == counts
    assert "nothing new" in output

    # When more articles are asked for, only the missing ones are added
    load_demo("--articles", "5")
    articles = set(articles_in("zh-hans").values_list("pk", flat=True))
    assert first_articles < articles and len(articles) == 5
    assert LiaisonStation.objects.count() == counts[LiaisonStation]


@pytest.mark.parametrize("value", ["-1", "many", "100000"])
def test_a_bad_article_count_is_refused_with_a_reason(value):
    with pytest.raises(CommandError, match="--articles"):
        load_demo("--articles", value)
    assert not ArticlePage.objects.exists()


def test_a_bad_article_count_exits_non_zero_from_the_command_line(capsys):
    # When
    with pytest.raises(SystemExit) as exit_info, translation.override("en"):
        ManagementUtility(["manage.py", "load_demo", "--articles", "-1"]).execute()

    # Then
    assert exit_info.value.code != 0
    assert "between 0 and" in capsys.readouterr().err


def test_covers_are_drawn_even_without_a_chinese_font():
    # When no CJK font is available, the headline is left off rather than failing
    plain = draw_image("seed-a", "yaowen", headline="侨音要闻", font_spec=None)
    other = draw_image("seed-b", "qinqing", headline="侨音要闻", font_spec=None)

    # Then both are valid, distinct JPEG covers
    for data in (plain, other):
        with Image.open(io.BytesIO(data)) as picture:
            assert picture.format == "JPEG"
            assert picture.size == (WIDTH, HEIGHT)
    assert plain != other


def test_the_demo_has_a_month_of_reach(home):
    # Given the demo
    load_demo("--articles", "3")

    # Then the reach report has a month of own-site reads in several languages and countries,
    # and reach reported by stations
    from reach import queries
    from reach.models import Dimension

    period = queries.Period.last_days(30)
    totals = queries.totals(period)
    assert totals["views"] > 100 and totals["reported_views"] > 0
    assert len([day for day in queries.daily(period) if day["views"]]) >= 20
    assert {row["language"] for row in queries.by_language(period)} >= {"zh-hans", "zh-hant"}
    assert len(queries.by_dimension(period, Dimension.COUNTRY)) >= 5

    # And a second run adds none
    load_demo("--articles", "3")
    assert queries.totals(period) == totals
