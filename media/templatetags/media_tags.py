"""Template tags for pictures, galleries, video/audio and embeds on the public site.

{% load media_tags %}
{% news_picture image "article" %}                      lazy, below the fold
{% news_picture image "cover" lazy=False alt=caption %}  above the fold
{% news_gallery value %}   {% news_media value %}   {% click_to_load_embed value %}
"""

import functools
import re

from django import template

from wagtail.embeds.embeds import get_embed
from wagtail.embeds.exceptions import EmbedException
from wagtail.images.models import Filter, Picture, SourceImageIOError
from wagtail.images.shortcuts import get_renditions_or_not_found

from config.providers import SHARED_HTML, provided
from media.reader_text import reader_text
from media.renditions import RENDITION_SETS, filter_specs

register = template.Library()

# Privacy-enhanced YouTube player: no cookies until the reader plays the video.
_YOUTUBE_EMBED = re.compile(r"https://(?:www\.)?youtube\.com/embed/")
NOCOOKIE_EMBED = "https://www.youtube-nocookie.com/embed/"


@functools.cache
def set_filters(set_name):
    """A set's Wagtail Filters, built once per process: a Filter parses its spec on first
    use, and building twelve for every picture was half of news_picture's cost."""
    return tuple(Filter(spec) for spec in filter_specs(set_name))


@register.filter(name="reader_text")
def reader_text_filter(text, keep=False):
    """Library text (a photo's or a video's caption…) in the edition's script; `keep` for
    a credit, shown even where the edition cannot read it."""
    return reader_text(text, keep=bool(keep))


@register.simple_tag(takes_context=True)
def news_picture(context, image, set_name="article", alt=None, lazy=True, css_class=""):
    """A <picture> with AVIF/WebP sources and a JPEG <img> fallback, srcset and sizes."""
    if not image:
        return ""
    alt = image.reader_alt_text if alt in (None, "") else alt
    # The same photo shows on many pages (its article, cards, picks): its HTML is a shared
    # fragment (website/fragments.py provides the cache).
    return provided(SHARED_HTML)(
        ("picture", image.pk, set_name, alt, lazy, css_class),
        lambda: _picture_html(image, set_name, alt, lazy, css_class),
        context.get("request"),
    )


def _picture_html(image, set_name, alt, lazy, css_class):
    """(html, keep): not kept when the photo's file is missing and placeholders stand in."""
    filters = set_filters(set_name)
    try:
        renditions, complete = image.get_renditions(*filters), True
    except SourceImageIOError:
        renditions, complete = get_renditions_or_not_found(image, filters), False
    attrs = {"alt": alt, "sizes": RENDITION_SETS[set_name].sizes, "decoding": "async"}
    if lazy:
        attrs["loading"] = "lazy"
    else:
        attrs["fetchpriority"] = "high"
    if css_class:
        attrs["class"] = css_class
    return Picture(renditions, attrs).__html__(), complete


@register.inclusion_tag("media/gallery.html")
def news_gallery(value):
    """A gallery block as an accessible grid, or a carousel that is a list without JS."""
    items = [
        {
            "image": item["image"],
            "caption": item.get("caption") or item["image"].reader_caption,
            "credit": item.get("credit") or item["image"].reader_credit,
            "alt": item.get("alt_text") or item["image"].reader_alt_text,
        }
        for item in value["images"]
        if item.get("image")
    ]
    return {
        "title": value.get("title"),
        "layout": value.get("layout") or "grid",
        "items": items,
        "gallery_id": f"gallery-{id(value)}",
    }


@register.inclusion_tag("media/embed.html")
def click_to_load_embed(value):
    """An oEmbed player kept inert in a <template> until the reader asks for it."""
    embed_value = value.get("embed")
    context = {"url": getattr(embed_value, "url", ""), "caption": value.get("caption")}
    if not embed_value:
        return context
    try:
        embed = get_embed(embed_value.url, embed_value.max_width, embed_value.max_height)
    except EmbedException:
        return context  # the provider is unknown or down: readers get a plain link
    return {
        **context,
        "html": _YOUTUBE_EMBED.sub(NOCOOKIE_EMBED, embed_value.html),
        "provider": embed.provider_name,
        "title": embed.title,
    }


@register.filter
def duration(seconds):
    """Seconds → m:ss or h:mm:ss, as players show it."""
    seconds = int(round(float(seconds or 0)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.simple_tag
def poster_url(media_item, spec="width-1200|format-jpeg"):
    poster = getattr(media_item, "poster", None)
    if poster:
        return get_renditions_or_not_found(poster, [spec])[spec].url
    if media_item.thumbnail:
        return media_item.thumbnail.url
    return ""
