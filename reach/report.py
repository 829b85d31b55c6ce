"""The monthly reach report: one row per article (all its editions), as CSV or XLSX.

Used by `manage.py reach_report` and the admin report's download button.
"""

import csv
import io
from collections import defaultdict

from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Page

from cms.models import ArticlePage
from stations.models import Delivery

from .models import ArticleDayBreakdown, Dimension, StationReport
from .queries import PAGE_PATH_STEP

TOP_COUNTRIES = 3
CHUNK = 500


def columns():
    languages = [code for code, _name in settings.LANGUAGES]
    return (
        [_("uri"), _("title"), _("channel"), _("published"), _("views"), _("visitors")]
        + [_("views (%(language)s)") % {"language": code} for code in languages]
        + [_("top countries"), _("stations delivered"), _("reported views"), _("reported shares")]
    )


def story_keys(period):
    """Translation keys of the stories read, delivered or reported in the period, most read
    first."""
    read = (
        period.rollups()
        .values("page__translation_key")
        .annotate(views=Sum("views"))
        .order_by("-views")
    )
    keys = [row["page__translation_key"] for row in read]
    reported = (
        period.rollups(StationReport)
        .filter(page__isnull=False)
        .values_list("page__translation_key", flat=True)
        .distinct()
    )
    seen = set(keys)
    keys += [key for key in reported if key not in seen]
    return keys


def rows(period, keys):
    """Report rows for a chunk of stories."""
    editions = list(
        ArticlePage.objects.filter(translation_key__in=keys)
        .annotate(parent=Substr("path", 1, Length("path") - PAGE_PATH_STEP))
        .values(
            "pk", "translation_key", "uri", "title", "parent", "first_published_at",
            "locale__language_code",
        )
        .order_by("pk")
    )  # fmt: skip
    by_story = defaultdict(list)
    for edition in editions:
        by_story[edition["translation_key"]].append(edition)
    channels = dict(
        Page.objects.filter(path__in={e["parent"] for e in editions}).values_list("path", "title")
    )
    views = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in (
        period.rollups()
        .filter(page__translation_key__in=keys)
        .values("page__translation_key", "language")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
    ):
        views[row["page__translation_key"]][row["language"]] = [row["views"], row["visitors"]]
    countries = defaultdict(list)
    for row in (
        period.rollups(ArticleDayBreakdown)
        .filter(page__translation_key__in=keys, dimension=Dimension.COUNTRY)
        .exclude(value="")
        .values("page__translation_key", "value")
        .annotate(views=Sum("views"))
        .order_by("-views", "value")
    ):
        countries[row["page__translation_key"]].append(f"{row['value']} {row['views']}")
    uris = [e["uri"] for e in editions if e["uri"]]
    key_of_uri = {e["uri"]: e["translation_key"] for e in editions}
    delivered = defaultdict(set)
    for uri, station in (
        Delivery.objects.filter(
            article__uri__in=uris,
            state=Delivery.State.DELIVERED,
            ended_at__date__lte=period.end,
        )
        .values_list("article__uri", "station")
        .distinct()
    ):
        delivered[key_of_uri[uri]].add(station)
    reported = defaultdict(lambda: [0, 0])
    for row in (
        period.rollups(StationReport)
        .filter(uri__in=uris)
        .values("uri")
        .annotate(views=Sum("views"), shares=Sum("shares"))
    ):
        figures = reported[key_of_uri[row["uri"]]]
        figures[0] += row["views"]
        figures[1] += row["shares"]
    languages = [code for code, _name in settings.LANGUAGES]
    for key in keys:
        story = by_story.get(key)
        if not story:
            continue
        # The newsroom's own edition (Simplified Chinese) names the story when it has one.
        source = next(
            (e for e in story if e["locale__language_code"] == settings.LANGUAGE_CODE), story[0]
        )
        published = source["first_published_at"]
        story_views = views[key]
        yield [
            source["uri"],
            source["title"],
            channels.get(source["parent"], ""),
            timezone.localtime(published).isoformat() if published else "",
            sum(v[0] for v in story_views.values()),
            sum(v[1] for v in story_views.values()),
            *[story_views[code][0] for code in languages],
            "; ".join(countries[key][:TOP_COUNTRIES]),
            len(delivered[key]),
            reported[key][0],
            reported[key][1],
        ]


def report_rows(period, progress=None):
    keys = story_keys(period)
    if progress is not None:
        progress.reset(total=len(keys))
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        yield from rows(period, chunk)
        if progress is not None:
            progress.update(len(chunk))


def write_csv(out, period, progress=None):
    writer = csv.writer(out)
    writer.writerow(columns())
    count = 0
    for row in report_rows(period, progress):
        writer.writerow(row)
        count += 1
    return count


def write_xlsx(out, period, progress=None):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    # An Excel sheet name holds at most 31 characters.
    sheet = book.create_sheet(f"{period.start.isoformat()}~{period.end.isoformat()}")
    sheet.append(columns())
    count = 0
    for row in report_rows(period, progress):
        sheet.append(row)
        count += 1
    book.save(out)
    return count


def render(period, fmt):
    """The report as bytes, for the admin's download."""
    if fmt == "xlsx":
        buffer = io.BytesIO()
        write_xlsx(buffer, period)
        return buffer.getvalue()
    text = io.StringIO()
    write_csv(text, period)
    return ("\ufeff" + text.getvalue()).encode()  # BOM: Excel opens UTF-8 CSV as such


def filename(period, fmt):
    return f"reach-{period.start.isoformat()}-{period.end.isoformat()}.{fmt}"
