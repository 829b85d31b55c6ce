"""The search page on a phone: results first, filters folded (issue 15)."""

import pytest
from playwright.sync_api import expect

from search.documents import build_document
from search.engines import get_engine
from tests.cms.factories import ChannelPageFactory, CountryFactory, make_article
from tests.e2e.test_reader_journey import browser, screenshots  # noqa: F401 - fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
COUNTRIES = ["IT", "ES", "FR", "DE", "PT", "BR", "AR", "US", "CA", "GB", "NL", "AT"]


@pytest.fixture
def many_results(home):
    """Enough articles in enough channels and countries for a long list of filters."""
    articles = []
    for number, code in enumerate(COUNTRIES):
        channel = ChannelPageFactory(parent=home, title=f"栏目{number}", slug=f"channel-{number}")
        article = make_article(channel, title=f"海外侨胞新闻第{number}篇", summary="侨乡动态。")
        article.countries.add(CountryFactory(code=code, name=f"国家{code}", locale=home.locale))
        articles.append(article)
    get_engine().index([build_document(article) for article in articles])
    return articles


def test_on_a_phone_the_first_result_comes_before_the_filters(
    live_server,
    many_results,
    browser,  # noqa: F811 - fixtures
    screenshots,  # noqa: F811 - fixtures
):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/zh-hans/search/?q=海外侨胞")
    first_result = page.locator(".search-hit").first
    expect(first_result).to_be_visible()
    filters = page.locator("details.search-facets")
    # Folded: one line the reader opens, under the results
    expect(filters).not_to_have_attribute("open", "")
    assert first_result.bounding_box()["y"] < PHONE["height"]
    assert first_result.bounding_box()["y"] < filters.bounding_box()["y"]
    expect(page.locator(".search-facets .facet").first).to_be_hidden()
    page.screenshot(path=screenshots / "search-phone.png", full_page=True)
    # Opened, the filters narrow the search as before
    filters.locator("summary").click()
    channel_link = page.locator(".search-facets .facet a").first
    expect(channel_link).to_be_visible()
    channel_link.click()
    expect(page.locator(".search-hit")).to_have_count(1)
    context.close()


def test_on_a_desktop_the_filters_stand_open_beside_the_results(
    live_server,
    many_results,
    browser,  # noqa: F811 - fixtures
):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/zh-hans/search/?q=海外侨胞")
    expect(page.locator(".search-facets .facet").first).to_be_visible()
    hit = page.locator(".search-hit").first.bounding_box()
    facets = page.locator("details.search-facets").bounding_box()
    assert facets["x"] < hit["x"]  # the filters' column on the left
    context.close()
