"""Traditional Chinese by OpenCC: regional vocabulary, and the automatic zh-hant edition."""

import json

from django.test import override_settings

from wagtail.models import Page
from wagtail_localize.models import StringTranslation

import pytest

from cms.models import ArticlePage
from translations.machine import OpenCCTranslator
from translations.models import ChannelTranslationSettings
from translations.tasks import source_published
from translations.traditional import produce_traditional_edition

from ..cms.factories import ArticlePageFactory, NewsImageFactory, publish
from .conftest import channel_with, locale, paragraphs, publish_article

pytestmark = pytest.mark.django_db

TAIWAN = [
    ("软件", "軟體"),
    ("网络", "網路"),
    ("信息", "資訊"),
    ("鼠标", "滑鼠"),
    ("打印机", "印表機"),
    ("出租车", "計程車"),
    ("内存", "記憶體"),
    ("视频", "影片"),
    ("服务器", "伺服器"),
    ("数据库", "資料庫"),
    ("头发", "頭髮"),
    ("发展", "發展"),
]
HONG_KONG = [
    ("软件", "軟件"),
    ("网络", "網絡"),
    ("头发", "頭髮"),
    ("里面", "裏面"),
    ("面条", "麪條"),
    ("台湾", "台灣"),
]
GENERIC = [("软件", "軟件"), ("发展", "發展"), ("后面", "後面"), ("台湾", "臺灣")]


def convert(variant, text):
    from wagtail_localize.strings import StringValue

    translator = OpenCCTranslator({"TRADITIONAL_VARIANT": variant})
    value = StringValue(text)
    return translator.translate(locale("zh-hans"), locale("zh-hant"), [value])[value].data


@pytest.mark.parametrize(("simplified", "traditional"), TAIWAN)
def test_taiwan_variant_uses_taiwan_vocabulary(simplified, traditional):
    # Given the Taiwan variant (s2twp), When a Simplified phrase is converted
    # Then readers in Taiwan get their own word, not just Traditional characters
    assert convert("s2twp", simplified) == traditional


@pytest.mark.parametrize(("simplified", "traditional"), HONG_KONG)
def test_hong_kong_variant_uses_hong_kong_forms(simplified, traditional):
    assert convert("s2hk", simplified) == traditional


@pytest.mark.parametrize(("simplified", "traditional"), GENERIC)
def test_generic_variant_converts_characters_only(simplified, traditional):
    assert convert("s2t", simplified) == traditional


def test_conversion_keeps_markup_and_links():
    # Given a paragraph with bold text and a link
    html = '<b>软件</b>园区 <a id="a1">网络</a>'
    # Then only the Chinese text changes
    assert convert("s2twp", html) == '<b>軟體</b>園區 <a id="a1">網路</a>'


def test_unknown_variant_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="s2xx"):
        OpenCCTranslator({"TRADITIONAL_VARIANT": "s2xx"})


def test_channel_option_publishes_the_traditional_edition(home, run_tasks_inline):
    # Given a channel that publishes its zh-hant edition automatically
    channel = channel_with(home, traditional_edition="publish")
    # When a Simplified article is published
    article = publish_article(
        run_tasks_inline, channel, title="软件园区网络信息", summary="海外侨胞关注视频内容。"
    )
    # Then its Traditional edition is live, converted with Taiwan vocabulary, in the same key
    edition = article.get_translation(locale("zh-hant")).specific
    assert edition.live
    assert edition.title == "軟體園區網路資訊"
    assert edition.summary == "海外僑胞關注影片內容。"
    assert "軟體工程師在網路上" in str(edition.body)
    assert edition.translation_key == article.translation_key
    # And its channel has a live, converted zh-hant edition too
    assert edition.get_parent().live
    assert edition.get_parent().title == "僑務新聞"
    # And every segment is marked as machine-filled by OpenCC
    segments = StringTranslation.objects.filter(locale=locale("zh-hant"))
    assert segments.exists()
    assert set(segments.values_list("translation_type", flat=True)) == {"machine"}
    assert set(segments.values_list("tool_name", flat=True)) == {"OpenCC"}


