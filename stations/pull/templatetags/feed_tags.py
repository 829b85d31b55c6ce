"""`{% feed_links %}`: feed autodiscovery <link>s for the page being shown."""

import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from wagtail.models import Locale

from cms.models import ArticlePage, ChannelPage
from config.links import absolute_url

from ..feeds.content import feed_path

register = template.Library()

FEED_TYPES = (
    ("rss", "application/rss+xml", "RSS"),
    ("atom", "application/atom+xml", "Atom"),
    ("json", "application/feed+json", "JSON Feed"),
)


def _channel_of(page):
    if isinstance(page, ChannelPage):
        return page
    if isinstance(page, ArticlePage):
        return page.channel
    return None


@register.simple_tag(takes_context=True)
def feed_links(context):
    page = context.get("page")
    language = page.locale.language_code if page is not None else None
    if language is None:
        language = Locale.get_active().language_code
    channel = _channel_of(getattr(page, "specific", page)) if page is not None else None
    return _links_html(
        language,
        channel.slug if channel is not None else None,
        channel.title if channel is not None else None,
        # Everything else the HTML depends on: the reader's language (the titles), the
        # URL prefix the site is mounted under, and the site's base URL.
        translation.get_language(),
        get_script_prefix(),
        settings.SITE_BASE_URL,
    )


@functools.lru_cache(maxsize=1024)
def _links_html(language, channel_slug, channel_title, _ui_language, _prefix, _base_url):
    """The links for one edition and channel, worked out once per process: every page
    shows them, and each one costs six URL reversals under a language override. The
    arguments are everything the result depends on (URL patterns do not change while the
    process runs), so a renamed channel or another base URL is a new entry, not a stale
    one; a bounded cache, since channel titles come from editors."""
    links = [
        (mime, f"{label} · {_('All news')}", absolute_url(feed_path(fmt, language=language)))
        for fmt, mime, label in FEED_TYPES
    ]
    if channel_slug is not None:
        links += [
            (
                mime,
                f"{label} · {channel_title}",
                absolute_url(feed_path(fmt, channel_slug, language)),
            )
            for fmt, mime, label in FEED_TYPES
        ]
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        links,
    ) or format_html("")
