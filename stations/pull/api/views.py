"""Station API v1 views. Every answer is JSON; every bad input is a 4xx with a message."""

import json
import re
import uuid
from datetime import UTC, datetime, time, timedelta

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cms.models import ChannelPage, TopicPage
from config.identifiers import urn_prefix
from stations.formatters.ninjs import DEFAULT_FORMAT, FORMATS, format_article
from stations.models import Delivery, DistributedArticle, FormattedPayload

from .auth import json_api, station_api
from .errors import bad_request, not_found
from .openapi import openapi_schema
from .pagination import page_after
from .subscription import articles_in_topics, channel_paths, subscribed_articles, under_any

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
ARTICLE_PARAMS = {
    "locale",
    "channel",
    "topic",
    "country",
    "updated_since",
    "cursor",
    "limit",
    "format",
}
DELIVERY_PARAMS = {"state", "uri", "since", "cursor", "limit"}
COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")
CHANNEL_URN = urn_prefix("channel")
TOPIC_URN = urn_prefix("topic")
WHOLE_NUMBER = re.compile(r"[0-9]+", re.ASCII)
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)
NUL = "\x00"


# --- parameters -------------------------------------------------------------------------


def check_params(request, allowed):
    unknown = sorted(set(request.GET) - allowed)
    if unknown:
        raise bad_request(
            _("Unknown parameter(s): %(names)s. Allowed: %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(sorted(allowed)) or "-"}
        )
    for name, values in request.GET.lists():
        if any(NUL in value for value in values):
            raise bad_request(nul_message(name))


def nul_message(name):
    # PostgreSQL cannot store or compare text holding NUL: such a value matches nothing.
    return _("%(name)s must not contain a NUL character (%%00).") % {"name": name}


def text_param(request, name):
    """A text filter, None when absent or empty (clients often send every field of a form)."""
    return request.GET.get(name) or None


def limit_param(request):
    raw = request.GET.get("limit", str(DEFAULT_LIMIT))
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if not WHOLE_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise bad_request(_("limit must be a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT})
    return int(raw)


def format_param(request):
    fmt = request.GET.get("format", DEFAULT_FORMAT)
    if fmt not in FORMATS:
        raise bad_request(_("format must be one of %(formats)s.") % {"formats": ", ".join(FORMATS)})
    return fmt


def moment_param(request, name):
    """An ISO 8601 date-time (or a date, meaning its midnight UTC); naive means UTC.

    The offset must lie within ±15:59, the range PostgreSQL stores (real offsets lie within
    -12:00…+14:00); the OpenAPI document says so too.
    """
    raw = request.GET.get(name)
    if raw is None:
        return None
    try:
        moment = parse_datetime(raw)
        if moment is None and parse_date(raw) is not None:
            moment = datetime.combine(parse_date(raw), time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise bad_request(
            _("%(name)s must be an ISO 8601 date-time, e.g. 2026-01-31T08:00:00Z.") % {"name": name}
        )
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=UTC)
    if abs(moment.utcoffset()) > MAX_UTC_OFFSET:
        raise bad_request(
            _("%(name)s: the UTC offset must lie between -15:59 and +15:59.") % {"name": name}
        )
    return moment


def filter_by_locale(request, articles):
    code = text_param(request, "locale")
    if code is None:
        return articles
    if code not in request.station.locales:
        raise bad_request(
            _("locale %(code)r is not one of this station's languages: %(locales)s.")
            % {"code": code, "locales": ", ".join(request.station.locales)}
        )
    return articles.filter(locale__language_code=code)


def _translation_keys(model, value, urn_prefix):
    if value.startswith(urn_prefix):
        key = _uuid_or_none(value.removeprefix(urn_prefix))
        if key is None:
            return []  # a translation key is a UUID: nothing else names a page
        pages = model.objects.filter(translation_key=key)
    else:
        pages = model.objects.filter(slug=value)
    return list(pages.values_list("translation_key", flat=True).distinct())


def _uuid_or_none(value):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def filter_by_channel(request, articles):
    value = text_param(request, "channel")
    if value is None:
        return articles
    keys = _translation_keys(ChannelPage, value, CHANNEL_URN)
    if not keys:
        raise bad_request(_("Unknown channel %(value)r: give its slug or uri.") % {"value": value})
    return articles.filter(under_any(channel_paths(keys)))


def filter_by_topic(request, articles):
    value = text_param(request, "topic")
    if value is None:
        return articles
    keys = _translation_keys(TopicPage, value, TOPIC_URN)
    if not keys:
        raise bad_request(_("Unknown topic %(value)r: give its slug or uri.") % {"value": value})
    return articles.filter(pk__in=articles_in_topics(keys))


def filter_by_country(request, articles):
    code = text_param(request, "country")
    if code is None:
        return articles
    if not COUNTRY_CODE.match(code):
        raise bad_request(_("country must be a two-letter ISO 3166 code, e.g. IT."))
    return articles.filter(countries__code=code.upper()).distinct()


def page_response(request, items, next_cursor):
    next_url = None
    if next_cursor:
        query = {**request.GET.dict(), "cursor": next_cursor}
        next_url = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
    return JsonResponse(
        {"items": items, "next_cursor": next_cursor, "next": next_url},
        json_dumps_params={"ensure_ascii": False},
    )


# --- ninjs ------------------------------------------------------------------------------


def ninjs_items(pages, fmt):
    """Each page in ninjs at its current distribution version, reusing the push side's
    stored payload when that version was already formatted (formatted once, not per pull)."""
    ledger = {
        article.uri: article
        for article in DistributedArticle.objects.filter(uri__in=[page.uri for page in pages])
    }
    stored = {
        (payload.article_version.article.uri, payload.article_version.version): payload.body
        for payload in FormattedPayload.objects.filter(
            article_version__article__in=ledger.values(), format=fmt, body__isnull=False
        ).select_related("article_version__article")
    }
    items = []
    for page in pages:
        version = getattr(ledger.get(page.uri), "current_version", 0) or 1
        body = stored.get((page.uri, version))
        items.append(json.loads(body) if body else format_article(page, version=version, fmt=fmt))
    return items


# --- views ------------------------------------------------------------------------------


@station_api
def station_view(request):
    station = request.station
    return JsonResponse(
        {
            "station": station.name,
            "country": station.country.code if station.country else None,
            "locales": station.locales,
            "subscription": {
                "channels": [
                    f"{CHANNEL_URN}{key}"
                    for key in station.filter_channels.values_list("translation_key", flat=True)
                ],
                "topics": [
                    f"{TOPIC_URN}{key}"
                    for key in station.filter_topics.values_list("translation_key", flat=True)
                ],
                "countries": list(station.filter_countries.values_list("code", flat=True)),
            },
            "links": {
                "articles": request.build_absolute_uri(reverse("stations_api:articles")),
                "deliveries": request.build_absolute_uri(reverse("stations_api:deliveries")),
                "openapi": request.build_absolute_uri(reverse("stations_api:openapi")),
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )


@station_api
def articles_view(request):
    check_params(request, ARTICLE_PARAMS)
    fmt = format_param(request)
    limit = limit_param(request)
    articles = subscribed_articles(request.station).select_related("locale", "cover_image")
    for narrow in (filter_by_locale, filter_by_channel, filter_by_topic, filter_by_country):
        articles = narrow(request, articles)
    since = moment_param(request, "updated_since")
    if since is not None:
        # >= rather than >: a station that asks from its newest versioncreated sees that
        # article again rather than missing another published in the same instant.
        articles = articles.filter(last_published_at__gte=since)
    pages, next_cursor = page_after(
        articles, "last_published_at", text_param(request, "cursor"), limit
    )
    return page_response(request, ninjs_items(pages, fmt), next_cursor)


@station_api
def article_view(request, uri):
    check_params(request, {"format"})
    if NUL in uri:
        raise bad_request(nul_message("uri"))
    fmt = format_param(request)
    page = subscribed_articles(request.station).filter(uri=uri).first()
    if page is None:
        raise not_found(_("No article with this uri in this station's subscription."))
    return JsonResponse(ninjs_items([page], fmt)[0], json_dumps_params={"ensure_ascii": False})


def delivery_json(delivery):
    return {
        "id": str(delivery.idempotency_key),
        "uri": delivery.article.uri,
        "title": delivery.article.title,
        "version": delivery.version,
        "event": delivery.event,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "created_at": delivery.created_at.isoformat(),
        "ended_at": delivery.ended_at.isoformat() if delivery.ended_at else None,
        "last_status": delivery.last_status,
        "last_error": delivery.last_error,
        "destination": {
            "transport": delivery.destination.transport,
            "format": delivery.destination.format,
        },
    }


def station_deliveries(station):
    return Delivery.objects.filter(station=station).select_related("article", "destination")


@station_api
def deliveries_view(request):
    check_params(request, DELIVERY_PARAMS)
    limit = limit_param(request)
    deliveries = station_deliveries(request.station)
    state = request.GET.get("state")
    if state is not None:
        if state not in Delivery.State.values:
            raise bad_request(
                _("state must be one of %(states)s.") % {"states": ", ".join(Delivery.State.values)}
            )
        deliveries = deliveries.filter(state=state)
    uri = text_param(request, "uri")
    if uri is not None:
        deliveries = deliveries.filter(article__uri=uri)
    since = moment_param(request, "since")
    if since is not None:
        deliveries = deliveries.filter(created_at__gte=since)
    rows, next_cursor = page_after(deliveries, "created_at", text_param(request, "cursor"), limit)
    return page_response(request, [delivery_json(row) for row in rows], next_cursor)


@station_api
def delivery_view(request, delivery_id):
    check_params(request, set())
    # Matched as any string, so that a malformed id gets the API's JSON 404, not the site's page.
    key = _uuid_or_none(delivery_id)
    delivery = key and station_deliveries(request.station).filter(idempotency_key=key).first()
    if delivery is None:
        raise not_found(_("No delivery with this id for this station."))
    return JsonResponse(delivery_json(delivery), json_dumps_params={"ensure_ascii": False})


@json_api
def unknown_path_view(request, path):
    raise not_found(
        _("No such endpoint in the station API; see %(url)s.")
        % {"url": request.build_absolute_uri(reverse("stations_api:openapi"))}
    )


@json_api
def openapi_view(request):
    """Public: the schema holds no station data, and clients fetch it before they have a token."""
    base = request.build_absolute_uri(reverse("stations_api:station"))
    return JsonResponse(openapi_schema(base.rstrip("/")), json_dumps_params={"ensure_ascii": False})