def test_hong_kong_variant_in_settings_drives_the_edition(home, run_tasks_inline, settings):
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        **settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR,
        "OPTIONS": {"TRADITIONAL_VARIANT": "s2hk"},
    }
    channel = channel_with(home, traditional_edition="publish")
    article = publish_article(run_tasks_inline, channel, title="软件与网络")
    assert article.get_translation(locale("zh-hant")).title == "軟件與網絡"


def test_correction_updates_the_traditional_edition(home, run_tasks_inline):
    # Given an article whose zh-hant edition was published automatically
    channel = channel_with(home, traditional_edition="publish")
    article = publish_article(run_tasks_inline, channel, title="侨胞回乡投资软件")
    # When the Simplified article is corrected and republished
    article.title = "侨胞回乡投资数据库"
    with run_tasks_inline(execute=True):
        publish(article)
    # Then the Traditional edition shows the correction
    edition = article.get_translation(locale("zh-hant"))
    assert edition.live
    assert edition.title == "僑胞回鄉投資資料庫"


def tag_names(page):
    return sorted(tag.name for tag in page.tags.all())


def test_the_edition_reads_its_tags_in_traditional_script(home, run_tasks_inline, client):
    # Given a channel that publishes its zh-hant edition automatically
    channel = channel_with(home, traditional_edition="publish")
    # When an article with Simplified tags is published
    with run_tasks_inline(execute=True):
        article = ArticlePageFactory(
            parent=channel, title="侨乡培训", body=paragraphs("侨乡青年参加培训。")
        )
        article.tags.set(["侨乡", "培训"])
        publish(article)
    # Then its Traditional edition's tags are in Traditional script, on the page too
    edition = article.get_translation(locale("zh-hant")).specific
    assert tag_names(edition) == sorted(["僑鄉", "培訓"])
    html = client.get(edition.url).content.decode()
    assert ">僑鄉</a>" in html and "侨乡" not in html
    # And the original keeps its own
    article.refresh_from_db()
    assert tag_names(article) == sorted(["侨乡", "培训"])
    # When a correction adds a tag
    article.tags.add("网络")
    with run_tasks_inline(execute=True):
        publish(article)
    # Then the edition follows
    edition.refresh_from_db()
    assert tag_names(edition) == sorted(["僑鄉", "培訓", "網路"])


def test_the_edition_reads_its_correction_notes_in_traditional_script(
    home, run_tasks_inline, client
):
    # Given an article published with its Traditional edition
    channel = channel_with(home, traditional_edition="publish")
    article = publish_article(run_tasks_inline, channel, title="侨乡路演")
    # When it is corrected, with a note
    article.corrections.create(note="本文首发时项目数量有误，现已更正。")
    with run_tasks_inline(execute=True):
        publish(article)
    # Then the edition's 更正 reads in Traditional script
    edition = article.get_translation(locale("zh-hant")).specific
    assert [c.note for c in edition.corrections.all()] == ["本文首發時專案數量有誤，現已更正。"]
    html = client.get(edition.url).content.decode()
    assert "本文首發時專案數量有誤" in html and "本文首发时" not in html


def test_a_draft_edition_has_traditional_tags_for_review(home, run_tasks_inline):
    channel = channel_with(home, traditional_edition="draft")
    with run_tasks_inline(execute=True):
        article = ArticlePageFactory(parent=channel, title="侨乡", body=paragraphs("侨乡。"))
        article.tags.set(["侨乡"])
        publish(article)
    draft = article.get_translation(locale("zh-hant")).get_latest_revision_as_object()
    assert tag_names(draft) == ["僑鄉"]


def test_human_corrections_survive_a_new_conversion(home, run_tasks_inline):
    # Given an auto-published edition whose title a translator improved
    channel = channel_with(home, traditional_edition="publish")
    article = publish_article(run_tasks_inline, channel, title="侨胞回乡", summary="第一版")
    title = StringTranslation.objects.get(locale=locale("zh-hant"), data="僑胞回鄉")
    title.data = "僑胞返鄉"
    title.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
    title.save()
    # When the original's summary is corrected
    article.summary = "第二版"
    with run_tasks_inline(execute=True):
        publish(article)
    # Then the new summary is converted and the translator's title kept
    edition = article.get_translation(locale("zh-hant")).specific
    assert (edition.title, edition.summary) == ("僑胞返鄉", "第二版")


