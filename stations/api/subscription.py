"""The articles a station may pull: its languages and its subscription filter.

A thin adapter over the push side's subscription fields (LiaisonStation.locales,
filter_channels, filter_topics, filter_countries). Empty filters mean everything in the
station's languages; channels, topics and countries match across translations (by
translation key), so choosing the Chinese channel also covers its English edition. Each
non-empty filter narrows the set (channels AND topics AND countries).
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
    if channel_keys:
        articles = articles.filter(under_any(channel_paths(channel_keys)))
    topic_keys = list(station.filter_topics.values_list("translation_key", flat=True))
    if topic_keys:
        articles = articles.filter(pk__in=articles_in_topics(topic_keys))
    country_keys = list(station.filter_countries.values_list("translation_key", flat=True))
    if country_keys:
        articles = articles.filter(countries__translation_key__in=country_keys)
    return articles.distinct()
