"""Elasticsearch index settings, mappings and query bodies, kept as plain data to be tested."""

from ..analysis import normalise, query_terms
from .base import (
    FACETS,
    PHRASE_WEIGHT,
    RECENCY_HALF_LIFE_DAYS,
    RECENCY_WEIGHT,
    STEMMED_LANGUAGES,
    STRICT_BONUS,
    total_cap,
)

LANGUAGE_ANALYZERS = STEMMED_LANGUAGES
# Chinese analyzers for the *_terms fields: (index analyzer, search analyzer).
# "jieba" (default) works on any cluster: jieba segments in Python, the cluster splits on spaces.
CHINESE_ANALYZERS = {
    "jieba": ("qy_terms", "qy_terms"),
    "ik": ("ik_max_word", "ik_smart"),
    "smartcn": ("smartcn", "smartcn"),
    "icu": ("icu_analyzer", "icu_analyzer"),
}
# grams: the character pairs and single characters (q=侨 finds 华侨), weighted lowest.
WEIGHTED_FIELDS = ["title_terms^6", "lead_terms^3", "summary_terms^2", "body_terms", "grams^0.5"]
FACET_FIELDS = {"channel": "channel", "topic": "topics", "country": "countries", "year": "year"}
FILTER_FIELDS = {**FACET_FIELDS, "tag": "tags"}
FACET_SIZE = 20


def is_chinese(locale):
    return locale.startswith("zh")


def analyzers_for(locale, chinese_analyzer="jieba"):
    if is_chinese(locale):
        if chinese_analyzer not in CHINESE_ANALYZERS:
            raise ValueError(f"Unknown Chinese analyzer {chinese_analyzer!r}")
        return CHINESE_ANALYZERS[chinese_analyzer]
    name = LANGUAGE_ANALYZERS.get(locale.split("-")[0], "standard")
    return name, name


