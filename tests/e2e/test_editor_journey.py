"""An editor's first day in a real browser, in the Chinese admin: write an article with a
Chinese title and publish it (pinyin slug, no error), find its 繁體中文 edition made by
default, send it for English translation and see publishing refused while it is untranslated.
"""

import re

from django.db import connections

from wagtail.models import Locale

import pytest
from playwright.sync_api import expect

from cms.models import ArticlePage
from config.celery import app as celery_app

from ..cms.admin_forms import chief_editor
from ..cms.factories import ChannelPageFactory
from .test_reader_journey import browser, screenshots, site_origin  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "侨连天下平台用户突破百万"
SLUG = "qiaolian-tianxia-pingtai-yonghu-tupo-baiwan"
TRADITIONAL_TITLE = "僑連天下平臺使用者突破百萬"


@pytest.fixture
def tasks_run_at_commit():
    """What a worker would do after each commit happens in the live server's thread (the
    test's own broker is in memory, with no worker)."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def newsroom_channel(home):
    return ChannelPageFactory(parent=home, title="侨界动态", slug="qiaojie")


@pytest.fixture
def chief():
    user = chief_editor()
    user.set_password("pw-for-the-browser")
    user.save()
    return user


def log_in(page, origin, user):
    page.goto(f"{origin}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pw-for-the-browser")
    page.get_by_role("button", name=re.compile("登录")).click()
    expect(page).to_have_url(f"{origin}/admin/")


def test_an_editor_publishes_a_chinese_article_and_translates_it(
    site_origin,  # noqa: F811
    newsroom_channel,
    chief,
    tasks_run_at_commit,
    browser,  # noqa: F811
    screenshots,  # noqa: F811
    settings,
):
    # Wagtail's autosave off: in the full suite its first save of a new page sometimes never
    # came within a minute (alone it always did), and a click while one is in flight creates
    # the page twice. The editor saves the first draft themselves, the save the issue saw fail.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, site_origin, chief)

    # When the chief editor writes an article with a Chinese title
    page.goto(f"{site_origin}/admin/pages/add/cms/articlepage/{newsroom_channel.pk}/")
    page.fill("#id_title", TITLE)
    # Then the slug on the 推荐 tab is filled in pinyin as they type
    page.get_by_role("tab", name="推荐").click()
    # (the first pinyin of a process loads jieba's dictionary: a few seconds on a busy machine)
    expect(page.locator("#id_slug")).to_have_value(SLUG, timeout=30_000)
    page.get_by_role("tab", name="内容").click()
    # And their first 保存草稿 keeps the draft: no error banner, the editor becomes the draft's
    page.fill("#id_summary", "海外侨胞")
    page.get_by_role("button", name="保存草稿").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=30_000)
    expect(page.locator(".messages .error")).to_have_count(0)
    page.screenshot(path=screenshots / "1-new-article.png", full_page=True)

    # When they publish it
    page.locator("footer .w-dropdown__toggle").first.click()
    page.get_by_role("button", name="发布").click()
    # Then it is live, with no error banner, at its pinyin address
    expect(page.locator(".messages .success")).to_be_visible()
    expect(page.locator(".messages .error")).to_have_count(0)
    article = ArticlePage.objects.get(title=TITLE)
    assert article.live and article.slug == SLUG
    page.screenshot(path=screenshots / "2-published.png", full_page=True)

    # And its 繁體中文 edition was made and published by default, for readers too
    page.goto(f"{site_origin}/zh-hant/{newsroom_channel.slug}/{SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TRADITIONAL_TITLE)
    page.goto(f"{site_origin}/admin/pages/{article.pk}/edit/")
    status = page.locator('[data-testid="article-translation-status"] tr[data-locale="zh-hant"]')
    expect(status).to_have_attribute("data-status", "published")

    # And the Checks panel counts the Chinese text in characters, read at ~400 a minute
    page.locator('[data-side-panel-toggle="preview"]').first.click()
    page.locator('[data-side-panel-toggle="checks"]').first.click()
    words = page.locator("[data-content-word-count]")
    expect(words).to_have_text(re.compile(r"^\d+$"), timeout=30_000)
    assert int(words.inner_text()) >= len(TITLE)
    expect(page.locator("[data-content-reading-time]")).to_have_text("1 分钟")

    # When they send it for English translation (⋯ → 翻译此页 → English → 提交)
    page.goto(f"{site_origin}/admin/localize/submit/page/{article.pk}/")
    page.get_by_label("English").check()
    page.get_by_role("button", name=re.compile("提交")).click()
    # Then the English edition opens in the segment editor, as a draft
    english = ArticlePage.objects.get(
        translation_key=article.translation_key, locale=Locale.objects.get(language_code="en")
    )
    assert not english.live
    expect(page).to_have_url(re.compile(rf"/admin/pages/{english.pk}/edit/"))
    expect(page.get_by_text("简体中文 → English 翻译").first).to_be_visible()
    expect(page.get_by_text("to English translation")).to_have_count(0)

    # When they press Publish with nothing translated
    publish = page.get_by_role("button", name=re.compile("发布"))
    publish.click()
    # Then it is refused, saying how many segments are left, and readers see no English
    expect(page.locator(".messages .error")).to_contain_text("个片段没有翻译")
    page.screenshot(path=screenshots / "3-refused.png", full_page=True)
    english.refresh_from_db()
    assert not english.live
    response = page.request.get(f"{site_origin}/en/{newsroom_channel.slug}/{english.slug}/")
    assert response.status == 404
    context.close()
    # The reads above opened a connection in Playwright's context, where only this test can
    # close it (else pytest-django cannot drop the test database at the end).
    connections.close_all()
