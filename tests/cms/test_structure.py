from django.conf import settings

from wagtail.models import Locale, Site

import pytest

from cms.models import ArticlePage, ChannelPage, HomePage
from cms.newsroom import setup_newsroom

from .factories import ChannelPageFactory, make_article

pytestmark = pytest.mark.django_db


def test_every_language_edition_has_a_live_home_page(newsroom):
    codes = {code for code, _ in settings.LANGUAGES}
    assert set(Locale.objects.values_list("language_code", flat=True)) == codes
    for code, home in newsroom.items():
        assert home.live
        assert home.url == f"/{code}/"
    assert Site.objects.get(is_default_site=True).root_page.specific == newsroom["zh-hans"]


def test_setup_is_idempotent(newsroom):
    setup_newsroom()
    assert HomePage.objects.count() == len(settings.LANGUAGES)


def test_article_gets_a_stable_uri_and_publication_date(home):
    channel = ChannelPageFactory(parent=home, title="要闻", slug="yaowen")
    article = make_article(channel, title="浙江侨联发布年度工作报告")
    assert article.uri.startswith("urn:qiaoyin:article:")
    assert article.uri.endswith(":zh-hans")
    assert article.publication_date == article.first_published_at
    first_uri = article.uri
    article.title = "浙江侨联发布年度工作报告（更新）"
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.uri == first_uri


def test_articles_only_live_under_channels(home):
    channel = ChannelPageFactory(parent=home)
    assert ArticlePage.can_exist_under(channel)
    assert not ArticlePage.can_exist_under(home)
    assert not ChannelPage.can_exist_under(channel)
