"""A reader's journey in a real browser: home page → article → the same article in 繁體中文.

Playwright drives Debian's Chromium (/usr/bin/chromium, never a downloaded browser) against
pytest-django's live server. Screenshots land in test-results/<test name>/ for CI artefacts.
"""

import re

from wagtail.models import Locale

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.cms.factories import ChannelPageFactory, make_article, publish

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIMPLIFIED_TITLE = "海外联络站共话侨乡新发展"
TRADITIONAL_TITLE = "海外聯絡站共話僑鄉新發展"
TRADITIONAL_SUMMARY = "僑音融媒體中心記者從米蘭發回報道，海外僑胞與家鄉親人共敘鄉情。"


@pytest.fixture
def browser(monkeypatch):
    """Headless Chromium. Request it after the fixtures that write content: a database
    connection opened while Playwright's loop runs is never closed by pytest-django, which
    then cannot drop the test database."""
    # Playwright's sync API runs an event loop in this thread; Django refuses database calls
    # from a thread with a running loop unless told they are safe (they are: it is not async).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def screenshots(request):
    folder = request.config.rootpath / "test-results" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def article_in_two_scripts(home):
    """A published zh-hans article and its published zh-hant translation."""
    channel = ChannelPageFactory(parent=home, title="侨界动态", slug="community")
    article = make_article(
        channel,
        title=SIMPLIFIED_TITLE,
        slug="stations-talk-hometown",
        summary="侨音融媒体中心记者从米兰发回报道，海外侨胞与家乡亲人共叙乡情。",
        is_headline=True,
    )
    translation = article.copy_for_translation(
        Locale.objects.get(language_code="zh-hant"), copy_parents=True
    )
    translation.title = TRADITIONAL_TITLE
    translation.summary = TRADITIONAL_SUMMARY
    publish(translation)
    return article


def platform_fonts(page, selector):
    """The fonts Chromium really drew the element's text with (DevTools protocol).

    document.fonts.check() answers true for any font name it does not manage, so only the
    renderer can tell a real CJK font from tofu boxes.
    """
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    document = cdp.send("DOM.getDocument", {"depth": -1})
    root = document["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})
    assert node["nodeId"], f"nothing matches {selector}"
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]


@pytest.fixture
def site_origin(live_server, settings):
    """The live server is the public origin that absolute links (switcher, canonical) use."""
    settings.SITE_BASE_URL = live_server.url
    return live_server.url


def test_reader_opens_an_article_and_reads_it_in_traditional_chinese(
    site_origin, article_in_two_scripts, browser, screenshots
):
    # Given a reader whose browser prefers Simplified Chinese
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()

    # When they open the site, land on the Simplified edition and follow the headline
    page.goto(f"{site_origin}/")
    expect(page).to_have_url(f"{site_origin}/zh-hans/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh-Hans$", re.I))
    page.screenshot(path=screenshots / "1-home.png", full_page=True)
    page.get_by_role("link", name=SIMPLIFIED_TITLE, exact=True).first.click()

    # Then the article opens in Simplified Chinese
    expect(page).to_have_url(re.compile(r"/zh-hans/community/stations-talk-hometown/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(SIMPLIFIED_TITLE)
    page.screenshot(path=screenshots / "2-article-zh-hans.png", full_page=True)

    # When they choose 繁體中文 in the language switcher
    switcher = page.get_by_role("navigation").filter(has=page.locator("a[hreflang]"))
    switcher.get_by_role("link", name="繁體中文", exact=True).click()

    # Then the same article shows in Traditional characters, marked as zh-Hant
    expect(page).to_have_url(re.compile(r"/zh-hant/.+/stations-talk-hometown/$"))
    expect(heading).to_have_text(TRADITIONAL_TITLE)
    expect(page.get_by_text(TRADITIONAL_SUMMARY)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^zh-Hant$", re.I))
    page.screenshot(path=screenshots / "3-article-zh-hant.png", full_page=True)

    # And every character of the title is drawn with an installed CJK font (no tofu)
    fonts = platform_fonts(page, "h1")
    assert fonts and all("CJK" in font["familyName"] for font in fonts), fonts
    assert sum(font["glyphCount"] for font in fonts) == len(TRADITIONAL_TITLE)
    context.close()
