"""Translation status of articles × language editions, computed in a few set-based queries.

A cell is one of:
- missing: no edition in that language;
- in progress: an edition exists but is not live (draft, or waiting for review);
- outdated: the edition is live but the Chinese original was published (corrected) after it,
  or the synced translation lacks segments the corrected original added;
- published: the edition is live and up to date.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from cms.newsroom import translator_group_name

MISSING = "missing"
IN_PROGRESS = "in_progress"
OUTDATED = "outdated"
PUBLISHED = "published"
STATUS_LABELS = {
    MISSING: _("Missing"),
    IN_PROGRESS: _("In progress"),
    OUTDATED: _("Outdated"),
    PUBLISHED: _("Published"),
}
STATUSES = list(STATUS_LABELS)


@dataclass
class Cell:
    locale: Locale
    status: str
    page_id: int | None = None
    translation_id: int | None = None
    segments: int = 0
    translated: int = 0

    @property
    def label(self):
        return STATUS_LABELS[self.status]


@dataclass
class Row:
    article: Page
    cells: list = field(default_factory=list)


def target_locales(user=None):
    """Every language but the source, the user's own translation languages first."""
    locales = list(Locale.objects.exclude(language_code=settings.LANGUAGE_CODE))
    order = [code for code, _name in settings.LANGUAGES]
    own = user_language_codes(user) if user is not None else set()
    locales.sort(
        key=lambda locale: (
            locale.language_code not in own,
            order.index(locale.language_code) if locale.language_code in order else len(order),
        )
    )
    return locales


def user_language_codes(user):
    """The languages whose per-locale translator group ("翻译 · English") the user is in."""
    names = set(user.groups.values_list("name", flat=True))
    return {
        code
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE and translator_group_name(code) in names
    }


def _progress(source_ids, locales):
    """{(source_id, locale_id): (segments, translated)} for the given translation sources."""
    totals = dict(
        StringSegment.objects.filter(source_id__in=source_ids)
        .values("source_id")
        .annotate(n=Count("id"))
        .values_list("source_id", "n")
    )
    progress = {}
    for locale in locales:
        done = (
            StringSegment.objects.filter(source_id__in=source_ids)
            .filter(
                Exists(
                    StringTranslation.objects.filter(
                        translation_of_id=OuterRef("string_id"),
                        context_id=OuterRef("context_id"),
                        locale_id=locale.pk,
                        has_error=False,
                    )
                )
            )
            .values("source_id")
            .annotate(n=Count("id"))
            .values_list("source_id", "n")
        )
        done = dict(done)
        for source_id in source_ids:
            progress[(source_id, locale.pk)] = (totals.get(source_id, 0), done.get(source_id, 0))
    return progress


def status_rows(articles, locales):
    """One Row per source article, one Cell per locale."""
    articles = list(articles)
    keys = [article.translation_key for article in articles]
    editions = {
        (page["translation_key"], page["locale_id"]): page
        for page in Page.objects.filter(translation_key__in=keys, locale__in=locales).values(
            "id", "translation_key", "locale_id", "live", "last_published_at"
        )
    }
    translations = {
        (row["source__object_id"], row["target_locale_id"]): row
        for row in Translation.objects.filter(
            source__object_id__in=keys, target_locale__in=locales, enabled=True
        ).values("id", "source_id", "source__object_id", "target_locale_id")
    }
    progress = _progress({row["source_id"] for row in translations.values()}, locales)
    rows = []
    for article in articles:
        row = Row(article)
        for locale in locales:
            edition = editions.get((article.translation_key, locale.pk))
            translation = translations.get((article.translation_key, locale.pk))
            segments, translated = (
                progress[(translation["source_id"], locale.pk)] if translation else (0, 0)
            )
            cell = Cell(
                locale,
                _status(article, edition, translation, segments, translated),
                page_id=edition and edition["id"],
                translation_id=translation and translation["id"],
                segments=segments,
                translated=translated,
            )
            row.cells.append(cell)
        rows.append(row)
    return rows


def _status(article, edition, translation, segments, translated):
    if edition is None:
        return IN_PROGRESS if translation else MISSING
    if not edition["live"]:
        return IN_PROGRESS
    source_changed = (
        article.last_published_at is not None
        and edition["last_published_at"] is not None
        and article.last_published_at > edition["last_published_at"]
    )
    if source_changed or (translation and translated < segments):
        return OUTDATED
    return PUBLISHED


def counts_per_locale(rows):
    """{locale_id: Counter(status → number of articles)}"""
    counts = {}
    for row in rows:
        for cell in row.cells:
            counts.setdefault(cell.locale.pk, Counter())[cell.status] += 1
    return counts


def page_status(page):
    """The status row of one article (its Chinese original if `page` is a translation)."""
    source = page.get_translation_or_none(Locale.objects.get(language_code=settings.LANGUAGE_CODE))
    source = source or page
    return status_rows([source], target_locales())[0]
