"""The reader's search page context (rendered by HomePage.search_view in every locale)."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from django_ratelimit.core import get_usage

from . import service
from .forms import SearchForm, clean_text

# Each search the page runs costs an engine query: limited per client address, as the API is.
RATE_GROUP = "search-page"

KEPT_PARAMETERS = ("q", "channel", "topic", "tag", "country", "year", "from", "to", "sort")


def _link(params, **changes):
    merged = {key: value for key, value in params.items() if key in KEPT_PARAMETERS}
    for key, value in changes.items():
        if value in (None, ""):
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode(merged)


def _results_on_a_page_that_exists(arguments):
    """A page past the end (page=99 of 3) shows the last page, and says so: never "23 found"
    beside "nothing found". The API keeps answering such a page with no hits (clients page
    until the hits run out)."""
    results = service.search(service.build_query(**arguments))
    if results.total and results.query.page > results.num_pages:
        results = service.search(service.build_query(**{**arguments, "page": results.num_pages}))
    return results


def search_page_context(request: HttpRequest, locale: str) -> tuple[dict, int]:
    """Context for website/pages/search_page.html, and the HTTP status to answer with."""
    params = request.GET.dict()
    params.pop("locale", None)
    form = SearchForm(params, default_locale=locale)
    # Echoed into the page: without the control characters a form field refuses (NUL…).
    context = {"search_query": clean_text(params.get("q", ""))[:200], "search_form": form}
    usage = get_usage(
        request, group=RATE_GROUP, key="ip", rate=settings.SEARCH_API_RATE, increment=True
    )
    if usage and usage["should_limit"]:
        context["search_error"] = _(
            "Too many searches from your address; please try again in %(seconds)s seconds."
        ) % {"seconds": max(1, usage["time_left"])}
        return context, 429
    if not form.is_valid():
        context["search_error"] = clean_text(form.error_message())
        return context, 400
    arguments = form.query_arguments()
    arguments["locale"] = locale
    try:
        results = _results_on_a_page_that_exists(arguments)
    except service.SearchUnavailable:
        context["search_error"] = _("Search is unavailable, please retry shortly.")
        return context, 503
    page = results.query.page
    if page != arguments.get("page", 1):
        context["past_the_end"] = arguments["page"]
    for name, values in results.facets.items():
        for value in values:
            toggled = None if value["selected"] else value["value"]
            value["link"] = _link(params, **{name: toggled, "page": None})
    context.update(
        {
            "search_query": results.query.text,
            "results": results,
            "sort": results.query.sort,
            "sort_links": {
                sort: _link(params, sort=sort, page=None) for sort in ("relevance", "newest")
            },
            "did_you_mean_link": _link(params, q=results.did_you_mean, page=None)
            if results.did_you_mean
            else "",
            "previous_link": _link(params, page=page - 1) if page > 1 else "",
            "next_link": _link(params, page=page + 1) if page < results.num_pages else "",
            "active_filters": results.query.filters,
        }
    )
    return context, 200
