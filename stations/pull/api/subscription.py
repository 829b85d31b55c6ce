"""The articles a station may pull: its languages and its subscription filter.

A thin adapter over the push side's subscription fields (LiaisonStation.locales,
filter_channels, filter_topics, filter_countries). Empty filters mean everything in the
station's languages; channels, topics and countries match across translations (by
translation key), so choosing the Chinese channel also covers its English edition. As on
the push side (stations.outbox.station_matches), a subscription is a union of interests:
an article in any listed channel, or in any listed topic, or about any listed country.
"""

from functools import reduce
from operator import or_

from django.db.models import Q

from cms.models import ArticlePage, ChannelPage, TopicPage


def channel_paths(translation_keys):
    return list(
        ChannelPage.objects.filter(translation_key__in=translation_keys).values_list(
            "path", flat=True
        )
    )


def under_any(paths):
    """Pages below any of these tree paths (nothing when there are none)."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (Q(path__startswith=path, depth__gt=len(path) // 4) for path in paths))


def articles_in_topics(translation_keys):
    return TopicPage.objects.filter(translation_key__in=translation_keys).values_list(
        "topic_articles__article_id", flat=True
    )


def subscribed_articles(station):
    articles = ArticlePage.objects.live().public().filter(locale__language_code__in=station.locales)
    channel_keys = list(station.filter_channels.values_list("translation_key", flat=True))
    topic_keys = list(station.filter_topics.values_list("translation_key", flat=True))
    country_keys = list(station.filter_countries.values_list("translation_key", flat=True))
    if not (channel_keys or topic_keys or country_keys):
        return articles
    interests = Q(pk__in=[])
    if channel_keys:
        interests |= under_any(channel_paths(channel_keys))
    if topic_keys:
        interests |= Q(pk__in=articles_in_topics(topic_keys))
    if country_keys:
        interests |= Q(
            pk__in=ArticlePage.objects.filter(countries__translation_key__in=country_keys)
        )
    return articles.filter(interests)
