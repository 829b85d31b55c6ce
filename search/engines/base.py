"""The contract every engine keeps, and the values that cross it."""

import math
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

FACETS = ("channel", "topic", "country", "year")
# The editions whose words both engines stem, by the language name PostgreSQL's text search
# configurations and Elasticsearch's analyzers share; every other locale is split, not stemmed.
STEMMED_LANGUAGES = {
    "en": "english",
    "it": "italian",
    "es": "spanish",
    "fr": "french",
    "pt": "portuguese",
    "de": "german",
}
FILTERS = ("channel", "topic", "tag", "country", "year")
SORTS = ("relevance", "newest")
# Recency boost shared by the engines: score × (1 + RECENCY_WEIGHT × decay(age)), where the
# decay halves every RECENCY_HALF_LIFE_DAYS, so relevance leads and freshness breaks near-ties.
RECENCY_WEIGHT = 0.5
RECENCY_HALF_LIFE_DAYS = 180
# Relaxed matching (a query whose every term is found in fewer than RELAX_BELOW articles):
# a match of every term is worth STRICT_BONUS more than any partial match, so strict matches
# always come first; a title holding a run of the query's words whole (a phrase) is worth
# PHRASE_WEIGHT more, as a share of the text score.
RELAX_BELOW = 3
RELAX_MAX_GROUPS = 6
STRICT_BONUS = 1000.0
PHRASE_WEIGHT = 0.5
# Counts stop here, on every engine: a query matching more says "1,000+" (a reader pages
# through at most this many, 100 pages of 10), and its facets count the newest
# TOTAL_CAP matches, the ones a reader can reach. Counting and ranking every one of
# 100,000 matches of a common word was most of the cost of a search at that scale.
# SEARCH_TOTAL_CAP in the settings changes it (tests count to 2 over a small corpus).
TOTAL_CAP = 1000


def total_cap():
    return getattr(settings, "SEARCH_TOTAL_CAP", TOTAL_CAP)


@dataclass(frozen=True)
class Query:
    """A reader's search: query text, its analysed term groups, filters, sort and page."""

    text: str
    locale: str
    groups: tuple = ()  # ((term, synonym…), …): the meaningful terms, every group must match
    cjk_runs: tuple = ()  # normalised Chinese runs, matched as bigram phrases (names)
    minimum_match: int = 0  # relaxed: this many groups suffice (0: all of them)
    strict_ids: tuple = ()  # relaxed: the few articles that matched every group
    filters: dict = field(default_factory=dict)  # facet name → value
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    page_size: int = 10

    @property
    def offset(self):
        return (self.page - 1) * self.page_size

    @property
    def has_terms(self):
        return bool(self.groups or self.cjk_runs)

    @property
    def is_relaxed(self):
        return 0 < self.minimum_match < len(self.groups)


def relaxed_minimums(group_count):
    """How many of the query's meaningful terms a relaxed match needs, tried in turn: all
    but one, all but two… down to half of them, at least one (2 → 1; 5 → 4, 3)."""
    return range(group_count - 1, max(1, math.ceil(group_count / 2)) - 1, -1)


@dataclass
class EngineHit:
    page_id: int
    score: float
    url: str
    uri: str
    title: str
    text: str
    channel: str
    published_at: object = None


@dataclass
class EngineResult:
    hits: list
    total: int
    facets: dict  # facet name → [(value, count), …], most frequent first


class SearchEngine:
    name = "base"

    def index(self, documents):
        """Add or replace documents (ArticleDocument); idempotent."""
        raise NotImplementedError

    def delete(self, page_ids):
        raise NotImplementedError

    def search(self, query):
        """EngineResult: the page's hits, the total (counted up to total_cap(), then
        total_cap()) and the facet counts over the matches counted."""
        raise NotImplementedError

    def count_up_to(self, query, limit):
        """How many articles match `query`, counted no further than `limit`."""
        return min(self.search(query).total, limit)

    def suggest(self, prefix, locale, limit):
        """Titles for search-as-you-type."""
        raise NotImplementedError

    def more_like_this(self, page_id, locale, limit):
        """Page ids of articles like this one, best first."""
        raise NotImplementedError

    def indexed_ids(self, locale=None):
        raise NotImplementedError

    def vocabulary(self, locale):
        """Known words and word pairs of recent titles, for "did you mean"."""
        raise NotImplementedError

    def refresh_statistics(self):
        """Housekeeping after a bulk load (nothing to do for most engines)."""

    def rebuild(self, locale, documents, progress=None):
        """Build the locale's index afresh; until it succeeds the old one keeps serving."""
        raise NotImplementedError
