"""A translation goes live only when it is complete, whichever admin button is pressed; the
automatic zh-hant edition is the one edition published without a translator. And the
article's translation status says why an edition is missing, with the button that makes it."""

from django.urls import reverse

from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation

import pytest
from bs4 import BeautifulSoup

from cms.models import ArticlePage
from stations.models import DistributedArticle

from ..cms.admin_forms import edit_url
from .conftest import channel_with, locale, publish_article
from .test_review_paths import admin_messages, bulk_publish

pytestmark = pytest.mark.django_db

TITLE = "侨连天下平台用户突破百万"


@pytest.fixture
def article(home, run_tasks_inline):
    """A published article in a channel with the default options."""
    channel = channel_with(home, slug="qiaowu")
    return publish_article(run_tasks_inline, channel, title=TITLE, summary="海外侨胞")


def translate_this_page(client, article, code, run_tasks_inline):
    """Page ⋯ → Translate this page → the language → Submit, with its transaction committed."""
    url = reverse("wagtail_localize:submit_page_translation", args=[article.pk])
    with run_tasks_inline(execute=True):
        response = client.post(url, {"locales": [locale(code).pk]})
    assert response.status_code == 302, response.content.decode()[:500]
    return ArticlePage.objects.get(translation_key=article.translation_key, locale=locale(code))


def publish_in_segment_editor(client, page, run_tasks_inline):
    """The Publish button of wagtail-localize's editor (served at the page's edit URL)."""
    with run_tasks_inline(execute=True):
        return client.post(edit_url(page), {"action": "publish"}, follow=True)


def translate_segments(client, page, texts):
    """The translator types a translation into each segment editor field."""
    translation = Translation.objects.get(
        source__object_id=page.translation_key, target_locale=page.locale
    )
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
        value = texts.get(segment.string.data, f"EN {segment.string.data}")
        response = client.put(
            url, f"value={value}", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in (200, 201), response.content.decode()[:300]
    return translation


def reader_sees(client, url):
    return client.get(url, HTTP_HOST="testserver").content.decode()


def test_a_submitted_translation_is_a_draft_nobody_reads(client, chief, article, run_tasks_inline):
    # When the chief editor sends the published article for translation into English
    english = translate_this_page(client, article, "en", run_tasks_inline)
    # Then the English edition is a draft: not on the site, its feeds or sitemaps
    assert not english.live
    english_url = f"/en/{article.get_parent().slug}/{english.slug}/"
    client.logout()
    assert client.get(english_url).status_code == 404
    assert TITLE not in reader_sees(client, "/en/")
    assert TITLE not in reader_sees(client, "/en/feeds/rss.xml")
    news_sitemap = reader_sees(client, "/news-sitemap.xml")
    assert "/zh-hant/" in news_sitemap and "/en/" not in news_sitemap
    # And no station is sent an English version of it
    assert not DistributedArticle.objects.filter(page_id=english.pk).exists()


def test_publishing_an_untranslated_translation_is_refused_with_the_count(
    client, chief, article, run_tasks_inline
):
    english = translate_this_page(client, article, "en", run_tasks_inline)
    # When the chief editor presses Publish in the segment editor with nothing translated
    response = publish_in_segment_editor(client, english, run_tasks_inline)
    # Then the editor says how many segments are left, and the edition stays a draft
    shown = admin_messages(response)
    assert any("4 segments are still untranslated" in message for message in shown), shown
    assert not Page.objects.get(pk=english.pk).live
    # When they publish it from the page listing instead, it is refused the same way
    listing = reverse("wagtailadmin_explore", args=(english.get_parent().pk,))
    with run_tasks_inline(execute=True):
        response = bulk_publish(client, [english], listing)
    shown = admin_messages(response)
    assert any("4 segments are still untranslated" in message for message in shown), shown
    assert not Page.objects.get(pk=english.pk).live


def test_a_complete_translation_is_published_by_its_translator(
    client, chief, article, run_tasks_inline
):
    english = translate_this_page(client, article, "en", run_tasks_inline)
    # Given every segment but one translated
    translation = translate_segments(client, english, {TITLE: "Qiaolian passes a million users"})
    last = StringSegment.objects.filter(source=translation.source).last()
    StringTranslation.objects.filter(
        translation_of_id=last.string_id, locale=english.locale, context_id=last.context_id
    ).delete()
    shown = admin_messages(publish_in_segment_editor(client, english, run_tasks_inline))
    assert any("1 segment is still untranslated" in message for message in shown), shown
    # When the last segment is translated too and the translator publishes
    translate_segments(client, english, {TITLE: "Qiaolian passes a million users"})
    publish_in_segment_editor(client, english, run_tasks_inline)
    # Then the English edition is live in English, in the feed as well
    english = ArticlePage.objects.get(pk=english.pk)
    assert english.live
    assert english.title == "Qiaolian passes a million users"
    client.logout()
    assert "Qiaolian passes a million users" in reader_sees(client, "/en/feeds/rss.xml")
    assert TITLE not in reader_sees(client, english.url)


def test_the_zh_hant_edition_is_published_without_a_translator(article):
    # The channel's default: OpenCC fills every segment and the edition goes live
    edition = ArticlePage.objects.get(
        translation_key=article.translation_key, locale=locale("zh-hant")
    )
    assert edition.live
    assert edition.title == "僑連天下平臺使用者突破百萬"


def status_rows(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    table = soup.select_one('[data-testid="article-translation-status"]')
    return {row["data-locale"]: row for row in table.select("tr[data-locale]")}


def test_the_status_panel_says_why_an_edition_is_missing_and_makes_it(
    client, chief, home, run_tasks_inline
):
    # Given a channel whose editors turned the automatic zh-hant edition off
    channel = channel_with(home, slug="off", traditional_edition="off")
    article = publish_article(run_tasks_inline, channel, title="软件工程师")
    # When the chief editor opens the article in the editor
    rows = status_rows(client.get(edit_url(article)))
    # Then the zh-hant row says why there is none, and offers to make it
    traditional = rows["zh-hant"]
    assert traditional["data-status"] == "missing"
    reason = traditional.select_one('[data-testid="edition-reason"]').get_text(" ", strip=True)
    assert "not automatic" in reason
    button = traditional.select_one('[data-testid="edition-action"]')
    assert button.get_text(strip=True) == "Create it now with OpenCC"
    # And English says nobody has started it, with a link to Translate this page
    english = rows["en"]
    assert "Nobody has started the English translation" in english.get_text(" ", strip=True)
    link = english.select_one('[data-testid="edition-action"]')["href"]
    assert link.startswith(reverse("wagtail_localize:submit_page_translation", args=[article.pk]))
    # When they press the zh-hant button (it posts the editor's form to its own address)
    with run_tasks_inline(execute=True):
        response = client.post(button["formaction"], follow=True)
    # Then the edition exists as a draft for review (the channel does not publish it itself)
    assert any("created as a draft" in message for message in admin_messages(response))
    edition = article.get_translation(locale("zh-hant"))
    assert edition.get_latest_revision_as_object().title == "軟體工程師"
    assert status_rows(client.get(edit_url(article)))["zh-hant"]["data-status"] == "in_progress"
