"""Included inside i18n_patterns: the language prefix picks the edition.

/<lang>/feeds/{rss.xml,atom.xml,feed.json}                  the whole language edition
/<lang>/<channel-slug>/feeds/{rss.xml,atom.xml,feed.json}   one channel of it
"""

from django.urls import path, register_converter

from . import views

app_name = "feeds"


class ChannelSlugConverter:
    """Any page slug (Unicode slugs included) but no control characters: PostgreSQL refuses
    NUL in a query, and no slug holds one. Such a path is left to the page routes (a 404)."""

    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ChannelSlugConverter, "channel_slug")

FILES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}
VIEWS = {"rss": views.rss_feed, "atom": views.atom_feed, "json": views.json_feed}

urlpatterns = [path(f"feeds/{FILES[fmt]}", VIEWS[fmt], name=f"edition-{fmt}") for fmt in FILES] + [
    path(f"<channel_slug:channel_slug>/feeds/{FILES[fmt]}", VIEWS[fmt], name=f"channel-{fmt}")
    for fmt in FILES
]
