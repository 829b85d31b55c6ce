"""The translation status dashboard and panel, notifications, and links between editions."""

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest

from cms.newsroom import TRANSLATORS, translator_group_name
from stations.formatters.ninjs import format_article

from ..cms.admin_forms import chief_editor, edit_url, make_user
from ..cms.factories import publish
from .conftest import channel_with, locale, publish_article

pytestmark = pytest.mark.django_db


def translate_by_hand(article, code, live=True):
    """A translator's own copy (outside synced translation)."""
    channel = article.get_parent()
    if not channel.has_translation(locale(code)):
        channel.copy_for_translation(locale(code)).save_revision().publish()
    copy = article.copy_for_translation(locale(code))
    copy.title = f"{code}: {article.title}"
    if live:
        return publish(copy)
    copy.save_revision()
    return copy


def counts(html, code):
    row = re.search(rf'<tr data-locale="{code}">(.*?)</tr>', html, re.S).group(1)
    return {
        status: int(number) for status, number in re.findall(r'data-status="(\w+)">(\d+)<', row)
    }


def matrix_statuses(html, article, code):
    row = re.search(rf'<tr data-article="{article.pk}">(.*?)</tr>', html, re.S).group(1)
    return re.search(rf'data-locale="{code}" data-status="(\w+)"', row).group(1)


def column_order(html):
    head = re.search(r'data-testid="status-matrix">\s*<thead>(.*?)</thead>', html, re.S).group(1)
    return re.findall(r'data-locale="([\w-]+)"', head)


@pytest.fixture
def newsroom_articles(home, run_tasks_inline):
    """Four articles in four English states, one of them old; zh-hant made automatically."""
    channel = channel_with(home, traditional_edition="publish")
    other = channel_with(home, slug="other", traditional_edition="off")
    published = publish_article(run_tasks_inline, channel, title="英文已发布")
    translate_by_hand(published, "en")
    drafting = publish_article(run_tasks_inline, channel, title="英文翻译中")
    translate_by_hand(drafting, "en", live=False)
    missing = publish_article(run_tasks_inline, other, title="英文缺译")
    outdated = publish_article(run_tasks_inline, channel, title="原文已更正")
    translate_by_hand(outdated, "en")
    outdated.title = "原文已更正（修订）"
    with run_tasks_inline(execute=True):
        publish(outdated)
    old = publish_article(run_tasks_inline, other, title="旧稿")
    Page.objects.filter(pk=old.pk).update(first_published_at=timezone.now() - timedelta(days=100))
    return {
        "published": published,
        "drafting": drafting,
        "missing": missing,
        "outdated": outdated,
        "old": old,
        "channel": channel,
        "other": other,
    }


