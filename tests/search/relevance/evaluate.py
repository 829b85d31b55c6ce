"""The relevance set's corpus and measures, shared by its test and bench/relevance.py.

MRR@10: the mean of 1/rank of the first relevant article in the top ten (0 when none is).
nDCG@10: graded gain (2^grade − 1) discounted by log2(rank + 1), over the ideal order of
every judged article of the query's locale.
"""

import math
from dataclasses import dataclass

from demo.loader import DemoLoader
from demo.stories import article_spec
from search import service
from search.documents import build_document, indexable_articles
from search.engines import get_engine

from .judgments import QUERIES

DEMO_ARTICLES = 40
CUTOFF = 10


def build_corpus(articles=DEMO_ARTICLES):
    """The demo content (every edition), indexed in the current engine. Returns the page id
    → (story key, city) of each indexed article."""
    DemoLoader(articles).run()
    stories = {}
    for index in range(articles):
        spec = article_spec(index)
        stories[spec.slug] = (spec.story.key, spec.station.city)
    pages = list(indexable_articles())
    get_engine().index([build_document(page) for page in pages])
    return {page.pk: (stories[page.slug], page.locale.language_code) for page in pages}


def grade(judged, story):
    key, city = story
    return max(judged.relevant.get(f"{key}@{city}", 0), judged.relevant.get(key, 0))


@dataclass
class Measured:
    judged: object
    ranked: list  # grades of the top ten, in rank order
    ideal: list  # every judged article's grade, best first

    @property
    def reciprocal_rank(self):
        return next((1 / rank for rank, g in enumerate(self.ranked, 1) if g), 0.0)

    @property
    def ndcg(self):
        ideal = dcg(self.ideal[:CUTOFF])
        return dcg(self.ranked) / ideal if ideal else 0.0


def dcg(grades):
    return sum((2**g - 1) / math.log2(rank + 1) for rank, g in enumerate(grades, 1))


def measure(corpus, queries=QUERIES):
    """Each query run through the query API, as the search page runs it."""
    results = []
    for judged in queries:
        found = service.search(service.build_query(judged.text, judged.locale, page_size=CUTOFF))
        ranked = [grade(judged, corpus[hit.page_id][0]) for hit in found.hits]
        ideal = sorted(
            (grade(judged, story) for story, locale in corpus.values() if locale == judged.locale),
            reverse=True,
        )
        results.append(Measured(judged, ranked, [g for g in ideal if g]))
    return results


def summary(measured):
    """MRR@10 and nDCG@10 over all queries, and per kind."""
    kinds = sorted({m.judged.kind for m in measured})
    table = {"all": _means(measured)}
    for kind in kinds:
        table[kind] = _means([m for m in measured if m.judged.kind == kind])
    return table


def _means(measured):
    count = len(measured)
    return {
        "queries": count,
        "mrr": sum(m.reciprocal_rank for m in measured) / count,
        "ndcg": sum(m.ndcg for m in measured) / count,
    }


def misses(measured):
    """The queries whose first relevant article is not first: what to look at."""
    return [
        (m.judged.text, m.judged.locale, round(m.reciprocal_rank, 2))
        for m in measured
        if m.reciprocal_rank < 1
    ]
