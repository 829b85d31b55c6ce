"""POST /api/stations/v1/reach/: a station reports the reach of its republished copies.

Authenticated and rate-limited as the rest of the station API (its token, its budget).
Idempotent per (station, uri, day, channel): a resend replaces the figures. A report whose
`as_of` is older than the figures stored for the same key is a replay and is refused (409),
so a captured old request cannot roll newer figures back. The whole batch is checked before
anything is written: one bad item refuses the request and changes nothing.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from cms.models import ArticlePage
from stations.models import DistributedArticle, StationToken
from stations.pull.api.auth import authenticate, check_rate, presented_token
from stations.pull.api.errors import ApiError, bad_request

from .models import StationReport

MAX_BODY_BYTES = 1024 * 1024
MAX_COUNT = 10**9
ITEM_FIELDS = {"uri", "day", "channel", "account", "views", "shares", "as_of"}


def report_view(request):
    try:
        response = _report(request)
    except ApiError as error:
        response = error.response()
    response["Cache-Control"] = "private, no-store"
    response["Vary"] = "Authorization"
    return response


report_view = csrf_exempt(report_view)  # a token, not a cookie, authenticates the station


def _report(request):
    if request.method != "POST":
        error = ApiError(
            405,
            _("Method %(method)s is not allowed here; this endpoint only answers POST.")
            % {"method": request.method},
            headers={"Allow": "POST"},
        )
        raise error
    token = StationToken.authenticate(presented_token(request))
    check_rate(request, token)
    station = authenticate(request, token)
    items = parse_body(request)
    checked = [check_item(number, item) for number, item in enumerate(items)]
    duplicates = _duplicate_keys(checked)
    if duplicates:
        raise bad_request(
            _("reports: %(keys)s appear more than once; send each uri, day and channel once.")
            % {"keys": ", ".join(duplicates)}
        )
    pages = known_articles(checked)
    unknown = [item["uri"] for item in checked if item["uri"] not in pages]
    if unknown:
        raise bad_request(
            _("uri: no article of ours has the uri %(uris)s.") % {"uris": ", ".join(unknown[:5])}
        )
    created, replaced = save(station, checked, pages)
    return JsonResponse(
        {"received": len(checked), "created": created, "replaced": replaced},
        status=200,
    )


def parse_body(request):
    if int(request.headers.get("Content-Length") or 0) > MAX_BODY_BYTES:
        raise ApiError(
            413,
            _("The report is larger than %(kb)s KB; send it in parts.")
            % {"kb": MAX_BODY_BYTES // 1024},
        )
    if request.content_type != "application/json":
        raise ApiError(415, _("Send the report as JSON (Content-Type: application/json)."))
    if len(request.body) > MAX_BODY_BYTES:
        raise ApiError(
            413,
            _("The report is larger than %(kb)s KB; send it in parts.")
            % {"kb": MAX_BODY_BYTES // 1024},
        )
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request(_("The body is not valid JSON.")) from error
    items = body.get("reports") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise bad_request(_('reports: give a non-empty list: {"reports": [...]}.'))
    if len(items) > settings.REACH_REPORT_MAX_ITEMS:
        raise bad_request(
            _("reports: at most %(max)s items per request; send the rest in another.")
            % {"max": settings.REACH_REPORT_MAX_ITEMS}
        )
    return items


def _field_error(number, name, message):
    return bad_request(f"reports[{number}].{name}: {message}")


def _count(number, item, name):
    value = item.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise _field_error(number, name, _("a whole number from 0 to 1000000000."))
    return value


def check_item(number, item):
    if not isinstance(item, dict):
        raise bad_request(_("reports[%(n)s]: each report is an object.") % {"n": number})
    unknown = sorted(set(item) - ITEM_FIELDS)
    if unknown:
        raise _field_error(number, unknown[0], _("unknown field."))
    uri = item.get("uri")
    if not isinstance(uri, str) or not 0 < len(uri) <= 255 or "\x00" in uri:
        raise _field_error(number, "uri", _("the article's uri, as the API and pushes give it."))
    channel = item.get("channel")
    if channel not in StationReport.Channel.values:
        raise _field_error(
            number,
            "channel",
            _("one of %(channels)s.") % {"channels": ", ".join(StationReport.Channel.values)},
        )
    account = item.get("account", "")
    if not isinstance(account, str) or len(account) > 100 or "\x00" in account:
        raise _field_error(number, "account", _("text of at most 100 characters."))
    return {
        "uri": uri,
        "day": _day(number, item),
        "channel": channel,
        "account": account,
        "views": _count(number, item, "views"),
        "shares": _count(number, item, "shares"),
        "as_of": _as_of(number, item),
    }


def _day(number, item):
    raw = item.get("day")
    try:
        day = parse_date(raw) if isinstance(raw, str) else None
    except ValueError:
        day = None
    if day is None:
        raise _field_error(number, "day", _("a date, YYYY-MM-DD."))
    today = timezone.localdate()
    oldest = today - timedelta(days=settings.REACH_REPORT_MAX_AGE_DAYS)
    if not oldest <= day <= today + timedelta(days=1):
        raise _field_error(
            number,
            "day",
            _("must lie between %(oldest)s and today.") % {"oldest": oldest.isoformat()},
        )
    return day


def _as_of(number, item):
    raw = item.get("as_of")
    if raw is None:
        return timezone.now()
    try:
        moment = parse_datetime(raw) if isinstance(raw, str) else None
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise _field_error(
            number, "as_of", _("a date-time with its offset, e.g. 2026-01-31T08:00:00Z.")
        )
    if moment > timezone.now() + timedelta(minutes=5):
        raise _field_error(number, "as_of", _("lies in the future."))
    return moment


def _duplicate_keys(items):
    seen, duplicates = set(), []
    for item in items:
        key = (item["uri"], item["day"], item["channel"])
        if key in seen:
            duplicates.append(f"{item['uri']} {item['day']} {item['channel']}")
        seen.add(key)
    return duplicates


def known_articles(items):
    """{uri: page id or None} of the uris that name an article (pages, or the ledger's
    imported and deleted ones)."""
    uris = {item["uri"] for item in items}
    pages = dict(ArticlePage.objects.filter(uri__in=uris).values_list("uri", "pk"))
    for uri in DistributedArticle.objects.filter(uri__in=uris).values_list("uri", flat=True):
        pages.setdefault(uri, None)
    return pages


def save(station, items, pages):
    with transaction.atomic():
        stored = {
            (row.uri, row.day, row.channel): row
            for row in StationReport.objects.select_for_update().filter(
                station=station, uri__in=[item["uri"] for item in items]
            )
        }
        replays = [
            item
            for item in items
            if (key := (item["uri"], item["day"], item["channel"])) in stored
            and stored[key].as_of > item["as_of"]
        ]
        if replays:
            raise ApiError(
                409,
                _(
                    "reports: newer figures are already stored for %(key)s (as_of %(stored)s); "
                    "an older report cannot replace them."
                )
                % {
                    "key": f"{replays[0]['uri']} {replays[0]['day']} {replays[0]['channel']}",
                    "stored": stored[
                        (replays[0]["uri"], replays[0]["day"], replays[0]["channel"])
                    ].as_of.isoformat(),
                },
            )
        created = replaced = 0
        for item in items:
            key = (item["uri"], item["day"], item["channel"])
            fields = {
                "page_id": pages[item["uri"]],
                "account": item["account"],
                "views": item["views"],
                "shares": item["shares"],
                "as_of": item["as_of"],
                "received_at": timezone.now(),
            }
            if key in stored:
                StationReport.objects.filter(pk=stored[key].pk).update(**fields)
                replaced += 1
            else:
                StationReport.objects.create(
                    station=station, uri=key[0], day=key[1], channel=key[2], **fields
                )
                created += 1
    return created, replaced
