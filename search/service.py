"""The one query API the site uses: search, suggestions, "did you mean" and related articles."""

import difflib
import logging
import time
from dataclasses import dataclass, field, replace

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DatabaseError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from cms.models import ArticlePage, ChannelPage, Country, TopicPage

from .analysis import expanded_query, meaningful_runs, normalise, query_terms
from .engines import get_engine
from .engines.base import (
    FACETS,
    RELAX_BELOW,
    RELAX_MAX_GROUPS,
    Query,
    relaxed_minimums,
    total_cap,
)
from .highlight import highlight, snippet

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 200
MAX_PAGE_SIZE = 50
SUGGESTION_CUTOFF = 0.6
# "Did you mean" reads the words of the recent titles: kept this long (default cache), so a
# reader's misspelling costs a lookup, not a read of thousands of titles.
VOCABULARY_SECONDS = 60
FACET_LABELS = {
    "channel": _("Channel"),
    "topic": _("Topic"),
    "country": _("Country"),
    "year": _("Year"),
}


@dataclass
class Hit:
    page_id: int
    uri: str
    url: str
    title: str
    title_html: str
    snippet_html: str
    channel: str
    channel_title: str
    published_at: object
    score: float


@dataclass
class Results:
    query: Query
    hits: list
    total: int  # at most TOTAL_CAP: see total_capped
    facets: dict  # name → [{"value", "label", "count", "selected"}]
    total_capped: bool = False  # TOTAL_CAP or more matches ("1,000+"); facets count those
    did_you_mean: str = ""
    relaxed: bool = False  # showing articles that match part of the query
    took_ms: float = 0.0
    terms: list = field(default_factory=list)

    @property
    def total_text(self):
        """The total as the reader's language writes numbers: 1,000 · 1.000 · 1 000."""
        return number_format(self.total, force_grouping=True)

    @property
    def num_pages(self):
        return max(1, -(-self.total // self.query.page_size))


def build_query(
    text, locale, filters=None, date_from=None, date_to=None, sort="relevance", page=1, page_size=10
):
    text = (text or "")[:MAX_QUERY_CHARS]
    return Query(
        text=text,
        locale=locale,
        groups=tuple(tuple(group) for group in expanded_query(text)),
        cjk_runs=tuple(run for run in meaningful_runs(text) if len(run) > 1)[:8],
        filters=dict(filters or {}),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=page,
        page_size=min(page_size, MAX_PAGE_SIZE),
    )


class SearchUnavailable(Exception):
    """The engine did not answer (a cluster outage): readers get a 503, not a 500."""


def search(query):
    try:
        return _search(query)
    except SearchUnavailable:
        raise
    except Exception as error:  # noqa: BLE001 - any engine failure means the same to a reader
        if isinstance(error, DatabaseError) and get_engine().name == "database":
            raise  # the site's own database failing is a real server error
        logger.exception("search engine failed")
        raise SearchUnavailable(str(error)) from error


def _search(query):
    started = time.perf_counter()
    engine = get_engine()
    strict_total = None
    if not query.has_terms and not query.filters and not (query.date_from or query.date_to):
        result_hits, total, raw_facets = [], 0, {name: [] for name in FACETS}
    else:
        result = engine.search(query)
        strict_total = result.total
        if strict_total < RELAX_BELOW:
            relaxed = _relaxed_query(engine, query, _all_ids(engine, query, result), strict_total)
            if relaxed is not None:
                query, result = relaxed, engine.search(relaxed)
        result_hits, total, raw_facets = result.hits, result.total, result.facets
    terms = _highlight_terms(query)
    labels = _labels(query.locale, raw_facets, result_hits)
    hits = [
        Hit(
            page_id=hit.page_id,
            uri=hit.uri,
            url=hit.url,
            title=hit.title,
            title_html=highlight(hit.title, terms),
            snippet_html=snippet(hit.text, terms),
            channel=hit.channel,
            channel_title=labels["channel"].get(hit.channel, hit.channel),
            published_at=hit.published_at,
            score=hit.score,
        )
        for hit in result_hits
    ]
    did_you_mean = ""
    if strict_total == 0 and query.has_terms:
        # Offered beside the partial matches too: it never replaces results that exist.
        did_you_mean = did_you_mean_for(query, engine)
    return Results(
        query=query,
        hits=hits,
        total=min(total, total_cap()),
        total_capped=total >= total_cap(),
        facets=_labelled_facets(raw_facets, query, labels),
        did_you_mean=did_you_mean,
        relaxed=query.is_relaxed,
        took_ms=round((time.perf_counter() - started) * 1000, 2),
        terms=sorted(terms),
    )


def _all_ids(engine, query, result):
    """The ids of a strict match of fewer than RELAX_BELOW articles (all on its first page)."""
    if result.total and (query.page != 1 or query.page_size < RELAX_BELOW):
        result = engine.search(replace(query, page=1, page_size=RELAX_BELOW))
    return tuple(hit.page_id for hit in result.hits)


def _relaxed_query(engine, query, strict_ids, strict_total):
    """The relaxed query to show instead of a strict match of fewer than RELAX_BELOW
    articles, or None: the steps are counted only up to RELAX_BELOW (a count that stops
    there), the one chosen is searched once. The last step that finds more than the one
    before it wins; a step that finds RELAX_BELOW ends the search."""
    chosen, best = None, strict_total
    for relaxed in relaxed_queries(query, strict_ids):
        found = engine.count_up_to(relaxed, RELAX_BELOW)
        if found > best:
            chosen, best = relaxed, found
        if found >= RELAX_BELOW:
            break
    return chosen


def relaxed_queries(query, strict_ids=()):
    """The query asking for fewer and fewer of its meaningful terms: all but one, all but
    two… down to half of them (never fewer). None for one term, or when sorted by date
    (a partial match would be listed among full ones)."""
    groups = query.groups
    if len(groups) < 2 or query.sort != "relevance":
        return
    if len(groups) > RELAX_MAX_GROUPS:  # the longest words say most about the subject
        groups = tuple(sorted(groups, key=lambda group: len(group[0]), reverse=True))
        groups = groups[:RELAX_MAX_GROUPS]
    for minimum in relaxed_minimums(len(groups)):
        yield replace(query, groups=groups, minimum_match=minimum, strict_ids=strict_ids)


def _highlight_terms(query):
    terms = set(query.cjk_runs)
    for group in query.groups:
        for alternative in group:
            terms.update(alternative.split())
            terms.add(alternative.replace(" ", ""))
    return terms


def _labels(locale, raw_facets, hits):
    """Reader-facing names of the facet values and of the hits' channels: one query for
    the channel and topic pages, one for the countries (a query per kind cost more than
    the search itself on small result sets)."""
    values = {name: {value for value, _n in raw_facets.get(name, []) if value} for name in FACETS}
    values["channel"].update(hit.channel for hit in hits if hit.channel)
    labels = {name: {} for name in FACETS}
    labels["year"] = {value: value for value in values["year"]}
    labels.update(_page_labels(locale, values["channel"], values["topic"]))
    labels["country"] = _country_labels(locale, values["country"])
    return labels


def _page_labels(locale, channels, topics):
    labels = {"channel": {}, "topic": {}}
    if not (channels or topics):
        return labels
    kinds = {
        ContentType.objects.get_for_model(ChannelPage).pk: "channel",
        ContentType.objects.get_for_model(TopicPage).pk: "topic",
    }
    pages = Page.objects.filter(
        slug__in=channels | topics, locale__language_code=locale, content_type_id__in=kinds
    ).values_list("content_type_id", "slug", "title")
    wanted = {"channel": channels, "topic": topics}
    for content_type_id, slug, title in pages:
        kind = kinds[content_type_id]
        if slug in wanted[kind]:
            labels[kind][slug] = title
    return labels


def _country_labels(locale, codes):
    labels = {}
    if not codes:
        return labels
    for country in Country.objects.filter(code__in=codes).select_related("locale"):
        if country.code not in labels or country.locale.language_code == locale:
            labels[country.code] = country.name
    return labels


def _labelled_facets(raw_facets, query, labels):
    facets = {}
    for name in FACETS:
        facets[name] = [
            {
                "value": value,
                "label": labels[name].get(value, value),
                "count": count,
                "selected": query.filters.get(name) == value,
            }
            for value, count in raw_facets.get(name, [])
        ]
    return facets


class Vocabulary:
    """The words of recent titles with an index by character: a close spelling shares at
    least one character with the word typed (difflib's ratio is 0 otherwise), so only the
    words sharing one are compared, not the thousands in the vocabulary."""

    def __init__(self, words):
        self.words = frozenset(words)
        self.by_character = {}
        for word in self.words:
            for character in set(word):
                self.by_character.setdefault(character, set()).add(word)

    def __bool__(self):
        return bool(self.words)

    def __contains__(self, word):
        return word in self.words

    def closest(self, word):
        """The closest known spelling of `word` (difflib's, over the words that could be)."""
        candidates = set().union(*(self.by_character.get(ch, ()) for ch in set(word)))
        return next(iter(difflib.get_close_matches(word, candidates, 1, SUGGESTION_CUTOFF)), None)


def vocabulary_for(engine, locale):
    key = f"search:vocabulary:{engine.name}:{locale}"
    vocabulary = cache.get(key)
    if vocabulary is None:
        vocabulary = Vocabulary(engine.vocabulary(locale))
        cache.set(key, vocabulary, VOCABULARY_SECONDS)
    return vocabulary


def did_you_mean_for(query, engine):
    """A close spelling from recent titles that does find something, or ""."""
    vocabulary = vocabulary_for(engine, query.locale)
    if not vocabulary:
        return ""
    normalised = normalise(query.text).strip()
    candidates = []
    whole = vocabulary.closest(normalised.replace(" ", ""))
    if whole:
        candidates.append(whole)
    words = query_terms(query.text)
    if len(words) > 1:
        corrected = [
            word if word in vocabulary else (vocabulary.closest(word) or word) for word in words
        ]
        if corrected != words:
            candidates.append(" ".join(corrected))
    for candidate in candidates:
        if candidate == normalised:
            continue
        check = build_query(candidate, query.locale, query.filters, page_size=1)
        if engine.count_up_to(check, 1):
            return candidate
    return ""


def suggest(prefix, locale, limit=8):
    prefix = (prefix or "").strip()[:50]
    if not prefix:
        return []
    try:
        return get_engine().suggest(prefix, locale, limit)
    except Exception:  # noqa: BLE001 - suggestions are optional; the search box still works
        logger.warning("suggestions unavailable", exc_info=True)
        return []


def related_articles(page: Page, limit: int = 4) -> list[ArticlePage]:
    """Live articles like this one (more-like-this), for the article page."""
    try:
        ids = get_engine().more_like_this(page.pk, page.locale.language_code, limit)
    except Exception:  # noqa: BLE001 - a search outage must never break an article page
        logger.warning("related articles unavailable", exc_info=True)
        return []
    articles = ArticlePage.objects.live().public().filter(pk__in=ids).in_bulk()
    return [articles[pk] for pk in ids if pk in articles]
