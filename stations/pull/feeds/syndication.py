"""RSS 2.0 and Atom 1.0 through Django's syndication framework, with full content.

Django's generators write the summary only; the subclasses add the full article
(content:encoded in RSS, <content> in Atom) and the WebSub hub link.
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from config.links import absolute_url
from media.payload import media_enclosures

from .content import FeedSource, article_html, cover_enclosure, websub_hub_url

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
ATOM_NS = "http://www.w3.org/2005/Atom"


class QiaoyinRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub_url"]})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class QiaoyinAtomFeed(Atom1Feed):
    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub_url"]})

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class ArticleFeed(Feed):
    """One language edition or one channel; `fmt` picks the generator."""

    fmt = "rss"
    feed_type = QiaoyinRssFeed

    def get_object(self, request, channel_slug=None):
        # The view has already built the source to answer conditional requests.
        return getattr(request, "feed_source", None) or FeedSource(channel_slug)

    def title(self, source):
        return source.title

    def link(self, source):
        return source.link

    def feed_url(self, source):
        return source.feed_url(self.fmt)

    def description(self, source):
        return source.description

    def subtitle(self, source):
        return source.description

    def feed_extra_kwargs(self, source):
        return {"hub_url": websub_hub_url()}

    def items(self, source):
        return source.articles

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # RSS <description> and Atom <summary type="html"> hold HTML, and the summary is plain
        # text: escaped here as HTML once (the XML writer escapes the result for XML), so
        # "<script>" in a summary reaches feed readers as the text it is, never as markup.
        return escape(article.summary or article.subtitle or article.title)

    def item_link(self, article):
        return absolute_url(article.get_url())

    def item_guid(self, article):
        return article.uri

    item_guid_is_permalink = False

    def item_pubdate(self, article):
        return article.publication_date

    def item_updateddate(self, article):
        return article.last_published_at

    def item_author_name(self, article):
        return "、".join(author.name for author in article.byline) or None

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]

    def item_enclosures(self, article):
        # Video/audio first (media/payload.py), then the cover. RSS 2.0 allows one enclosure
        # per item: the article's own video or audio when it has one, else its cover.
        enclosures = [
            Enclosure(url, str(length), mime_type)
            for url, length, mime_type in media_enclosures(article)
        ]
        cover = cover_enclosure(article)
        if cover is not None:
            enclosures.append(Enclosure(cover.url, str(cover.length), cover.mime_type))
        return enclosures[:1] if self.fmt == "rss" else enclosures

    def item_extra_kwargs(self, article):
        return {"content_html": article_html(article)}


class AtomArticleFeed(ArticleFeed):
    fmt = "atom"
    feed_type = QiaoyinAtomFeed
