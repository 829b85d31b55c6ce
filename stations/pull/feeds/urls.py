"""Included inside i18n_patterns: the language prefix picks the edition.

/<lang>/feeds/{rss.xml,atom.xml,feed.json}                  the whole language edition
/<lang>/<channel-slug>/feeds/{rss.xml,atom.xml,feed.json}   one channel of it
"""

from django.urls import path

from . import views

app_name = "feeds"

FILES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}
VIEWS = {"rss": views.rss_feed, "atom": views.atom_feed, "json": views.json_feed}

urlpatterns = [path(f"feeds/{FILES[fmt]}", VIEWS[fmt], name=f"edition-{fmt}") for fmt in FILES] + [
    path(f"<str:channel_slug>/feeds/{FILES[fmt]}", VIEWS[fmt], name=f"channel-{fmt}")
    for fmt in FILES
]