def index_body(locale, chinese_analyzer="jieba"):
    index_analyzer, search_analyzer = analyzers_for(locale, chinese_analyzer)
    text = {"type": "text", "analyzer": index_analyzer, "search_analyzer": search_analyzer}
    keyword = {"type": "keyword"}
    return {
        "settings": {
            "analysis": {
                "analyzer": {
                    # Terms arrive segmented and normalised (jieba + OpenCC) from Python.
                    "qy_terms": {
                        "type": "custom",
                        "tokenizer": "whitespace",
                        "filter": ["lowercase"],
                    },
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "page_id": {"type": "long"},
                "locale": keyword,
                "uri": keyword,
                "url": {"type": "keyword", "index": False},
                "title": {"type": "text", "index": False},
                "text": {"type": "text", "index": False},
                "title_terms": text,
                "lead_terms": text,
                "summary_terms": text,
                "body_terms": text,
                # Character bigrams of the normalised text: names jieba does not know.
                "cjk_text": {"type": "text", "analyzer": "cjk"},
                "title_cjk": {"type": "text", "analyzer": "cjk"},  # the phrase bonus
                "grams": {"type": "text", "analyzer": "qy_terms"},
                "channel": keyword,
                "topics": keyword,
                "countries": keyword,
                "tags": keyword,
                "year": {"type": "integer"},
                "published_at": {"type": "date"},
                "suggest": {"type": "completion", "analyzer": "simple"},
            },
        },
    }


def document_body(document):
    terms = document.terms()
    title_words = query_terms(document.title)
    # Completion is prefix-only: offer the title from each of its words on, so typing a word
    # from the middle of a Chinese title still completes it.
    inputs = [terms["title_normalised"]] + [
        "".join(title_words[i:]) for i in range(1, min(len(title_words), 8))
    ]
    return {
        "page_id": document.page_id,
        "locale": document.locale,
        "uri": document.uri,
        "url": document.url,
        "title": document.title,
        "text": document.text,
        "title_terms": terms["title_terms"],
        "lead_terms": terms["lead_terms"],
        "summary_terms": terms["summary_terms"],
        "body_terms": terms["body_terms"],
        "cjk_text": normalise(f"{document.title} {document.lead} {document.text}"),
        "title_cjk": terms["title_normalised"],
        "grams": terms["grams"],
        "channel": document.channel,
        "topics": document.topics,
        "countries": document.countries,
        "tags": document.tags,
        "year": document.year,
        "published_at": document.published_at.isoformat() if document.published_at else None,
        "suggest": {"input": [i for i in dict.fromkeys(inputs) if i]},
    }


def match_clause(groups, runs, mode="all", minimum=0):
    """Every group (a term and its synonyms) must match a weighted field, or `minimum` of
    them when relaxed; or, for Chinese, the query's character runs match as contiguous bigram
    phrases."""
    per_group = [
        {
            "bool": {
                "should": [
                    {
                        "multi_match": {
                            "query": alternative,
                            "fields": WEIGHTED_FIELDS,
                            "operator": "and",
                        }
                    }
                    for alternative in group
                ],
                "minimum_should_match": 1,
            }
        }
        for group in groups
    ]
    if mode == "any":
        return {"bool": {"should": per_group, "minimum_should_match": 1}}
    if 0 < minimum < len(per_group):
        words = {"bool": {"should": per_group, "minimum_should_match": minimum}}
    else:
        words = {"bool": {"must": per_group}}
    should = [words] if per_group else []
    if runs:
        phrases = [{"match_phrase": {"cjk_text": run}} for run in runs]
        should.append({"bool": {"must": phrases}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def bonus_clauses(query):
    """Scored, never required: a run of the query's words whole in the title (the phrase
    bonus, about PHRASE_WEIGHT of a title match) and, when relaxed, the few matches of every
    term that the strict pass found (STRICT_BONUS above any partial match)."""
    clauses = [
        {"match_phrase": {"title_cjk": {"query": run, "boost": PHRASE_WEIGHT * 6}}}
        for run in query.cjk_runs
    ]
    if query.is_relaxed and query.strict_ids:
        strict = {"terms": {"page_id": list(query.strict_ids)}}
        clauses.append({"constant_score": {"filter": strict, "boost": STRICT_BONUS}})
    return clauses


def filter_clauses(query):
    clauses = [{"term": {FILTER_FIELDS[name]: value}} for name, value in query.filters.items()]
    dates = {}
    if query.date_from:
        dates["gte"] = query.date_from.isoformat()
    if query.date_to:
        dates["lte"] = query.date_to.isoformat()
    if dates:
        clauses.append({"range": {"published_at": dates}})
    return clauses


def recency_boosted(inner):
    """score × (1 + RECENCY_WEIGHT × decay), the database engine's formula."""
    return {
        "function_score": {
            "query": inner,
            "functions": [
                {"weight": 1},
                {
                    "exp": {
                        "published_at": {
                            "origin": "now",
                            "scale": f"{RECENCY_HALF_LIFE_DAYS}d",
                            "decay": 0.5,
                        }
                    },
                    "weight": RECENCY_WEIGHT,
                },
            ],
            "score_mode": "sum",
            "boost_mode": "multiply",
        }
    }


def aggregations():
    return {name: {"terms": {"field": FACET_FIELDS[name], "size": FACET_SIZE}} for name in FACETS}


def candidates_clause(since, query):
    """The database engine's candidates once a query matches its cap or more: the matches
    published `since` the cap-th newest one and, relaxed, the strict few."""
    newest = {"range": {"published_at": {"gte": since}}}
    if not (query.is_relaxed and query.strict_ids):
        return newest
    strict = {"terms": {"page_id": list(query.strict_ids)}}
    return {"bool": {"should": [newest, strict], "minimum_should_match": 1}}


def search_body(query, with_aggregations=True, since=None):
    clauses = filter_clauses(query)
    if since is not None:
        clauses.append(candidates_clause(since, query))
    if query.has_terms:
        matching = match_clause(query.groups, query.cjk_runs, minimum=query.minimum_match)
        inner = {"bool": {"must": [matching], "filter": clauses}}
        if query.sort == "relevance":
            inner["bool"]["should"] = bonus_clauses(query)
    else:
        inner = {"bool": {"filter": clauses}}
    body = {
        "query": recency_boosted(inner) if query.sort == "relevance" else inner,
        "from": query.offset,
        "size": query.page_size,
        "track_total_hits": total_cap(),  # "1,000+", as on every engine
        "_source": ["page_id", "url", "uri", "title", "text", "channel", "published_at"],
    }
    if query.sort == "newest" or not query.has_terms:
        body["sort"] = [{"published_at": {"order": "desc"}}, {"page_id": {"order": "desc"}}]
    if with_aggregations:
        body["aggs"] = aggregations()
    return body
