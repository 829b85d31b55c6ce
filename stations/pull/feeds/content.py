"""What every feed format shares: which articles, their full HTML and their cover enclosure."""

import hashlib
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from wagtail.models import Locale, PageLogEntry

from cms.models import ArticlePage, ChannelPage, HomePage
from config.links import absolute_html, absolute_url

FEED_ITEMS = 30
COVER_RENDITION = "width-1200"
# Actions after which an article may have left a feed without any live page changing.
REMOVAL_ACTIONS = ("wagtail.unpublish", "wagtail.delete", "wagtail.move")
FORMATS = ("rss", "atom", "json")


def article_html(article):
    """Feed readers show the HTML away from our site: every link made absolute."""
    return absolute_html(str(article.body))


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int
    mime_type: str


def cover_enclosure(article):
    if article.cover_image is None:
        return None
    rendition = article.cover_image.get_rendition(COVER_RENDITION)
    mime_type = mimetypes.guess_type(rendition.file.name)[0] or "application/octet-stream"
    try:
        length = rendition.file.size
    except OSError:  # a missing file must not take the whole feed down
        length = 0
    return Enclosure(absolute_url(rendition.url), length, mime_type)


class FeedSource:
    """The articles of one language edition, or of one channel in it.

    The language comes from the URL prefix (/zh-hans/feeds/…), activated by i18n_patterns.
    """

    def __init__(self, channel_slug=None):
        self.locale = self._current_locale()
        self.home = HomePage.objects.filter(locale=self.locale).first()
        if self.home is None:
            raise Http404("No edition in this language")
        self.channel = None
        if channel_slug is not None:
            self.channel = get_object_or_404(
                ChannelPage.objects.child_of(self.home).live().public(), slug=channel_slug
            )

    @staticmethod
    def _current_locale():
        try:
            return Locale.objects.get(language_code=translation.get_language())
        except Locale.DoesNotExist as error:
            raise Http404("Unknown language") from error

    @property
    def page(self):
        return self.channel or self.home

    @property
    def title(self):
        if self.channel:
            return f"{self.channel.title} · {self.home.title}"
        return self.home.title

    @property
    def description(self):
        return (self.channel and self.channel.intro) or self.home.tagline or self.home.title

    @property
    def link(self):
        return absolute_url(self.page.get_url())

    @property
    def language(self):
        return self.locale.language_code

    def feed_url(self, fmt):
        return absolute_url(feed_path(fmt, self.channel.slug if self.channel else None))

    @cached_property
    def articles(self):
        articles = (
            ArticlePage.objects.live()
            .public()
            .filter(locale=self.locale)
            .select_related("cover_image", "locale")
            .prefetch_related("tags", "article_authors__author")
            .annotate(published=Coalesce("date_published", "first_published_at"))
            .order_by("-published", "-pk")
        )
        if self.channel:
            articles = articles.child_of(self.channel)
        return list(articles[:FEED_ITEMS])

    def last_modified(self):
        """The newest change that can alter this feed, additions and removals alike."""
        candidates = [article.last_published_at for article in self.articles]
        candidates.append(self.page.last_published_at)
        candidates.append(_last_article_removal())
        return max((moment for moment in candidates if moment), default=None)

    def etag(self, fmt):
        state = [fmt, self.language, str(self.page.pk), str(self.page.last_published_at)]
        state += [f"{article.pk}@{article.last_published_at}" for article in self.articles]
        return hashlib.sha256("|".join(state).encode()).hexdigest()[:32]


def _last_article_removal():
    content_type = ContentType.objects.get_for_model(ArticlePage)
    return PageLogEntry.objects.filter(
        content_type=content_type, action__in=REMOVAL_ACTIONS
    ).aggregate(latest=Max("timestamp"))["latest"]


def feed_path(fmt, channel_slug=None, language=None):
    """The feed's path in a language (the active one by default)."""
    with translation.override(language or translation.get_language()):
        if channel_slug:
            return reverse(f"feeds:channel-{fmt}", kwargs={"channel_slug": channel_slug})
        return reverse(f"feeds:edition-{fmt}")


def websub_hub_url():
    return getattr(settings, "WEBSUB_HUB_URL", "")