def test_unpublishing_the_original_takes_the_edition_down(home, run_tasks_inline):
    channel = channel_with(home, traditional_edition="publish")
    article = publish_article(run_tasks_inline, channel, title="海外联络站")
    edition = article.get_translation(locale("zh-hant"))
    assert edition.live
    # When the Simplified original is unpublished
    with run_tasks_inline(execute=True):
        article.unpublish()
    # Then readers cannot reach the Traditional edition either
    edition.refresh_from_db()
    assert not edition.live


def test_deleting_the_original_takes_the_edition_down(home, run_tasks_inline):
    channel = channel_with(home, traditional_edition="publish")
    article = publish_article(run_tasks_inline, channel, title="海外联络站")
    edition_id = article.get_translation(locale("zh-hant")).pk
    with run_tasks_inline(execute=True):
        article.delete()
    assert not Page.objects.get(pk=edition_id).live


def test_draft_option_creates_the_edition_for_review(home, run_tasks_inline):
    channel = channel_with(home, traditional_edition="draft")
    article = publish_article(run_tasks_inline, channel, title="软件")
    edition = article.get_translation(locale("zh-hant"))
    assert not edition.live
    assert edition.get_latest_revision_as_object().title == "軟體"


def test_a_new_channel_publishes_the_traditional_edition_by_default(home, run_tasks_inline):
    # Given a channel nobody has set translation options for
    channel = channel_with(home)
    # When an article is published there
    article = publish_article(run_tasks_inline, channel, title="软件")
    # Then its zh-hant edition is live, and the channel's options list it as the default
    assert article.get_translation(locale("zh-hant")).live
    options = ChannelTranslationSettings.objects.get(channel=channel)
    assert options.traditional_edition == ChannelTranslationSettings.TraditionalEdition.PUBLISH


def test_channels_that_turned_the_edition_off_get_none(home, run_tasks_inline):
    channel = channel_with(home, traditional_edition="off")
    article = publish_article(run_tasks_inline, channel, title="软件")
    assert article.get_translation_or_none(locale("zh-hant")) is None


def test_a_hand_made_edition_is_left_alone(home, run_tasks_inline):
    # Given a zh-hant edition a translator made by hand (not a synced translation)
    channel = channel_with(home, traditional_edition="off")
    article = publish_article(run_tasks_inline, channel, title="软件")
    channel.copy_for_translation(locale("zh-hant")).save_revision().publish()
    copy = article.copy_for_translation(locale("zh-hant"))
    copy.title = "人工譯文"
    publish(copy)
    # When the channel switches on the automatic edition and the article is republished
    ChannelTranslationSettings.objects.filter(channel=channel).update(traditional_edition="publish")
    ChannelTranslationSettings.objects.get_or_create(
        channel=channel, defaults={"traditional_edition": "publish"}
    )
    with run_tasks_inline(execute=True):
        publish(article)
    # Then the translator's text is not overwritten
    assert produce_traditional_edition(article) is None
    assert article.get_translation(locale("zh-hant")).title == "人工譯文"


@override_settings(WAGTAILLOCALIZE_MACHINE_TRANSLATOR={"CLASS": "x", "OPTIONS": {}})
def test_default_variant_is_taiwan():
    from translations.traditional import traditional_translator

    assert traditional_translator().variant == "s2twp"


def test_an_article_stored_without_its_image_texts_gets_its_edition(home, run_tasks_inline):
    # Given a published article whose image block was stored with no caption or alt text
    # (null, as the demo loader and older imports stored them)
    image = NewsImageFactory(alt_text="会场示意图")
    channel = channel_with(home)
    article = publish_article(run_tasks_inline, channel, title="软件", slug="stored-null")
    stored = [
        {"type": "image", "value": {"image": image.pk, "caption": None, "alt_text": None}},
        {"type": "paragraph", "value": "<p>网络信息</p>"},
    ]
    ArticlePage.objects.filter(pk=article.pk).update(body=json.dumps(stored))
    Page.objects.filter(translation_key=article.translation_key, locale=locale("zh-hant")).delete()
    # When the article's publication is processed again
    source_published(article.pk)
    # Then its zh-hant edition is made and live, its paragraph converted
    edition = ArticlePage.objects.get(
        translation_key=article.translation_key, locale=locale("zh-hant")
    )
    assert edition.live
    assert "網路資訊" in str(edition.body)
