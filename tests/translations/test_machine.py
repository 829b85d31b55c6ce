"""Machine translation services, faked at their HTTP boundary by a server on 127.0.0.1."""

from django.urls import reverse

from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringTranslation
from wagtail_localize.strings import StringValue

import pytest

from translations.machine import (
    MachineTranslationError,
    NewsroomDeepLTranslator,
    NewsroomTranslator,
)
from translations.models import GlossaryRendering, GlossaryTerm

from ..cms.admin_forms import chief_editor
from .conftest import (
    channel_with,
    locale,
    publish_article,
    submit_for_translation,
    translator_settings,
)

pytestmark = pytest.mark.django_db


def strings(*texts):
    return [StringValue(text) for text in texts]


def translate(source, target, *texts):
    values = strings(*texts)
    result = get_machine_translator().translate(locale(source), locale(target), values)
    return [result[value].data for value in values]


def test_deepl_gets_distinct_chinese_targets(deepl):
    # Given DeepL configured, When English copy is translated into each Chinese edition
    translator = NewsroomDeepLTranslator({"AUTH_KEY": "secret-key", "API_URL": deepl.url})
    for code in ("zh-hans", "zh-hant"):
        value = StringValue("Overseas Chinese")
        translator.translate(locale("en"), locale(code), [value])
    # Then DeepL is asked for ZH-HANS and ZH-HANT, not a collapsed "ZH"
    targets = [r["json"]["target_lang"] for r in deepl.requests]
    assert targets == ["ZH-HANS", "ZH-HANT"]
    # And the key travels in DeepL's authorisation header
    assert deepl.requests[0]["headers"]["Authorization"] == "DeepL-Auth-Key secret-key"


def test_deepl_translates_chinese_into_the_other_languages(deepl):
    translated = translate("zh-hans", "en", "侨音", "<b>新闻</b>")
    assert translated == ["[EN-GB] 侨音", "[EN-GB] <b>新闻</b>"]
    sent = deepl.requests[-1]["json"]
    assert (sent["source_lang"], sent["tag_handling"]) == ("ZH", "xml")
    assert translate("zh-hans", "de", "侨音") == ["[DE] 侨音"]


def test_traditional_chinese_never_goes_to_deepl(deepl):
    # Given DeepL configured, Then zh-hant still comes from OpenCC, offline
    assert translate("zh-hans", "zh-hant", "软件") == ["軟體"]
    assert deepl.requests == []


def test_deepl_uses_the_newsroom_glossary(deepl):
    # Given a glossary term with its English rendering
    term = GlossaryTerm.objects.create(term="侨联")
    GlossaryRendering.objects.create(
        term=term, locale=locale("en"), text="Federation of Returned Overseas Chinese"
    )
    # When Chinese text is translated into English twice
    translate("zh-hans", "en", "省侨联")
    translate("zh-hans", "en", "市侨联")
    # Then DeepL received the glossary once, as TSV for the zh → en pair
    uploads = [r for r in deepl.requests if r["path"] == "/v2/glossaries"]
    assert len(uploads) == 1
    assert uploads[0]["json"]["entries"] == "侨联\tFederation of Returned Overseas Chinese"
    assert (uploads[0]["json"]["source_lang"], uploads[0]["json"]["target_lang"]) == ("zh", "en")
    # And both translations used it
    used = [r["json"].get("glossary_id") for r in deepl.requests if r["path"] == "/v2/translate"]
    assert used == ["g-1", "g-1"]


