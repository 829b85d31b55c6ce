"""ninjs payloads conform to the official IPTC schemas (copied into stations/schemas/)."""

import json
from pathlib import Path

from wagtail.rich_text import RichText

import jsonschema
import pytest

from stations.formatters.ninjs import format_article, format_takedown
from tests.cms.factories import (
    AuthorFactory,
    ChannelPageFactory,
    CountryFactory,
    NewsImageFactory,
    SourceFactory,
    make_article,
)

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "stations" / "schemas"


def validator(fmt):
    schema = json.loads((SCHEMA_DIR / f"ninjs-schema_{fmt.split('-')[1]}.json").read_text())
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture
def rich_article(home):
    channel = ChannelPageFactory(parent=home, title="侨界动态")
    cover = NewsImageFactory(caption="侨胞在米兰参加活动")
    inline = NewsImageFactory()
    article = make_article(
        channel,
        title="海外联络站共话乡情",
        kicker="侨连天下",
        subtitle="三十个海外联络站同步发布",
        summary="联络站负责人交流经验。",
        editors_note="请勿删改引语。",
        dateline="米兰",
        source=SourceFactory(),
        cover_image=cover,
        body=[
            ("paragraph", RichText('<p>第一段，<a href="/zh-hans/about/">关于我们</a>。</p>')),
            ("image", {"image": inline, "caption": "现场", "credit": "记者"}),
            ("quote", {"text": "乡音不改", "attribution": "侨胞"}),
        ],
    )
    article.article_authors.create(author=AuthorFactory(name="王记者"))
    article.countries.add(CountryFactory())
    article.save()
    return article


@pytest.mark.parametrize("fmt", ["ninjs-2.2", "ninjs-3.1"])
def test_article_payload_is_valid_ninjs(rich_article, fmt):
    # Given a published article with cover, inline image, byline and countries
    # When it is formatted for a station
    item = format_article(rich_article, version=3, fmt=fmt)
    # Then it validates against the official schema
    errors = [error.message for error in validator(fmt).iter_errors(item)]
    assert errors == []


def test_ninjs_22_carries_what_a_station_needs(rich_article):
    item = format_article(rich_article, version=2, fmt="ninjs-2.2")

    assert item["uri"] == rich_article.uri and item["uri"].startswith("urn:qiaoyin:article:")
    assert item["version"] == "2"
    assert item["pubstatus"] == "usable"
    assert item["language"] == "zh-Hans"
    assert {h["role"]: h["value"] for h in item["headlines"]} == {
        "main": "海外联络站共话乡情",
        "subtitle": "三十个海外联络站同步发布",
        "kicker": "侨连天下",
    }
    html = next(b["value"] for b in item["bodies"] if b["contenttype"] == "text/html")
    assert 'href="http://testserver/zh-hans/about/"' in html
    assert 'src="http://testserver/' in html
    text = next(b["value"] for b in item["bodies"] if b["contenttype"] == "text/plain")
    assert "第一段，关于我们。" in text and "<" not in text
    assert item["by"] == "王记者"
    assert item["located"] == "米兰"
    assert item["ednote"] == "请勿删改引语。"
    assert {s["rel"] for s in item["subjects"]} >= {"channel"}
    assert item["places"][0]["uri"].endswith("/it")
    names = [a["name"] for a in item["associations"]]
    assert names == ["cover", "image-1"]
    cover = item["associations"][0]
    assert cover["headlines"][0]["value"] == "侨胞在米兰参加活动"
    assert all(
        r["href"].startswith("http://testserver/") and r["width"] > 0 and r["contenttype"]
        for r in cover["renditions"]
    )


def test_ninjs_31_uses_camel_case_names(rich_article):
    item = format_article(rich_article, version=1, fmt="ninjs-3.1")

    assert item["pubStatus"] == "usable"
    assert "versionCreated" in item and "versioncreated" not in item
    assert item["bodies"][0]["contentType"] == "text/html"
    assert item["standard"]["version"] == "3.1"


def test_translations_are_linked_by_uri(rich_article, newsroom):
    # Given an English translation of the article
    english = rich_article.copy_for_translation(newsroom["en"].locale, copy_parents=True)
    english.save_revision().publish()
    english.refresh_from_db()
    # Then the Chinese payload points at the English one by its uri
    item = format_article(rich_article, version=1)
    assert {"role": "translation:en", "value": english.uri} in item["altids"]


@pytest.mark.parametrize("fmt", ["ninjs-2.2", "ninjs-3.1"])
def test_takedown_is_valid_and_canceled(fmt):
    item = format_takedown("urn:qiaoyin:article:x:en", 4, "en", "Title", fmt=fmt)

    assert [error.message for error in validator(fmt).iter_errors(item)] == []
    assert item.get("pubstatus", item.get("pubStatus")) == "canceled"
    assert item["version"] == "4"


def test_unknown_format_is_refused(rich_article):
    with pytest.raises(ValueError, match="Unknown format"):
        format_article(rich_article, fmt="ninjs-9")


def test_an_english_editions_subjects_leave_out_the_originals_chinese_tags(home):
    # Given an article tagged in Chinese and in Latin script, and its English edition
    from tests.website.conftest import translate

    channel = ChannelPageFactory(parent=home, title="侨界动态")
    article = make_article(channel, title="米兰侨胞")
    article.tags.add("侨乡", "Milano")
    article.save_revision().publish()
    english = translate(article, "en", title="Chinese community in Milan")
    # When the English edition is formatted for a station
    item = format_article(english, version=1, fmt="ninjs-2.2")
    # Then its tag subjects are the ones English readers can read
    assert [s["name"] for s in item["subjects"] if s["rel"] == "tag"] == ["Milano"]
    # And the Chinese original keeps both
    original = format_article(article, version=1, fmt="ninjs-2.2")
    assert sorted(s["name"] for s in original["subjects"] if s["rel"] == "tag") == [
        "Milano",
        "侨乡",
    ]
