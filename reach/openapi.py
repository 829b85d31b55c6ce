"""The reach report endpoint in the station API's OpenAPI document."""

from django.conf import settings

from stations.pull.api.openapi import ERRORS, _error, _ok, register_extension

from .models import StationReport


def describe():
    return {
        "paths": {
            "/reach/": {
                "post": {
                    "summary": "Report the reach of the station's republished copies",
                    "description": (
                        "Views and shares per article uri, day and channel (the station's "
                        "site, a WeChat or Weibo account, a print run…). Idempotent per "
                        "(station, uri, day, channel): sending a key again replaces its "
                        "figures. A report older (as_of) than the figures stored for its key "
                        "is refused with 409. The batch is all or nothing."
                    ),
                    "operationId": "reportReach",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ReachReport"}
                            }
                        },
                    },
                    "responses": {
                        "200": _ok(
                            "The reports were stored",
                            {"$ref": "#/components/schemas/ReachReceipt"},
                        ),
                        "409": _error("A newer report is already stored for one of the keys."),
                        "413": _error("A body larger than 1 MB."),
                        "415": _error("The body is not JSON."),
                        **ERRORS,
                        "400": _error(
                            "Bad report; the message names the item and field. Also a uri "
                            "that names no article of ours, a day outside the window, or "
                            "more items than one request may carry."
                        ),
                    },
                }
            }
        },
        "schemas": {
            "ReachReport": {
                "type": "object",
                "required": ["reports"],
                "additionalProperties": False,
                "properties": {
                    "reports": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": settings.REACH_REPORT_MAX_ITEMS,
                        "items": {"$ref": "#/components/schemas/ReachItem"},
                    }
                },
            },
            "ReachItem": {
                "type": "object",
                "required": ["uri", "day", "channel"],
                "additionalProperties": False,
                "properties": {
                    "uri": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": 255,
                        "pattern": "^[^\\x00]*$",
                        "description": "The article's uri (urn:qiaoyin:article:…).",
                    },
                    "day": {
                        "type": "string",
                        "format": "date",
                        "description": "The day the figures count (station's calendar).",
                    },
                    "channel": {"enum": list(StationReport.Channel.values)},
                    "account": {
                        "type": "string",
                        "maxLength": 100,
                        "pattern": "^[^\\x00]*$",
                        "description": "The account or title: a WeChat account, a newspaper.",
                    },
                    "views": {"type": "integer", "minimum": 0, "maximum": 1000000000},
                    "shares": {"type": "integer", "minimum": 0, "maximum": 1000000000},
                    "as_of": {
                        "type": "string",
                        "format": "date-time",
                        "description": "When the figures were measured (default: now).",
                    },
                },
            },
            "ReachReceipt": {
                "type": "object",
                "required": ["received", "created", "replaced"],
                "properties": {
                    "received": {"type": "integer"},
                    "created": {"type": "integer"},
                    "replaced": {"type": "integer"},
                },
            },
        },
    }


def register():
    register_extension(describe)
