"""In a real browser, in the Chinese admin: a publish that fails says, in Chinese, on which
tab, in which body block and in which inline-panel row each correction is needed."""

import re

from django.db import connections

import pytest
from playwright.sync_api import expect

from cms.models import ArticlePage

from .test_editor_journey import chief, log_in, newsroom_channel  # noqa: F401 (fixtures)
from .test_reader_journey import browser, screenshots, site_origin  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "海外联络站年度工作会议召开"


def test_publish_errors_name_tab_block_and_row_in_chinese(
    site_origin,  # noqa: F811
    newsroom_channel,  # noqa: F811
    chief,  # noqa: F811
    browser,  # noqa: F811
    screenshots,  # noqa: F811
):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, site_origin, chief)

    # Given an article with a photo block left without its photo and a correction row
    # left without its note
    page.goto(f"{site_origin}/admin/pages/add/cms/articlepage/{newsroom_channel.pk}/")
    page.fill("#id_title", TITLE)
    page.locator("[data-contentpath='body'] button.c-sf-add-button").first.click()
    page.get_by_role("option", name="图片", exact=True).first.click()
    page.locator("#id_corrections-ADD").click()

    # When the editor publishes
    page.locator("footer .w-dropdown__toggle").first.click()
    page.get_by_role("button", name="发布").click()

    # Then the banner names the tab, the block and its field, and the row and its field,
    # in Chinese, with no English left
    banner = page.locator(".messages .error")
    expect(banner).to_contain_text("“内容”标签页：“正文”（第1块“图片”：“图片”）")
    expect(banner).to_contain_text("“更正”第1行：“说明”")
    expect(banner).not_to_contain_text(re.compile("Validation error|Go to the first error"))
    page.screenshot(path=screenshots / "editor-errors.png", full_page=True)
    assert not ArticlePage.objects.filter(title=TITLE, live=True).exists()
    context.close()
    connections.close_all()
