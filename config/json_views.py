"""What every JSON API of the site shares: GET (and HEAD) only, any other method a JSON 405;
errors raised outside the APIs' own views (a path no route matches) answered in JSON too."""

from functools import wraps

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

ALLOWED_METHODS = ("GET", "HEAD")
API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    return request.path.startswith(API_PREFIX)


def api_not_found() -> JsonResponse:
    # e.g. /api/stations/v1/articles/%0A: no route matches, so no API view could answer
    return JsonResponse({"error": _("Nothing is published at this address.")}, status=404)


def api_server_error() -> JsonResponse:
    message = _("The server could not answer this request; try again later.")
    return JsonResponse({"error": message}, status=500)


def json_get_only(view):
    """Any other method gets a JSON 405 naming what is allowed (Allow header and message).

    Exempt from CSRF: these views read no cookie and change nothing, and without the
    exemption a POST would get Django's HTML 403 page instead of the API's 405.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ALLOWED_METHODS:
            message = _("Method %(method)s is not allowed here; this API only answers GET.") % {
                "method": request.method
            }
            response = JsonResponse({"error": message}, status=405)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        return view(request, *args, **kwargs)

    return wrapper
