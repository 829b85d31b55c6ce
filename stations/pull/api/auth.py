"""Bearer-token authentication and per-token rate limiting for the station API."""

import hashlib
from functools import wraps

from django.conf import settings
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from django_ratelimit.core import get_usage

from stations.models import StationToken

from .errors import ApiError

RATE_GROUP = "stations-api"
AUTH_CHALLENGE = 'Bearer realm="qiaoyin-stations"'


def presented_token(request):
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def rate_key(group, request):
    """Per presented token (hashed, never the secret itself), so a station's bursts never slow
    another; requests without a token share their client address's budget."""
    token = presented_token(request)
    if token:
        return "token:" + hashlib.sha256(token.encode()).hexdigest()
    return "ip:" + request.META.get("REMOTE_ADDR", "")


def check_rate(request):
    usage = get_usage(
        request, group=RATE_GROUP, key=rate_key, rate=settings.STATION_API_RATE, increment=True
    )
    if usage and usage["should_limit"]:
        raise ApiError(
            429,
            _("Too many requests for this token: at most %(rate)s. Retry after %(seconds)ss.")
            % {"rate": settings.STATION_API_RATE, "seconds": usage["time_left"]},
            headers={"Retry-After": str(max(1, usage["time_left"]))},
        )


def authenticate(request):
    token = StationToken.authenticate(presented_token(request))
    if token is None:
        raise ApiError(
            401,
            _(
                "A valid station token is required: Authorization: Bearer <token>. "
                "The token given is missing, wrong, expired or revoked."
            ),
            headers={"WWW-Authenticate": f'{AUTH_CHALLENGE}, error="invalid_token"'},
        )
    return token.station


def station_api(view):
    """Rate limit, authenticate, run; every ApiError becomes its JSON answer.

    Answers are private to the station: they must never enter a shared or page cache.
    """

    @require_GET
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            check_rate(request)
            request.station = authenticate(request)
            response = view(request, *args, **kwargs)
        except ApiError as error:
            response = error.response()
        if response.status_code == 404:
            # LocaleMiddleware turns a 404 on an unprefixed path into a redirect to
            # /zh-hans/<path> whenever that path resolves, and Wagtail's catch-all under
            # i18n_patterns resolves almost anything. Judged against a URLconf without
            # language prefixes, the API's 404 stays a 404.
            request.urlconf = "stations.pull.api.root_urls"
        response["Cache-Control"] = "private, no-store"
        response["Vary"] = "Authorization"
        return response

    return wrapper
