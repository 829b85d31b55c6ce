"""wagtail-localize as the newsroom uses it: synced translations after corrections, PO files
for outside translators, review of machine translations, who may do what."""

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation

import polib
import pytest

from cms.newsroom import translator_group_name
from translations.models import MachineTranslationConfirmation
from translations.status import OUTDATED, PUBLISHED, page_status

from ..cms.admin_forms import chief_editor, edit_url, english_translator, make_user
from ..cms.factories import publish
from .conftest import (
    channel_with,
    locale,
    paragraphs,
    publish_article,
    submit_for_translation,
)

pytestmark = pytest.mark.django_db


def translate_all(translation, prefix, user=None):
    """A person translates every untranslated segment."""
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        StringTranslation.objects.get_or_create(
            translation_of=segment.string,
            locale=translation.target_locale,
            context=segment.context,
            defaults={
                "data": f"{prefix} {segment.string.data}",
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": user,
            },
        )


def publish_translation(client, translation, run_tasks_inline):
    """The Publish button of wagtail-localize's editor."""
    page = translation.get_target_instance()
    with run_tasks_inline(execute=True):
        response = client.post(edit_url(page), {"action": "publish"})
    page.refresh_from_db()
    return response, page


def cell(page, code):
    return next(c for c in page_status(page).cells if c.locale.language_code == code)


@pytest.fixture
def chief(client):
    user = chief_editor()
    client.force_login(user)
    return user


@pytest.fixture
def article(home, run_tasks_inline):
    channel = channel_with(home)
    return publish_article(
        run_tasks_inline,
        channel,
        title="侨联举办亲情中华夏令营",
        body=paragraphs("来自三十个国家的青少年参加。", "活动为期两周。"),
    )


def test_correction_marks_the_translation_outdated_and_offers_the_changed_segment(
    client, chief, article, run_tasks_inline
):
    # Given an English translation, fully translated and published
    translation = submit_for_translation(client, article, "en")["en"]
    translate_all(translation, "EN")
    publish_translation(client, translation, run_tasks_inline)
    assert cell(article, "en").status == PUBLISHED
    # When the Chinese original's second paragraph is corrected and republished
    body = [dict(block) for block in article.body.raw_data]
    body[1]["value"] = "<p>活动为期三周。</p>"
    article.body = body
    with run_tasks_inline(execute=True):
        publish(article)
    # Then the English edition shows as outdated
    assert cell(article, "en").status == OUTDATED
    # And the editor offers only the changed segment; the unchanged ones keep their English
    total, done = translation.get_progress()
    assert total - done == 1
    open_segments = [
        s.string.data
        for s in StringSegment.objects.filter(source=translation.source)
        .annotate_translation(translation.target_locale)
        .select_related("string")
        if s.translation is None
    ]
    assert open_segments == ["活动为期三周。"]
    # When the translator translates it and publishes
    translate_all(translation, "EN")
    _response, english = publish_translation(client, translation, run_tasks_inline)
    # Then the English edition is up to date again, with the old and the new segment
    assert cell(article, "en").status == PUBLISHED
    assert "EN 活动为期三周。" in str(english.specific.body)
    assert "EN 来自三十个国家的青少年参加。" in str(english.specific.body)


def test_po_file_round_trip_for_an_outside_translator(client, chief, article, run_tasks_inline):
    # Given a French translation
    translation = submit_for_translation(client, article, "fr")["fr"]
    # When the PO file is downloaded
    response = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert response.status_code == 200
    po = polib.pofile(response.content.decode())
    assert "侨联举办亲情中华夏令营" in [entry.msgid for entry in po]
    # And an outside translator fills it in and it is uploaded
    for entry in po:
        entry.msgstr = f"FR {entry.msgid}"
    upload = SimpleUploadedFile("fr.po", str(po).encode(), "text/x-gettext-translation")
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation.pk]),
        {"file": upload, "next": "/admin/"},
    )
    assert response.status_code == 302
    # Then every segment is translated, and publishing puts the French text live
    total, done = translation.get_progress()
    assert total == done > 0
    _response, french = publish_translation(client, translation, run_tasks_inline)
    assert french.live
    assert french.title == "FR 侨联举办亲情中华夏令营"


