"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1).

Written by hand: the format is a small JSON document and no maintained Django library
produces version 1.1 with attachments and WebSub hubs.
"""

import json

from config.links import absolute_url
from media.payload import media_enclosures

from .content import article_html, cover_enclosure, websub_hub_url

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
CONTENT_TYPE = "application/feed+json; charset=utf-8"


def build_json_feed(source):
    feed = {
        "version": JSON_FEED_VERSION,
        "title": source.title,
        "home_page_url": source.link,
        "feed_url": source.feed_url("json"),
        "description": source.description,
        "language": source.language,
        "items": [_item(article) for article in source.articles],
    }
    hub = websub_hub_url()
    if hub:
        feed["hubs"] = [{"type": "WebSub", "url": hub}]
    return feed


def _item(article):
    item = {
        "id": article.uri,
        "url": absolute_url(article.get_url()),
        "title": article.title,
        "content_html": article_html(article),
        "summary": article.summary or article.subtitle or article.title,
        "date_published": article.publication_date.isoformat(),
        "date_modified": article.last_published_at.isoformat(),
        "language": article.locale.language_code,
    }
    authors = [{"name": author.name} for author in article.byline]
    if authors:
        item["authors"] = authors
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        item["tags"] = tags
    cover = cover_enclosure(article)
    if cover:
        item["image"] = cover.url
        item["attachments"] = [
            {"url": cover.url, "mime_type": cover.mime_type, "size_in_bytes": cover.length}
        ]
    # Video and audio of the body (media/payload.py) are attachments too.
    for url, length, mime_type in media_enclosures(article):
        item.setdefault("attachments", []).append(
            {"url": url, "mime_type": mime_type, "size_in_bytes": length}
        )
    return item


def render_json_feed(source):
    return json.dumps(build_json_feed(source), ensure_ascii=False, indent=1).encode()
