"""`{% feed_links %}`: feed autodiscovery <link>s for the page being shown."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from wagtail.models import Locale

from cms.models import ArticlePage, ChannelPage

from ..content import absolute_url, feed_path

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
    links = [
        (mime, f"{label} · {_('All news')}", absolute_url(feed_path(fmt, language=language)))
        for fmt, mime, label in FEED_TYPES
    ]
    channel = _channel_of(getattr(page, "specific", page)) if page is not None else None
    if channel is not None:
        links += [
            (
                mime,
                f"{label} · {channel.title}",
                absolute_url(feed_path(fmt, channel.slug, language)),
            )
            for fmt, mime, label in FEED_TYPES
        ]
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        links,
    ) or format_html("")
