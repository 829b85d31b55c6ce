"""The Content-Security-Policy holds in a real browser: readers' pages run with scripts from
the site alone, and the admin keeps working under its own policy (nothing is refused while
an editor signs in, writes an article, chooses a photo and opens the libraries)."""

from wagtail.models import Collection

import pytest
from playwright.sync_api import expect

from tests.cms.admin_forms import chief_editor
from tests.cms.factories import ChannelPageFactory, NewsImageFactory, make_article

from .test_reader_journey import browser  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Collects what the policy refuses (installed by the browser, outside the page's policy).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
});
"""


def watched_page(browser):  # noqa: F811
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page, refused


def violations(page):
    return page.evaluate("window.__violations")


@pytest.fixture
def site(home):
    channel = ChannelPageFactory(parent=home, title="侨界动态", slug="qiaojie")
    photo = NewsImageFactory(title="侨乡新貌", collection=Collection.get_first_root_node())
    chief_editor("zhubian")
    article = make_article(channel, title="海外联络站共话乡情", cover_image=photo)
    return {"channel": channel, "article": article, "photo": photo}


def test_readers_pages_need_nothing_the_policy_refuses(live_server, site, browser):  # noqa: F811
    page, refused = watched_page(browser)
    for path in ("/zh-hans/", site["article"].url, "/zh-hans/qiaojie/"):
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "camera=()" in response.headers["permissions-policy"]
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
    # The search page's suggestions (its script talks to the API) still work
    page.goto(f"{live_server.url}/zh-hans/search/?q=侨")
    page.fill("#search-q", "海外")
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    assert refused == []


def test_the_admin_keeps_working_under_its_policy(live_server, site, browser):  # noqa: F811
    page, refused = watched_page(browser)
    # Sign in through the form
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "zhubian")
    page.fill("input[name=password]", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    # Write an article: the editor's widgets start, the photo chooser opens and chooses
    channel = site["channel"]
    page.goto(f"{live_server.url}/admin/pages/add/cms/articlepage/{channel.pk}/")
    page.fill("#id_title", "浏览器里写的稿件")
    page.locator("#id_cover_image-chooser [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    expect(modal).to_be_visible()
    modal.get_by_text("侨乡新貌").first.click()
    expect(page.locator("#id_cover_image-title")).to_have_text("侨乡新貌")
    # The libraries and their upload pages
    for path in (
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/media/",
        "/admin/media/video/add/",
        "/admin/documents/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "form-action 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
    assert violations(page) == []
    assert refused == []
