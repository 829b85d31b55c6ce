"""Factories for the newsroom's content. `publish()` goes through revisions, as the admin does,
so every publish signal (cache, search, stations) fires."""

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from cms.models import ArticlePage, Author, ChannelPage, Country, Source, TopicPage
from media.models import NewsImage


class NewsImageFactory(wagtail_factories.ImageFactory):
    caption = factory.Sequence(lambda n: f"图片说明 {n}")
    credit = "侨音融媒体中心"
    alt_text = factory.Sequence(lambda n: f"新闻图片 {n}")

    class Meta:
        model = NewsImage


class CountryFactory(DjangoModelFactory):
    name = "意大利"
    code = "IT"

    class Meta:
        model = Country


class SourceFactory(DjangoModelFactory):
    name = "侨音融媒体中心"

    class Meta:
        model = Source


class AuthorFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"记者{n}")
    slug = factory.Sequence(lambda n: f"reporter-{n}")
    role = Author.Role.REPORTER

    class Meta:
        model = Author


class ChannelPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"channel-{n}")

    class Meta:
        model = ChannelPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"侨界新闻第{n}篇")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "海外侨胞共叙乡情。"
    live = False

    class Meta:
        model = ArticlePage


class TopicPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"专题{n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = TopicPage


def publish(page, user=None):
    """Publish the page's current state through a revision, as the admin's Publish does."""
    revision = page.save_revision(user=user)
    revision.publish(user=user)
    page.refresh_from_db()
    return page


def make_article(channel, **fields):
    """A published article under `channel`."""
    return publish(ArticlePageFactory(parent=channel, **fields))