def test_a_changed_glossary_replaces_the_old_one_at_deepl(deepl):
    term = GlossaryTerm.objects.create(term="侨联")
    GlossaryRendering.objects.create(term=term, locale=locale("en"), text="ACFROC")
    translate("zh-hans", "en", "侨联")
    # When a term is added and the next translation runs
    other = GlossaryTerm.objects.create(term="侨音")
    GlossaryRendering.objects.create(term=other, locale=locale("en"), text="Qiaoyin")
    translate("zh-hans", "en", "侨音")
    # Then a new glossary is uploaded and the replaced one deleted
    uploads = [r for r in deepl.requests if r["path"] == "/v2/glossaries"]
    assert len(uploads) == 2
    assert uploads[1]["json"]["entries"] == "侨联\tACFROC\n侨音\tQiaoyin"
    deleted = [r["path"] for r in deepl.requests if r["method"] == "DELETE"]
    assert deleted == ["/v2/glossaries/g-1"]


def test_languages_without_glossary_entries_send_no_glossary(deepl):
    GlossaryRendering.objects.create(
        term=GlossaryTerm.objects.create(term="侨联"), locale=locale("en"), text="ACFROC"
    )
    translate("zh-hans", "fr", "侨联")
    assert [r["path"] for r in deepl.requests] == ["/v2/translate"]
    assert "glossary_id" not in deepl.requests[0]["json"]


def test_google_cloud_translation(fake_service, settings):
    def reply(record):
        texts = record["json"]["q"]
        return 200, {"data": {"translations": [{"translatedText": t.upper()} for t in texts]}}

    google = fake_service(reply)
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = translator_settings(
        "google", GOOGLE={"API_KEY": "g-key", "API_URL": google.url}
    )
    assert translate("zh-hans", "de", "abc") == ["ABC"]
    request = google.requests[0]
    assert request["path"] == "/language/translate/v2"
    assert request["query"]["key"] == ["g-key"]
    assert (request["json"]["source"], request["json"]["target"]) == ("zh-CN", "de")
    assert request["json"]["format"] == "html"


def test_libretranslate(fake_service, settings):
    libre = fake_service(lambda r: (200, {"translatedText": [f"it:{t}" for t in r["json"]["q"]]}))
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = translator_settings(
        "libretranslate", LIBRETRANSLATE={"LIBRETRANSLATE_URL": libre.url, "API_KEY": "l-key"}
    )
    assert translate("zh-hans", "it", "侨音") == ["it:侨音"]
    request = libre.requests[0]
    assert (request["json"]["source"], request["json"]["target"]) == ("zh", "it")
    assert request["json"]["api_key"] == "l-key"


def test_a_refusing_service_says_which_and_why(fake_service, settings):
    deepl = fake_service(lambda r: (403, {"message": "Wrong key"}))
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = translator_settings(
        "deepl", DEEPL={"AUTH_KEY": "bad", "API_URL": deepl.url}
    )
    refused = r"DeepL refused the request \(403\).*Wrong key"
    with pytest.raises(MachineTranslationError, match=refused):
        translate("zh-hans", "en", "侨音")


def test_unknown_service_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="deepl, google, libretranslate"):
        NewsroomTranslator({"SERVICE": "babelfish"})


def test_without_a_service_only_the_chinese_editions_are_offered():
    translator = NewsroomTranslator({})
    assert translator.can_translate(locale("zh-hans"), locale("zh-hant"))
    assert not translator.can_translate(locale("zh-hans"), locale("en"))


def test_editor_button_fills_segments_marked_as_machine(client, home, deepl, run_tasks_inline):
    # Given an article submitted for English translation
    channel = channel_with(home)
    article = publish_article(run_tasks_inline, channel, title="侨音新闻", summary="海外侨胞")
    client.force_login(chief_editor())
    translation = submit_for_translation(client, article, "en")["en"]
    # When an editor clicks "Translate with …" in wagtail-localize's editor
    response = client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]) + "?next=/admin/"
    )
    # Then every segment is filled by DeepL and marked as a machine translation
    assert response.status_code == 302
    filled = StringTranslation.objects.filter(locale=locale("en"))
    assert "[EN-GB] 侨音新闻" in set(filled.values_list("data", flat=True))
    marks = set(filled.values_list("translation_type", "tool_name"))
    assert marks == {("machine", "OpenCC · DeepL")}
    total, done = translation.get_progress()
    assert total == done > 0
