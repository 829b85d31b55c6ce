"""Feed views: conditional GET first (ETag / Last-Modified → 304), then a body cached by ETag."""

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date

from stations.signals import content_pulled

from .content import FeedSource
from .jsonfeed import CONTENT_TYPE as JSON_FEED_CONTENT_TYPE
from .jsonfeed import render_json_feed
from .syndication import ArticleFeed, AtomArticleFeed

# Stations poll often; a short max-age lets proxies absorb bursts between publishes.
FEED_MAX_AGE = 60
BODY_CACHE_SECONDS = 3600

RENDERERS = {"rss": ArticleFeed(), "atom": AtomArticleFeed()}


def _render(fmt, request, source):
    if fmt == "json":
        return JSON_FEED_CONTENT_TYPE, render_json_feed(source)
    request.feed_source = source
    response = RENDERERS[fmt](request)
    return response["Content-Type"], response.content


def feed_view(fmt):
    def view(request, channel_slug=None):
        source = FeedSource(channel_slug)
        etag = quote_etag(source.etag(fmt))
        last_modified = source.last_modified()
        timestamp = int(last_modified.timestamp()) if last_modified else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
        if not_modified is None:
            cache_key = f"qiaoyin:feed:{etag}"
            cached = cache.get(cache_key)
            if cached is None:
                cached = _render(fmt, request, source)
                cache.set(cache_key, cached, BODY_CACHE_SECONDS)
            content_type, body = cached
            response = HttpResponse(body, content_type=content_type)
        else:
            response = not_modified
        response["ETag"] = etag
        if timestamp is not None:
            response["Last-Modified"] = http_date(timestamp)
        response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
        content_pulled.send(sender=view, feed=request.path)
        return response

    view.__name__ = f"{fmt}_feed"
    view.answers = answers
    return view


def answers(channel_slug=None):
    """Whether this feed exists in the active language (LocaleMiddleware asks before it
    redirects an unprefixed /<slug>/feeds/… here, so that a mistyped one stays a 404)."""
    try:
        FeedSource(channel_slug)
    except Http404:
        return False
    return True


rss_feed = feed_view("rss")
atom_feed = feed_view("atom")
json_feed = feed_view("json")
