"""The OpenAPI 3.1 description of the station API, written by hand.

The API is a handful of plain Django views; a generator would need DRF or Ninja views to
introspect. tests/stations/test_api.py checks every path listed here answers.
"""

from django.conf import settings

from stations.formatters.ninjs import FORMATS, SCHEMA_URIS
from stations.models import Delivery

API_VERSION = "1.0.0"
# Endpoints that higher apps serve under the station API (reach: the reach reports) add
# their paths and schemas here: functions returning {"paths": {...}, "schemas": {...}}.
EXTENSIONS = []


def register_extension(describe):
    if describe not in EXTENSIONS:
        EXTENSIONS.append(describe)
    return describe


def _error(description):
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


# Text parameters: any text but NUL, which PostgreSQL cannot compare (refused with a 400).
TEXT = {"type": "string", "pattern": "^[^\\x00]*$"}
# RFC 3339 date-times whose UTC offset PostgreSQL can store (±15:59; real ones lie within
# -12:00…+14:00). Others are refused with a 400 naming the parameter.
MOMENT = {
    "type": "string",
    "format": "date-time",
    "pattern": "(?:[Zz]|[+-](?:0[0-9]|1[0-5]):[0-5][0-9])$",
}


def _query(name, description, schema=None):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema or TEXT,
    }


PAGINATION_PARAMS = [
    _query("cursor", "Opaque cursor from `next_cursor` of the previous page. Empty: the first."),
    _query("limit", "Items per page.", {"type": "integer", "minimum": 1, "maximum": 100}),
]
FORMAT_PARAM = _query(
    "format",
    "ninjs version of each item (default ninjs-2.2).",
    {"type": "string", "enum": list(FORMATS), "default": "ninjs-2.2"},
)
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before the next request.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}
ERRORS = {
    "400": _error(
        "Bad parameter; the message says which and why. Also a locale outside the station's "
        "languages, a channel or topic that does not exist, a cursor this API did not give out."
    ),
    "401": {
        **_error("Missing, wrong, expired or revoked token."),
        "headers": {
            "WWW-Authenticate": {"required": True, "schema": {"type": "string"}},
        },
    },
    "429": {
        **_error(
            "Rate limit reached: per token, or per client address for requests without a "
            "valid token."
        ),
        "headers": RETRY_AFTER,
    },
}


def _page_of(ref):
    return {
        "type": "object",
        "required": ["items", "next_cursor", "next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": ref}},
            "next_cursor": {"type": ["string", "null"]},
            "next": {"type": ["string", "null"], "format": "uri"},
        },
    }


