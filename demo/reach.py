"""A plausible month of reach for the demo, so the 传播效果 report is not empty.

Written straight into the daily rollups (the beacon's output), with a fixed seed: readers
mostly in the Chinese editions, from the countries of the overseas-Chinese communities the
stations serve, arriving by WeChat, search and the station sites; stations report their
WeChat and print reach. Idempotent: a second run adds nothing.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from reach.models import ArticleDay, ArticleDayBreakdown, Dimension, PullDay, StationReport
from stations.models import LiaisonStation

DAYS = 30
COUNTRIES = {
    "CN": 30, "IT": 14, "US": 12, "ES": 7, "FR": 6, "DE": 5, "BR": 4, "PT": 3, "GB": 3,
    "AU": 3, "CA": 3, "JP": 2, "": 2,
}  # fmt: skip
REFERRERS = {"wechat": 34, "direct": 22, "search": 18, "station": 10, "social": 8, "weibo": 5,
             "other": 3}  # fmt: skip
DOMAINS = {"search": "baidu.com", "social": "facebook.com", "weibo": "weibo.com",
           "other": "news.example.org"}  # fmt: skip
DEVICES = {"mobile": 68, "desktop": 26, "tablet": 6}


def split(total, weights, rng):
    """`total` spread over the weights' keys, at random but in proportion."""
    keys = list(weights)
    counts = dict.fromkeys(keys, 0)
    for key in rng.choices(keys, weights=[weights[k] for k in keys], k=total):
        counts[key] += 1
    return {key: count for key, count in counts.items() if count}


def seed_reach(pages, rng_seed=17):
    """Rollups for the last DAYS days of every live demo article; returns rows created."""
    seeded = set(ArticleDay.objects.filter(page__in=pages).values_list("page_id", flat=True))
    pages = [page for page in pages if page.pk not in seeded]
    if not pages:
        return 0
    rng = random.Random(rng_seed)  # noqa: S311 - demo figures, not secrets
    today = timezone.localdate()
    stations = list(LiaisonStation.objects.order_by("name"))
    station_domains = [s.website.split("//")[-1].strip("/").removeprefix("www.") for s in stations]
    days, breakdown, reports = [], [], []
    for rank, page in enumerate(pages):
        published = timezone.localdate(page.first_published_at or timezone.now())
        popularity = max(8, 400 - rank * 9)
        for offset in range(DAYS):
            day = today - timedelta(days=offset)
            if day < published - timedelta(days=DAYS):
                continue
            views = int(popularity * rng.uniform(0.3, 1.2) / (1 + offset / 6))
            if views < 1:
                continue
            visitors = max(1, int(views * rng.uniform(0.6, 0.85)))
            language = page.locale.language_code
            days.append(
                ArticleDay(page=page, day=day, language=language, views=views, visitors=visitors)
            )
            for dimension, weights in (
                (Dimension.COUNTRY, COUNTRIES),
                (Dimension.REFERRER, REFERRERS),
                (Dimension.DEVICE, DEVICES),
            ):
                for value, count in split(views, weights, rng).items():
                    breakdown.append(
                        ArticleDayBreakdown(
                            page=page,
                            day=day,
                            dimension=dimension,
                            value=value,
                            views=count,
                            visitors=max(1, int(count * visitors / views)),
                        )
                    )
                    if dimension == Dimension.REFERRER and (value in DOMAINS or value == "station"):
                        domain = DOMAINS.get(value) or rng.choice(
                            station_domains or ["example.org"]
                        )
                        breakdown.append(
                            ArticleDayBreakdown(
                                page=page,
                                day=day,
                                dimension=Dimension.DOMAIN,
                                value=f"{value}/{domain}",
                                views=count,
                                visitors=max(1, int(count * visitors / views)),
                            )
                        )
        if page.locale.language_code == "zh-hans" and stations and page.uri:
            for station in rng.sample(stations, k=min(len(stations), 3 + rank % 5)):
                day = today - timedelta(days=rng.randrange(0, 7))
                for channel in ("wechat", "site") if rank % 2 else ("wechat", "print"):
                    reports.append(
                        StationReport(
                            station=station,
                            uri=page.uri,
                            page=page,
                            day=day,
                            channel=channel,
                            views=rng.randrange(200, 6000),
                            shares=rng.randrange(5, 300),
                            as_of=timezone.now(),
                        )
                    )
    pulls = [
        PullDay(
            day=today - timedelta(days=offset),
            source=f"feed:/zh-hans/feeds/{name}",
            requests=rng.randrange(200, 1500),
        )
        for offset in range(DAYS)
        for name in ("rss.xml", "atom.xml", "feed.json")
    ]
    with transaction.atomic():
        ArticleDay.objects.bulk_create(days, batch_size=1000)
        ArticleDayBreakdown.objects.bulk_create(breakdown, batch_size=1000)
        StationReport.objects.bulk_create(reports, batch_size=1000, ignore_conflicts=True)
        PullDay.objects.bulk_create(pulls, batch_size=1000, ignore_conflicts=True)
    return len(days)
