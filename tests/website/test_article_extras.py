"""Around the story on an article page: its 责任编辑, share actions that load nothing from
third parties, the footer's about / contact / copyright links; 最新 vs 阅读排行 on the home."""

import re
from datetime import timedelta
from urllib.parse import quote

from django.utils import timezone

from wagtail.models import Locale

import pytest

from cms.models import ArticleReads, StandardPage
from tests.cms.admin_forms import chief_editor
from tests.cms.factories import ArticlePageFactory, make_article, publish
from tests.translations.conftest import (  # noqa: F401 - a fixture
    channel_with,
    publish_article,
    run_tasks_inline,
)

from .conftest import translate

pytestmark = pytest.mark.django_db


def between(html, start, end):
    return html.split(start, 1)[1].split(end, 1)[0]


def test_article_names_the_editor_who_published_it(client, home, run_tasks_inline):  # noqa: F811
    # Given a chief editor (display name 王志华) publishes an article whose channel makes
    # its zh-hant edition automatically
    chief = chief_editor()
    chief.display_name = "王志华"
    chief.save()
    channel = channel_with(home, traditional_edition="publish")
    with run_tasks_inline(execute=True):
        article = publish(ArticlePageFactory(parent=channel, title="侨乡新闻"), user=chief)

    # Then the article shows them as 责任编辑, and so does its machine-made zh-hant edition
    html = client.get(article.url).content.decode()
    assert re.search(r"责任编辑：\s*<span>王志华</span>", html)
    edition = article.get_translation(Locale.objects.get(language_code="zh-hant"))
    assert re.search(r"責任編輯：\s*<span>王志華</span>", client.get(edition.url).content.decode())


def test_article_without_a_human_publisher_names_no_editor(client, channel):
    html = client.get(make_article(channel, title="自动发布").url).content.decode()
    assert "责任编辑" not in html


def test_share_actions_are_plain_links_and_a_server_drawn_qr_code(client, channel):
    article = make_article(channel, title="海外侨胞共叙乡情")
    html = client.get(article.url).content.decode()
    url = "http://testserver" + article.url
    share = between(html, 'class="share"', "</section>")

    # Then each service is a plain link carrying the article's URL
    for service in (
        "service.weibo.com/share",
        "x.com/intent/post",
        "facebook.com/sharer",
        "wa.me/",
        "mailto:",
    ):
        link = re.search(rf'href="([^"]*{re.escape(service)}[^"]*)"', share)
        assert link, service
        assert quote(url, safe="") in link.group(1).replace("&amp;", "&"), service
    # And the WeChat QR code is an SVG drawn by the server, with the copy-link control
    assert "<svg" in share and "<title>海外侨胞共叙乡情</title>" in share
    assert f'data-copy-link="{url}"' in share
    # And every script the page loads is the site's own
    sources = re.findall(r'<script[^>]+src="([^"]+)"', html)
    assert sources and all(src.startswith("/static/") for src in sources)


def test_footer_links_the_editions_about_contact_and_copyright_pages(client, newsroom, channel):
    # Given the fixed pages in Chinese, and About in English
    home = newsroom["zh-hans"]
    pages = {}
    for slug, title in (("copyright", "版权声明"), ("about", "关于我们"), ("contact", "联系我们")):
        pages[slug] = publish(home.add_child(instance=StandardPage(title=title, slug=slug)))
    translate(pages["about"], "en", title="About us")
    article = make_article(channel, title="侨乡新闻")
    translate(article, "en", title="Home-town news")

    # Then the Chinese footer links all three, in order, and the English one its own About
    chinese = between(client.get(article.url).content.decode(), "site-footer__pages", "</nav>")
    assert re.findall(r">([^<]+)</a>", chinese) == ["关于我们", "联系我们", "版权声明"]
    english = client.get("/en/").content.decode()
    assert re.findall(r">([^<]+)</a>", between(english, "site-footer__pages", "</nav>")) == [
        "About us"
    ]


def test_most_read_follows_the_reads_not_the_publication_order(client, home, channel):
    # Given three articles, the oldest read most and the newest least
    now = timezone.now()
    titles = ["旧闻", "中间", "新闻"]
    articles = []
    for age, title in zip((3, 2, 1), titles, strict=True):
        article = make_article(channel, title=title, slug=f"a{age}")
        article.date_published = now - timedelta(days=age)
        articles.append(publish(article))
    for article, reads in zip(articles, (50, 20, 5), strict=True):
        ArticleReads.objects.create(page=article, count=reads)

    # When a reader opens the Chinese home
    html = client.get(home.url).content.decode()

    # Then 最新 lists the newest first and 阅读排行 the most read first
    latest = re.findall(r">([^<]+)</a>", between(html, 'id="latest-heading"', "</ol>"))
    most_read = re.findall(r">([^<]+)</a>", between(html, 'id="most-read-heading"', "</ol>"))
    assert latest == ["新闻", "中间", "旧闻"]
    assert most_read == ["旧闻", "中间", "新闻"]