def dashboard(client, **params):
    response = client.get(reverse("translations_status"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_counts_each_state_per_language(client, newsroom_articles):
    client.force_login(chief_editor())
    # When a chief editor opens the dashboard (last 30 days by default)
    html = dashboard(client)
    # Then English shows one article in each state; the 100-day-old one is left out
    assert counts(html, "en") == {"missing": 1, "in_progress": 1, "outdated": 1, "published": 1}
    # And Traditional Chinese, made automatically where the channel asks, is up to date there
    assert counts(html, "zh-hant") == {
        "missing": 1,
        "in_progress": 0,
        "outdated": 0,
        "published": 3,
    }
    assert counts(html, "de")["missing"] == 4
    # And the matrix shows each article's English state
    for state in ("published", "missing", "outdated"):
        assert matrix_statuses(html, newsroom_articles[state], "en") == state
    assert matrix_statuses(html, newsroom_articles["drafting"], "en") == "in_progress"


def test_dashboard_filters_by_age_channel_locale_and_status(client, newsroom_articles):
    client.force_login(chief_editor())
    assert counts(dashboard(client, age="all"), "en")["missing"] == 2
    by_channel = dashboard(client, channel=newsroom_articles["other"].pk, age="all")
    assert counts(by_channel, "en")["missing"] == 2
    assert sum(counts(by_channel, "en").values()) == 2
    only_german = dashboard(client, locale="de")
    assert column_order(only_german) == ["de"]
    outdated_only = dashboard(client, status="outdated")
    assert f'data-article="{newsroom_articles["outdated"].pk}"' in outdated_only
    assert f'data-article="{newsroom_articles["missing"].pk}"' not in outdated_only


def test_bad_filters_are_ignored_not_errors(client, newsroom_articles):
    client.force_login(chief_editor())
    html = dashboard(client, channel="x", locale="xx", status="weird", age="-1", p="999")
    assert 'data-testid="status-counts"' in html


def test_translators_see_their_own_languages_first(client, newsroom_articles):
    german = make_user("deutsch", TRANSLATORS, translator_group_name("de"))
    client.force_login(german)
    assert column_order(dashboard(client))[0] == "de"
    client.force_login(chief_editor())
    assert column_order(dashboard(client))[:2] == ["zh-hant", "en"]


def test_article_editor_shows_the_translation_status(client, newsroom_articles):
    client.force_login(chief_editor())
    article = newsroom_articles["outdated"]
    html = client.get(edit_url(article)).content.decode()
    panel = r'data-testid="article-translation-status">(.*?)</table>'
    table = re.search(panel, html, re.S).group(1)
    assert '<tr data-locale="en" data-status="outdated">' in table
    assert '<tr data-locale="zh-hant" data-status="published">' in table
    assert '<tr data-locale="fr" data-status="missing">' in table


def test_glossary_terms_of_the_article_are_shown_to_translators(client, home, run_tasks_inline):
    from translations.models import GlossaryRendering, GlossaryTerm

    term = GlossaryTerm.objects.create(term="海外传播官", note="侨音的海外通讯员")
    GlossaryRendering.objects.create(term=term, locale=locale("en"), text="overseas correspondent")
    GlossaryTerm.objects.create(term="不相关")
    article = publish_article(run_tasks_inline, channel_with(home), title="海外传播官走进侨乡")
    client.force_login(chief_editor())
    html = client.get(reverse("translations_article_status", args=[article.pk])).content.decode()
    row = re.search(r'<tr data-locale="en".*?</tr>', html, re.S).group(0)
    assert "海外传播官" in row and "overseas correspondent" in row
    assert "不相关" not in html


def test_translators_are_emailed_when_the_channel_asks(home, run_tasks_inline):
    make_user("en-translator", TRANSLATORS, translator_group_name("en"))
    make_user("de-translator", TRANSLATORS, translator_group_name("de"))
    channel = channel_with(home, notify_translators=True)
    publish_article(run_tasks_inline, channel, title="创业中华活动启动")
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["de-translator@qiaoyin.example", "en-translator@qiaoyin.example"]
    assert "创业中华活动启动" in mail.outbox[0].subject


def test_no_email_without_the_channel_option(home, run_tasks_inline):
    make_user("en-translator", TRANSLATORS, translator_group_name("en"))
    publish_article(run_tasks_inline, channel_with(home), title="创业中华活动启动")
    assert mail.outbox == []


# --- links between editions -----------------------------------------------------------------
def test_an_automatic_edition_stays_linked_to_the_original(client, home, run_tasks_inline):
    # Given an article whose zh-hant edition was made automatically
    channel = channel_with(home, traditional_edition="publish")
    article = publish_article(run_tasks_inline, channel, title="侨连天下平台用户破百万")
    edition = article.get_translation(locale("zh-hant"))
    edition_url = edition.get_url()
    # Then the original's page announces it with hreflang and offers it in the switcher
    html = client.get(article.get_url()).content.decode()
    assert re.search(rf'<link rel="alternate" hreflang="zh-Hant" href="[^"]*{edition_url}"', html)
    assert re.search(rf'href="[^"]*{edition_url}"[^>]*data-lang="zh-hant"', html)
    # And the edition links back to the original the same way
    back = client.get(edition_url).content.decode()
    assert re.search(rf'hreflang="zh-Hans" href="[^"]*{article.get_url()}"', back), back[:3000]
    # And liaison stations get the edition's uri among the original's alternative ids
    altids = format_article(article, version=1)["altids"]
    assert {"role": "translation:zh-Hant", "value": edition.specific.uri} in altids
