"""OpenAPI 3.1 description of the search API (served at /api/search/openapi.json)."""

from django.conf import settings

from .engines.base import SORTS, TOTAL_CAP
from .forms import MAX_PAGE, MAX_YEAR, MIN_YEAR
from .service import MAX_PAGE_SIZE

# Text without NUL (refused with a 400: PostgreSQL cannot compare it), at most so long.
NO_NUL = "^[^\\x00]*$"


def _text(max_length=None):
    schema = {"type": "string", "pattern": NO_NUL}
    if max_length:
        schema["maxLength"] = max_length
    return schema


def _param(name, description, schema, required=False):
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


FACET_VALUE = {
    "type": "object",
    "required": ["value", "label", "count", "selected"],
    "properties": {
        "value": {"type": "string"},
        "label": {"type": "string"},
        "count": {"type": "integer", "minimum": 0},
        "selected": {"type": "boolean"},
    },
}
HIT = {
    "type": "object",
    "required": ["uri", "url", "title", "title_html", "snippet_html", "channel", "published_at"],
    "properties": {
        "uri": {"type": "string", "description": "Stable article URI (never changes)."},
        "url": {"type": "string"},
        "title": {"type": "string"},
        "title_html": {"type": "string", "description": "Title, matches in <mark>."},
        "snippet_html": {"type": "string", "description": "Excerpt, matches in <mark>."},
        "channel": {
            "type": "object",
            "required": ["slug", "title"],
            "properties": {"slug": {"type": "string"}, "title": {"type": "string"}},
        },
        "published_at": {"type": ["string", "null"], "format": "date-time"},
        "score": {"type": "number"},
    },
}
SEARCH_RESPONSE = {
    "type": "object",
    "required": ["query", "locale", "total", "page", "page_size", "hits", "facets", "took_ms"],
    "properties": {
        "query": {"type": "string"},
        "locale": {"type": "string"},
        "sort": {"type": "string", "enum": list(SORTS)},
        "total": {
            "type": "integer",
            "minimum": 0,
            "maximum": TOTAL_CAP,
            "description": f"matching articles, counted up to {TOTAL_CAP} (see total_capped)",
        },
        "total_capped": {
            "type": "boolean",
            "description": f"true when {TOTAL_CAP} or more articles match (shown as"
            f' "{TOTAL_CAP:,}+"): the facets then count the newest {TOTAL_CAP} matches, the'
            " ones the pages reach",
        },
        "page": {"type": "integer", "minimum": 1},
        "page_size": {"type": "integer", "minimum": 1},
        "num_pages": {"type": "integer", "minimum": 1},
        "took_ms": {"type": "number"},
        "did_you_mean": {"type": ["string", "null"]},
        "relaxed": {
            "type": "boolean",
            "description": "true when no article matched every meaningful word of the query"
            " and the hits match most of them (the strict matches first)",
        },
        "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "facets": {
            "type": "object",
            "properties": {
                name: {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
                for name in ("channel", "topic", "country", "year")
            },
        },
    },
}
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}}


def schema():
    locales = [code for code, _name in settings.LANGUAGES]
    errors = {
        "400": {
            "description": "Bad parameters; the message says which.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
        "429": {
            "description": "Rate limited (per client address); retry after Retry-After seconds.",
            "headers": {
                "Retry-After": {"required": True, "schema": {"type": "integer", "minimum": 1}}
            },
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
        "503": {
            "description": "The search engine is unavailable; retry later.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "侨音 Qiaoyin search API",
            "version": "1.0.0",
            "description": "Chinese-aware search of published articles in every language edition.",
        },
        "paths": {
            "/api/search/": {
                "get": {
                    "summary": "Search articles",
                    "parameters": [
                        _param(
                            "q",
                            "Query text (Simplified or Traditional Chinese, or the "
                            "locale's language); cut to 200 characters.",
                            _text(),
                        ),
                        _param(
                            "locale",
                            "Language edition.",
                            {"type": "string", "enum": locales},
                            required=True,
                        ),
                        _param("channel", "Channel slug.", _text(255)),
                        _param("topic", "Topic slug.", _text(255)),
                        _param("tag", "Tag name.", _text(100)),
                        _param("country", "ISO 3166 code, e.g. IT.", _text(8)),
                        _param(
                            "year",
                            "Publication year.",
                            {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
                        ),
                        _param(
                            "from",
                            "Published on or after (YYYY-MM-DD).",
                            {"type": "string", "format": "date"},
                        ),
                        _param(
                            "to",
                            "Published on or before (YYYY-MM-DD).",
                            {"type": "string", "format": "date"},
                        ),
                        _param(
                            "sort",
                            "relevance (with a recency boost) or newest.",
                            {"type": "string", "enum": list(SORTS), "default": "relevance"},
                        ),
                        _param(
                            "page",
                            "Page number.",
                            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                        ),
                        _param(
                            "page_size",
                            "Hits per page.",
                            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "Hits, total, facets and a did-you-mean.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SearchResponse"}
                                }
                            },
                        },
                        **errors,
                    },
                }
            },
            "/api/search/suggest/": {
                "get": {
                    "summary": "Search-as-you-type title suggestions",
                    "parameters": [
                        _param("q", "What the reader typed so far.", {"type": "string"}),
                        _param(
                            "locale",
                            "Language edition.",
                            {"type": "string", "enum": locales},
                            required=True,
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "Suggested titles.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "query": {"type": "string"},
                                            "suggestions": {
                                                "type": "array",
                                                "items": {"type": "string"},
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        **errors,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "SearchResponse": SEARCH_RESPONSE,
                "Hit": HIT,
                "FacetValue": FACET_VALUE,
                "Error": ERROR,
            }
        },
    }
