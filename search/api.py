"""The public JSON API: /api/search/, /api/search/suggest/ and its OpenAPI schema."""

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from django_ratelimit.core import get_usage

from config.json_views import json_get_only

from . import service
from .forms import SearchForm, clean_text
from .openapi import schema

RATE_GROUP = "search-api"
# The API's typed parameters: given, they must hold a value (the search page's form, unlike
# the API, sends its empty fields and means "not given").
TYPED_PARAMETERS = ("locale", "year", "from", "to", "sort", "page", "page_size")


def _too_many(request):
    """A 429 with Retry-After once this client address is over SEARCH_API_RATE, else None."""
    usage = get_usage(
        request, group=RATE_GROUP, key="ip", rate=settings.SEARCH_API_RATE, increment=True
    )
    if not (usage and usage["should_limit"]):
        return None
    message = _("Too many requests, please retry shortly.")
    response = JsonResponse({"error": str(message)}, status=429)
    response["Retry-After"] = str(max(1, usage["time_left"]))
    return response


def _empty_typed_parameters(request):
    empty = [name for name in TYPED_PARAMETERS if request.GET.get(name, None) == ""]
    if not empty:
        return None
    message = _("These parameters need a value when given: %(names)s.") % {
        "names": ", ".join(empty)
    }
    return JsonResponse(
        {"error": message, "fields": {name: [message] for name in empty}}, status=400
    )


def hit_json(hit):
    return {
        "uri": hit.uri,
        "url": hit.url,
        "title": hit.title,
        "title_html": str(hit.title_html),
        "snippet_html": str(hit.snippet_html),
        "channel": {"slug": hit.channel, "title": hit.channel_title},
        "published_at": _iso(hit.published_at),
        "score": round(hit.score, 6),
    }


def _iso(value):
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def results_json(results):
    query = results.query
    return {
        "query": query.text,
        "locale": query.locale,
        "sort": query.sort,
        "total": results.total,
        "total_capped": results.total_capped,
        "page": query.page,
        "page_size": query.page_size,
        "num_pages": results.num_pages,
        "took_ms": results.took_ms,
        "did_you_mean": results.did_you_mean or None,
        "relaxed": results.relaxed,
        "hits": [hit_json(hit) for hit in results.hits],
        "facets": results.facets,
    }


@json_get_only
def search_api(request):
    # Messages in the language of the edition asked for (the API has no language prefix).
    with translation.override(_requested_language(request)):
        return _search_api(request)


def _requested_language(request):
    locale = request.GET.get("locale", "")
    return locale if locale in dict(settings.LANGUAGES) else translation.get_language()


def _search_api(request):
    refusal = _too_many(request) or _empty_typed_parameters(request)
    if refusal:
        return refusal
    form = SearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.error_message(), "fields": form.errors}, status=400)
    try:
        results = service.search(service.build_query(**form.query_arguments()))
    except service.SearchUnavailable:
        message = _("Search is unavailable, please retry shortly.")
        return JsonResponse({"error": str(message)}, status=503)
    return JsonResponse(results_json(results), json_dumps_params={"ensure_ascii": False})


@json_get_only
def suggest_api(request):
    with translation.override(_requested_language(request)):
        return _suggest_api(request)


def _suggest_api(request):
    refusal = _too_many(request)
    if refusal:
        return refusal
    locale = request.GET.get("locale", "")
    if locale not in dict(settings.LANGUAGES):
        message = _("Unknown locale: choose one of %(codes)s.") % {
            "codes": ", ".join(code for code, _name in settings.LANGUAGES)
        }
        return JsonResponse({"error": message}, status=400)
    prefix = clean_text(request.GET.get("q", ""))
    suggestions = service.suggest(prefix, locale) if prefix else []
    return JsonResponse(
        {"query": prefix, "suggestions": suggestions}, json_dumps_params={"ensure_ascii": False}
    )


@json_get_only
def openapi_schema(request):
    return JsonResponse(schema(), json_dumps_params={"ensure_ascii": False})
