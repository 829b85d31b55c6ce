"""In a real browser: the 传播效果 report's charts read in the admin's light and dark themes
(the user's theme preference, and the "system" theme following the browser's scheme).

What is measured is what a reader of the chart sees, computed in the page: the colours the
browser resolved for the chart text and bars, blended over the background really behind the
chart, and their WCAG contrast ratio (text ≥ 4.5:1, bars ≥ 3:1 as graphical objects).
"""

from datetime import timedelta

from django.db import connections
from django.utils import timezone

from wagtail.users.models import UserProfile

import pytest

from reach.models import ArticleDay, ArticleDayBreakdown, Dimension
from tests.cms.factories import make_article

from .test_editor_journey import chief, log_in, newsroom_channel  # noqa: F401 (fixtures)
from .test_reader_journey import browser, screenshots, site_origin  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT_CONTRAST = 4.5  # WCAG 1.4.3, normal text
BAR_CONTRAST = 3.0  # WCAG 1.4.11, graphical objects

# Every colour goes through a canvas, so whatever syntax the browser resolved it to (rgb(),
# color(srgb …), oklch()) comes back as sRGB bytes.
COLOUR_HELPERS = """
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const pen = canvas.getContext("2d", { willReadFrequently: true });
  const rgba = (colour) => {
    pen.clearRect(0, 0, 1, 1);
    pen.fillStyle = "#000";
    pen.fillStyle = colour;
    pen.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = pen.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, bottom, alpha) =>
    top.slice(0, 3).map((c, i) => c * alpha + bottom[i] * (1 - alpha));
  const backdrop = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) return colour.slice(0, 3);
    }
    return [255, 255, 255];
  };
"""
CHART_COLOURS = (
    "() => {"
    + COLOUR_HELPERS
    + """
  return [...document.querySelectorAll("svg.reach-chart")].map((svg) => {
    const behind = backdrop(svg);
    const painted = (element) => {
      const style = getComputedStyle(element);
      const fill = rgba(style.fill);
      return over(fill, behind, fill[3] * Number(style.opacity) * Number(style.fillOpacity));
    };
    const visible = (element) => {
      const box = element.getBoundingClientRect();
      return box.width * box.height > 0;
    };
    return {
      label: svg.getAttribute("aria-label"),
      background: behind,
      texts: [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim()).map(painted),
      bars: [...svg.querySelectorAll("rect")].filter(visible).map(painted),
    };
  });
}
"""
)
# The reach panel's table text (CSS colour, not SVG fill) and what is behind it.
PANEL_COLOURS = (
    "() => {"
    + COLOUR_HELPERS
    + """
  return [...document.querySelectorAll("[data-testid='reach-panel'] td")].map((cell) => ({
    text: rgba(getComputedStyle(cell).color).slice(0, 3),
    background: backdrop(cell),
  }));
}
"""
)


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value) for value in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, other):
    lighter, darker = sorted([luminance(one), luminance(other)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.fixture
def month_of_reach(newsroom_channel):  # noqa: F811
    """Three articles read over the last ten days, from four countries."""
    today = timezone.localdate()
    articles = [
        make_article(newsroom_channel, title=title)
        for title in ["米兰侨团举办中秋联欢会", "海外华文教育研讨会开幕", "侨乡非遗走进罗马"]
    ]
    for rank, article in enumerate(articles):
        for offset in range(10):
            day = today - timedelta(days=offset)
            views = (300 - 80 * rank) + 17 * offset
            ArticleDay.objects.create(
                page=article, day=day, language="zh-hans", views=views, visitors=views * 2 // 3
            )
            for country, share in [("IT", 5), ("CN", 3), ("US", 2), ("", 1)]:
                ArticleDayBreakdown.objects.create(
                    page=article,
                    day=day,
                    dimension=Dimension.COUNTRY,
                    value=country,
                    views=views * share // 11,
                    visitors=views * share // 20,
                )
    return articles


@pytest.mark.parametrize(
    ("theme", "scheme"),
    [("light", "light"), ("dark", "dark"), ("system", "dark"), ("system", "light")],
)
def test_the_reach_charts_read_in_light_and_dark_themes(
    site_origin,  # noqa: F811
    month_of_reach,  # before chief: it rebuilds the newsroom's groups the flush removed
    chief,  # noqa: F811
    browser,  # noqa: F811
    screenshots,  # noqa: F811
    theme,
    scheme,
):
    # Given a chief editor whose admin theme is light, dark, or the system's
    UserProfile.objects.update_or_create(user=chief, defaults={"theme": theme})
    context = browser.new_context(
        locale="zh-CN", color_scheme=scheme, viewport={"width": 1280, "height": 1000}
    )
    page = context.new_page()
    log_in(page, site_origin, chief)

    # When they open the 传播效果 report for the last 30 days
    page.goto(f"{site_origin}/admin/reach/")
    page.wait_for_selector("[data-testid='daily-chart']")
    charts = page.evaluate(CHART_COLOURS)
    page.screenshot(path=screenshots / f"reach-report-{theme}-{scheme}.png", full_page=True)

    # Then the page really is in that scheme, and every chart's text and bars stand out
    # from what is behind them
    dark = scheme == "dark"
    assert charts, "the report draws no chart"
    for chart in charts:
        background = luminance(chart["background"])
        assert (background < 0.1) if dark else (background > 0.8), (chart["label"], background)
        assert chart["texts"] and chart["bars"], chart["label"]
        for colour in chart["texts"]:
            assert contrast(colour, chart["background"]) >= TEXT_CONTRAST, (chart, colour)
        for colour in chart["bars"]:
            assert contrast(colour, chart["background"]) >= BAR_CONTRAST, (chart, colour)

    # And the article's reach panel, in the same theme, shows its figures as readably
    page.goto(f"{site_origin}/admin/pages/{month_of_reach[0].pk}/edit/")
    panel = page.locator("[data-testid='reach-panel']")
    panel.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / f"reach-panel-{theme}-{scheme}.png")
    cells = page.evaluate(PANEL_COLOURS)
    assert cells, "the reach panel shows no figures"
    for cell in cells:
        assert contrast(cell["text"], cell["background"]) >= TEXT_CONTRAST, cell
    context.close()
    connections.close_all()