# --- review of machine translations ---------------------------------------------------------
@pytest.fixture
def reviewed_article(home, run_tasks_inline):
    channel = channel_with(home, slug="review", review_machine_translations=True)
    return publish_article(run_tasks_inline, channel, title="侨音新闻", summary="海外侨胞")


def machine_translate(client, translation):
    url = reverse("wagtail_localize:machine_translate", args=[translation.pk])
    assert client.post(url + "?next=/admin/").status_code == 302


def test_machine_translation_needs_confirmation_before_publishing(
    client,
    chief,
    reviewed_article,
    deepl,
    run_tasks_inline,
):
    # Given a channel that asks for review, and an English translation filled by DeepL
    translation = submit_for_translation(client, reviewed_article, "en")["en"]
    machine_translate(client, translation)
    # When the chief editor presses Publish
    response, english = publish_translation(client, translation, run_tasks_inline)
    # Then nothing goes live and the editor says why
    assert response.status_code == 302
    assert not english.live
    editor = client.get(edit_url(english))
    assert "人工确认" in editor.content.decode()
    assert 'data-testid="review-needed"' in editor.content.decode()
    # When they confirm they reviewed the machine translation, then publish
    response = client.post(
        reverse("translations_confirm_machine", args=[translation.pk]), {"next": edit_url(english)}
    )
    assert response.status_code == 302
    response, english = publish_translation(client, translation, run_tasks_inline)
    # Then the English edition is live, its segments still marked as machine-made
    assert english.live
    assert english.title == "[EN-GB] 侨音新闻"
    kinds = StringTranslation.objects.filter(locale=locale("en")).values_list(
        "translation_type", flat=True
    )
    assert set(kinds) == {"machine"}


def test_a_later_machine_segment_needs_a_new_confirmation(
    client,
    chief,
    reviewed_article,
    deepl,
    run_tasks_inline,
):
    translation = submit_for_translation(client, reviewed_article, "en")["en"]
    machine_translate(client, translation)
    client.post(reverse("translations_confirm_machine", args=[translation.pk]))
    # When the original is corrected and the new segment machine-translated
    reviewed_article.summary = "海外侨胞与侨乡"
    with run_tasks_inline(execute=True):
        publish(reviewed_article)
    machine_translate(client, translation)
    # Then publishing is refused again
    _response, english = publish_translation(client, translation, run_tasks_inline)
    assert not english.live


def test_channels_without_review_publish_machine_translations_directly(
    client,
    chief,
    article,
    deepl,
    run_tasks_inline,
):
    translation = submit_for_translation(client, article, "en")["en"]
    machine_translate(client, translation)
    _response, english = publish_translation(client, translation, run_tasks_inline)
    assert english.live


# --- permissions --------------------------------------------------------------------------
def test_translators_open_only_their_languages_translations(client, article, run_tasks_inline):
    client.force_login(chief_editor())
    translations = submit_for_translation(client, article, "en", "de")
    # Given an English translator
    client.force_login(english_translator())
    # Then the English segment editor opens (with wagtail-localize's editor in it)
    english = client.get(edit_url(translations["en"].get_target_instance()))
    assert english.status_code == 200
    assert "js-translation-editor" in english.content.decode()
    # And the German one does not
    german = client.get(edit_url(translations["de"].get_target_instance()))
    assert german.status_code in (302, 403)
    assert "js-translation-editor" not in german.content.decode()


def test_a_translator_cannot_publish_the_chinese_source(client, article):
    # Given an English translator on the Chinese article's editor
    client.force_login(english_translator())
    revisions = article.revisions.count()
    # When they try to publish a change
    response = client.post(edit_url(article), {"title": "改过的标题", "action-publish": "1"})
    # Then they are refused and the live article is untouched
    assert response.status_code in (302, 403)
    article.refresh_from_db()
    assert article.title == "侨联举办亲情中华夏令营"
    assert article.revisions.count() == revisions


def test_a_translator_cannot_publish_from_the_segment_editor(client, article, run_tasks_inline):
    # Given an English translation a translator has finished
    client.force_login(chief_editor())
    translation = submit_for_translation(client, article, "en")["en"]
    translate_all(translation, "EN")
    # When the translator (edit rights, no publish rights) presses Publish
    client.force_login(english_translator())
    response, english = publish_translation(client, translation, run_tasks_inline)
    # Then a chief editor's publish is still needed
    assert response.status_code in (302, 403)
    assert not english.live


