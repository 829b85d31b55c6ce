"""The reach figures for a period: what the admin report, the article panel, reach_report and
the bench read. Each is one aggregate query on the daily rollups (no row per read exists)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import Length, Substr
from django.utils import timezone

from wagtail.models import Page

from cms.models import ArticleAuthor, ArticlePage, Country
from stations.models import Delivery, LiaisonStation

from .models import ArticleDay, ArticleDayBreakdown, Dimension, PullDay, StationReport

PAGE_PATH_STEP = 4  # treebeard's steplen: a page's parent path is its path less 4 characters


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def last_days(cls, days=30):
        end = timezone.localdate()
        return cls(end - timedelta(days=days - 1), end)

    @property
    def days(self):
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def rollups(self, model=ArticleDay):
        return model.objects.filter(day__gte=self.start, day__lte=self.end)


def sums():
    return {"views": Sum("views"), "visitors": Sum("visitors")}


def totals(period):
    own = period.rollups().aggregate(**sums(), articles=Count("page", distinct=True))
    reported = period.rollups(StationReport).aggregate(
        reported_views=Sum("views"), reported_shares=Sum("shares")
    )
    pulls = period.rollups(PullDay).aggregate(pulls=Sum("requests"))
    delivered = delivered_in(period).count()
    figures = {**own, **reported, **pulls, "delivered": delivered}
    return {name: value or 0 for name, value in figures.items()}


def daily(period):
    rows = {
        row["day"]: row for row in period.rollups().values("day").annotate(**sums()).order_by("day")
    }
    return [
        {
            "day": day,
            "views": rows.get(day, {}).get("views", 0),
            "visitors": rows.get(day, {}).get("visitors", 0),
        }
        for day in period.days
    ]


def top_articles(period, limit=20):
    """Summed on the rollup table alone (no join over the month's rows), titles for the top."""
    rows = list(
        period.rollups()
        .values("page_id", "language")
        .annotate(**sums())
        .order_by("-views", "page_id")[:limit]
    )
    titles = dict(
        ArticlePage.objects.filter(pk__in=[r["page_id"] for r in rows]).values_list("pk", "title")
    )
    return [{**row, "title": titles.get(row["page_id"], "")} for row in rows]


def by_language(period):
    return list(period.rollups().values("language").annotate(**sums()).order_by("-views"))


def by_dimension(period, dimension, limit=None):
    rows = (
        period.rollups(ArticleDayBreakdown)
        .filter(dimension=dimension)
        .values("value")
        .annotate(**sums())
        .order_by("-views", "value")
    )
    return list(rows[:limit] if limit else rows)


def country_names(codes, language=None):
    """{code: name} in the admin's language where the newsroom has the country, else the
    Chinese name, else the code itself."""
    language = language or settings.LANGUAGE_CODE
    names = {}
    for code, name, locale in Country.objects.filter(code__in=codes).values_list(
        "code", "name", "locale__language_code"
    ):
        if locale == language or code not in names:
            names[code] = name
    return names


def by_channel(period):
    """Per channel, its editions together (米兰's 要闻 and the English Top stories are one
    channel), named in the newsroom's own language."""
    rows = (
        period.rollups()
        .annotate(parent=Substr("page__path", 1, Length("page__path") - PAGE_PATH_STEP))
        .values("parent")
        .annotate(**sums())
    )
    rows = list(rows)
    editions = Page.objects.filter(path__in=[row["parent"] for row in rows])
    key_of = dict(editions.values_list("path", "translation_key"))
    names = _channel_names(set(key_of.values()))
    channels = {}
    for row in rows:
        key = key_of.get(row["parent"])
        channel = channels.setdefault(
            key, {"channel": names.get(key, "—"), "views": 0, "visitors": 0}
        )
        channel["views"] += row["views"] or 0
        channel["visitors"] += row["visitors"] or 0
    return sorted(channels.values(), key=lambda channel: -channel["views"])


def _channel_names(translation_keys):
    """{translation_key: title}, in the newsroom's language where that edition exists."""
    names = {}
    editions = Page.objects.filter(translation_key__in=translation_keys).values_list(
        "translation_key", "title", "locale__language_code"
    )
    for key, title, language in editions:
        if language == settings.LANGUAGE_CODE or key not in names:
            names[key] = title
    return names


def by_author(period, limit=20):
    keys = (
        ArticleAuthor.objects.filter(
            page__reach_days__day__gte=period.start, page__reach_days__day__lte=period.end
        )
        .values("author__translation_key")
        .annotate(
            name=Min("author__name"),
            views=Sum("page__reach_days__views"),
            visitors=Sum("page__reach_days__visitors"),
        )
        .order_by("-views")[:limit]
    )
    return list(keys)


def delivered_in(period):
    return Delivery.objects.filter(
        state=Delivery.State.DELIVERED,
        ended_at__date__gte=period.start,
        ended_at__date__lte=period.end,
    )


def by_station(period):
    """Per liaison station: deliveries made, feed/API pulls, reported views and shares."""
    delivered = dict(
        delivered_in(period).values("station").annotate(n=Count("pk")).values_list("station", "n")
    )
    articles = dict(
        delivered_in(period)
        .values("station")
        .annotate(n=Count("article", distinct=True))
        .values_list("station", "n")
    )
    pulled = dict(
        period.rollups(PullDay)
        .filter(station__isnull=False)
        .values("station")
        .annotate(n=Sum("requests"))
        .values_list("station", "n")
    )
    reported = {
        row["station"]: row
        for row in period.rollups(StationReport)
        .values("station")
        .annotate(views=Sum("views"), shares=Sum("shares"))
    }
    ids = set(delivered) | set(pulled) | set(reported)
    stations = LiaisonStation.objects.filter(Q(pk__in=ids) | Q(is_active=True)).order_by("name")
    return [
        {
            "station": station,
            "delivered": delivered.get(station.pk, 0),
            "articles": articles.get(station.pk, 0),
            "pulled": pulled.get(station.pk, 0),
            "reported_views": reported.get(station.pk, {}).get("views", 0),
            "reported_shares": reported.get(station.pk, {}).get("shares", 0),
        }
        for station in stations
    ]


def feed_pulls(period, limit=10):
    return list(
        period.rollups(PullDay)
        .filter(source__startswith="feed:")
        .values("source")
        .annotate(requests=Sum("requests"))
        .order_by("-requests")[:limit]
    )


def by_reported_channel(period):
    return list(
        period.rollups(StationReport)
        .values("channel")
        .annotate(
            views=Sum("views"), shares=Sum("shares"), stations=Count("station", distinct=True)
        )
        .order_by("-views")
    )


# --- one article (the reach panel) -------------------------------------------------------


def article_reach(page):
    """All editions of the story, all time: own-site figures by language and country, the
    stations that received it and what they reported."""
    editions = ArticlePage.objects.filter(translation_key=page.translation_key)
    days = ArticleDay.objects.filter(page__in=editions)
    total = days.aggregate(**sums())
    languages = list(days.values("language").annotate(**sums()).order_by("-views"))
    countries = list(
        ArticleDayBreakdown.objects.filter(page__in=editions, dimension=Dimension.COUNTRY)
        .values("value")
        .annotate(**sums())
        .order_by("-views")[:10]
    )
    uris = list(editions.exclude(uri="").values_list("uri", flat=True))
    stations = list(
        Delivery.objects.filter(article__uri__in=uris, state=Delivery.State.DELIVERED)
        .values(name=F("station__name"))
        .annotate(versions=Count("version", distinct=True), first=Min("ended_at"))
        .order_by("name")
    )
    reported = list(
        StationReport.objects.filter(uri__in=uris)
        .values("station__name", "channel")
        .annotate(views=Sum("views"), shares=Sum("shares"))
        .order_by("-views")
    )
    return {
        "views": total["views"] or 0,
        "visitors": total["visitors"] or 0,
        "languages": languages,
        "countries": countries,
        "country_names": country_names([row["value"] for row in countries]),
        "stations": stations,
        "reported": reported,
    }