def _ok(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def openapi_schema(server_url):
    schema = _core_schema(server_url)
    for describe in EXTENSIONS:
        extension = describe()
        schema["paths"].update(extension.get("paths", {}))
        schema["components"]["schemas"].update(extension.get("schemas", {}))
    return schema


def _core_schema(server_url):
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "侨音 Qiaoyin station API",
            "version": API_VERSION,
            "description": (
                "Pull articles for an overseas liaison station's subscription in IPTC ninjs, "
                "and read the station's own delivery log. Authenticate with "
                "`Authorization: Bearer <token>`. Rate limit per token: "
                f"{settings.STATION_API_RATE}. Lists are ordered oldest change first and "
                "paginated by an opaque cursor that stays stable while articles are published."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"stationToken": []}],
        "paths": {
            "/": {
                "get": {
                    "summary": "The station the token belongs to and its subscription",
                    "operationId": "getStation",
                    "responses": {
                        "200": _ok("The station", {"$ref": "#/components/schemas/Station"}),
                        **ERRORS,
                    },
                }
            },
            "/articles/": {
                "get": {
                    "summary": "Live articles in the station's subscription",
                    "operationId": "listArticles",
                    "parameters": [
                        _query(
                            "locale",
                            "One of the station's languages, e.g. zh-hans, en. Empty: all.",
                        ),
                        _query(
                            "channel",
                            "Channel slug or uri (urn:qiaoyin:channel:<uuid>). Empty: all.",
                        ),
                        _query(
                            "topic", "Topic slug or uri (urn:qiaoyin:topic:<uuid>). Empty: all."
                        ),
                        _query(
                            "country",
                            "ISO 3166 two-letter code, e.g. IT. Empty: all.",
                            {"type": "string", "pattern": "^(?:[A-Za-z]{2})?$"},
                        ),
                        _query(
                            "updated_since",
                            "Only articles published or corrected at or after this moment.",
                            MOMENT,
                        ),
                        FORMAT_PARAM,
                        *PAGINATION_PARAMS,
                    ],
                    "responses": {
                        "200": _ok("A page of ninjs items", _page_of("#/components/schemas/Ninjs")),
                        **ERRORS,
                    },
                }
            },
            "/articles/{uri}": {
                "get": {
                    "summary": "One article by its uri",
                    "operationId": "getArticle",
                    "parameters": [
                        {
                            "name": "uri",
                            "in": "path",
                            "required": True,
                            "description": "The article's stable uri (not its URL).",
                            "schema": TEXT,
                        },
                        FORMAT_PARAM,
                    ],
                    "responses": {
                        "200": _ok("The article", {"$ref": "#/components/schemas/Ninjs"}),
                        "404": _error("Not live, or not in this station's subscription."),
                        **ERRORS,
                    },
                }
            },
            "/deliveries/": {
                "get": {
                    "summary": "The station's delivery log (what was pushed, and how it went)",
                    "operationId": "listDeliveries",
                    "parameters": [
                        _query("state", "Delivery state.", {"enum": list(Delivery.State.values)}),
                        _query("uri", "Only deliveries of this article. Empty: all."),
                        _query(
                            "since",
                            "Only deliveries created at or after this moment.",
                            MOMENT,
                        ),
                        *PAGINATION_PARAMS,
                    ],
                    "responses": {
                        "200": _ok(
                            "A page of deliveries", _page_of("#/components/schemas/Delivery")
                        ),
                        **ERRORS,
                    },
                }
            },
            "/deliveries/{delivery_id}": {
                "get": {
                    "summary": "One delivery by its id (the Idempotency-Key of the push)",
                    "operationId": "getDelivery",
                    "parameters": [
                        {
                            "name": "delivery_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ],
                    "responses": {
                        "200": _ok("The delivery", {"$ref": "#/components/schemas/Delivery"}),
                        "404": _error("No such delivery for this station."),
                        **ERRORS,
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "getOpenApi",
                    "security": [],
                    "responses": {"200": _ok("OpenAPI 3.1 document", {"type": "object"})},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "stationToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A station API token, created in the admin or with "
                    "`manage.py stations token NAME`; shown once.",
                }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
                "Ninjs": {
                    "type": "object",
                    "description": "An IPTC ninjs item; validates against "
                    + " or ".join(SCHEMA_URIS.values()),
                    "required": ["uri", "version", "language"],
                    # ninjs 2.2 spells it pubstatus, ninjs 3.x pubStatus.
                    "anyOf": [{"required": ["pubstatus"]}, {"required": ["pubStatus"]}],
                },
                "Station": {
                    "type": "object",
                    "properties": {
                        "station": {"type": "string"},
                        "country": {"type": ["string", "null"]},
                        "locales": {"type": "array", "items": {"type": "string"}},
                        "subscription": {"type": "object"},
                        "links": {"type": "object"},
                    },
                },
                "Delivery": {
                    "type": "object",
                    "required": ["id", "uri", "version", "event", "state"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "uri": {"type": "string"},
                        "title": {"type": "string"},
                        "version": {"type": "integer"},
                        "event": {
                            "enum": ["article.published", "article.corrected", "article.canceled"]
                        },
                        "state": {"enum": list(Delivery.State.values)},
                        "attempts": {"type": "integer"},
                        "created_at": {"type": "string", "format": "date-time"},
                        "ended_at": {"type": ["string", "null"], "format": "date-time"},
                        "last_status": {"type": ["integer", "null"]},
                        "last_error": {"type": "string"},
                        "destination": {"type": "object"},
                    },
                },
            },
        },
    }
