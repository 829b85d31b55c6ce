"""A reviewed channel's machine translations wait for a person's confirmation on every way a
page goes live, not only the editor's Publish button: the listing's bulk Publish and
scheduled go-live. The channel's automatic zh-hant edition is the editors' own choice and
goes live without one."""

from datetime import timedelta
from html import unescape

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page, PageLogEntry

import pytest
from bs4 import BeautifulSoup

from cms.models import ArticlePage
from translations.review import SCHEDULE_UNCONFIRMED_ACTION

from .conftest import channel_with, locale, publish_article, submit_for_translation

pytestmark = pytest.mark.django_db

REFUSED = "was not published: 4 machine-translated segments need a person's confirmation first"


@pytest.fixture
def machine_translated(client, chief, home, deepl, run_tasks_inline):
    """A reviewed channel's article, translated into English by DeepL (four segments: the
    title, summary, body paragraph and slug) and not yet confirmed by anyone."""
    channel = channel_with(home, slug="review", review_machine_translations=True)
    article = publish_article(run_tasks_inline, channel, title="侨音新闻", summary="海外侨胞")
    translation = submit_for_translation(client, article, "en")["en"]
    url = reverse("wagtail_localize:machine_translate", args=[translation.pk])
    assert client.post(url + "?next=/admin/").status_code == 302
    return translation, translation.get_target_instance()


def confirm(client, translation):
    url = reverse("translations_confirm_machine", args=[translation.pk])
    assert client.post(url).status_code == 302


def admin_messages(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [item.get_text(" ", strip=True) for item in soup.select(".messages li")]


def bulk_publish(client, pages, next_url):
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    query = "&".join(f"id={page.pk}" for page in pages) + f"&next={next_url}"
    return client.post(f"{url}?{query}", {}, follow=True)


def test_bulk_publish_waits_for_the_confirmation(client, chief, machine_translated):
    translation, english = machine_translated
    listing = reverse("wagtailadmin_explore", args=(english.get_parent().pk,))
    # When the chief editor publishes the English draft from the page listing
    response = bulk_publish(client, [english], listing)
    # Then the listing says why, and the English edition is not live
    shown = admin_messages(response)
    assert any(REFUSED in message for message in shown), "\n".join(shown)
    assert any("Nothing was published" in message for message in shown)
    english.refresh_from_db()
    assert not english.live
    # When someone confirms the machine translation, the same bulk Publish goes through
    confirm(client, translation)
    bulk_publish(client, [english], listing)
    english.refresh_from_db()
    assert english.live


def test_scheduled_go_live_waits_for_the_confirmation(
    client, chief, machine_translated, run_beat_task
):
    translation, english = machine_translated
    # Given the English edition scheduled to go live a minute ago
    english.save_revision(user=chief, approved_go_live_at=timezone.now() - timedelta(minutes=1))

    # When the beat task runs, twice
    run_beat_task()
    run_beat_task()
    # Then it stays offline and scheduled, and its history says why, once
    english = Page.objects.get(pk=english.pk).specific
    assert not english.live
    assert english.scheduled_revision is not None
    refusals = PageLogEntry.objects.filter(page=english, action=SCHEDULE_UNCONFIRMED_ACTION)
    assert refusals.count() == 1
    history = client.get(reverse("wagtailadmin_pages:history", args=(english.pk,)))
    text = unescape(history.content.decode())
    assert "4 machine-translated segments need a person's confirmation" in text
    # When the translation is confirmed, the next run publishes it
    confirm(client, translation)
    run_beat_task()
    english.refresh_from_db()
    assert english.live


def test_automatic_traditional_edition_needs_no_confirmation(home, run_tasks_inline):
    # Given a reviewed channel that also publishes its OpenCC zh-hant edition automatically
    channel = channel_with(
        home,
        slug="auto",
        review_machine_translations=True,
        traditional_edition="publish",
    )
    # When an article is published there
    article = publish_article(run_tasks_inline, channel, title="软件工程师发布信息")
    # Then its Traditional edition is live at once (the channel chose that)
    edition = ArticlePage.objects.get(
        translation_key=article.translation_key, locale=locale("zh-hant")
    )
    assert edition.live
    assert edition.title == "軟體工程師釋出資訊"