def test_translators_cannot_submit_pages_for_translation(client, article):
    client.force_login(english_translator())
    response = client.get(reverse("wagtail_localize:submit_page_translation", args=[article.pk]))
    assert response.status_code in (302, 403)


def test_only_translators_of_the_language_confirm_its_machine_translation(
    client,
    reviewed_article,
    deepl,
    run_tasks_inline,
):
    client.force_login(chief_editor())
    translations = submit_for_translation(client, reviewed_article, "en", "de")
    url = "translations_confirm_machine"
    client.force_login(english_translator())
    client.post(reverse(url, args=[translations["de"].pk]))
    client.post(reverse(url, args=[translations["en"].pk]))
    confirmed = MachineTranslationConfirmation.objects.values_list(
        "translation__target_locale__language_code", flat=True
    )
    assert list(confirmed) == ["en"]


def test_an_unknown_article_status_page_is_a_404(client):
    client.force_login(chief_editor())
    url = reverse("translations_article_status", args=[999999])
    assert client.get(url, follow=True).status_code == 404


# --- background jobs -----------------------------------------------------------------------
def test_translating_a_channel_with_its_articles_runs_as_a_celery_job(
    client, home, run_tasks_inline
):
    # Given a channel with two articles
    channel = channel_with(home, slug="subtree")
    for title in ("侨乡新闻一", "侨乡新闻二"):
        publish_article(run_tasks_inline, channel, title=title)
    client.force_login(chief_editor())
    # When the channel is submitted for German with its subtree
    with run_tasks_inline(execute=True):
        response = client.post(
            reverse("wagtail_localize:submit_page_translation", args=[channel.pk]),
            {"locales": [locale("de").pk], "include_subtree": "on"},
        )
    assert response.status_code == 302
    # Then the job (sent through Celery as JSON) created the German drafts of both articles
    german = Page.objects.filter(locale=locale("de"), title__startswith="侨乡新闻")
    assert sorted(german.values_list("title", flat=True)) == ["侨乡新闻一", "侨乡新闻二"]


def test_per_locale_translator_group_exists_for_each_language():
    # The translator groups these tests rely on come from the newsroom set-up
    assert Group.objects.filter(name=translator_group_name("en")).exists()
    assert make_user("nobody").groups.count() == 0


def test_sync_cannot_publish_immediately_where_review_is_required(
    client,
    chief,
    reviewed_article,
    deepl,
    run_tasks_inline,
):
    # Given a reviewed channel's article translated into English by machine
    translation = submit_for_translation(client, reviewed_article, "en")["en"]
    machine_translate(client, translation)
    reviewed_article.summary = "海外侨胞与侨乡"
    with run_tasks_inline(execute=True):
        publish(reviewed_article)
    # When "Sync translated pages" is sent with "Publish immediately" and machine translation
    url = reverse("wagtail_localize:update_translations", args=[translation.source_id])
    with run_tasks_inline(execute=True):
        response = client.post(url, {"publish_translations": "on", "use_machine_translation": "on"})
    # Then the segments are synced and machine-filled, but nothing is published
    assert response.status_code == 302
    assert translation.get_progress()[0] == translation.get_progress()[1]
    assert not translation.get_target_instance().live
    assert "人工确认" in client.get(url).content.decode()


def test_snippets_are_translated_with_the_segment_editor(client, chief):
    from cms.models import Author

    # Given a Chinese byline
    author = Author.objects.create(name="侨音记者", slug="qiaoyin-jizhe")
    # When it is submitted for English
    response = client.post(
        reverse("wagtail_localize:submit_snippet_translation", args=["cms", "author", author.pk]),
        {"locales": [locale("en").pk]},
    )
    # Then an English byline exists, linked by its translation key, editable segment by segment
    assert response.status_code == 302
    english = author.get_translation(locale("en"))
    editor = client.get(
        reverse("wagtailsnippets_cms_author:edit", args=[english.pk])
    ).content.decode()
    assert "js-translation-editor" in editor
