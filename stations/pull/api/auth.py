"""Bearer-token authentication and rate limiting for the station API."""

import hashlib
from functools import wraps

from django.conf import settings
from django.utils.translation import gettext as _

from django_ratelimit.core import get_usage

from config.json_views import json_get_only
from stations.models import StationToken
from stations.signals import content_pulled

from .errors import ApiError

RATE_GROUP = "stations-api"
AUTH_CHALLENGE = 'Bearer realm="qiaoyin-stations"'


def presented_token(request):
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def presented_token_key(group, request):
    """A valid token's budget is its own (hashed, never the secret itself), so a station's
    bursts never slow another."""
    return "token:" + hashlib.sha256(presented_token(request).encode()).hexdigest()


def check_rate(request, token):
    """Per valid token; every other request (no token, a wrong, expired or made-up one) counts
    against its client address (django-ratelimit's "ip" key honours RATELIMIT_IP_META_KEY),
    so inventing tokens never escapes the limit."""
    usage = get_usage(
        request,
        group=RATE_GROUP,
        key=presented_token_key if token is not None else "ip",
        rate=settings.STATION_API_RATE,
        increment=True,
    )
    if usage and usage["should_limit"]:
        raise ApiError(
            429,
            _("Too many requests for this token: at most %(rate)s. Retry after %(seconds)ss.")
            % {"rate": settings.STATION_API_RATE, "seconds": usage["time_left"]},
            headers={"Retry-After": str(max(1, usage["time_left"]))},
        )


def authenticate(request, token):
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


def json_api(view):
    """GET only (config/json_views.py); every ApiError becomes its JSON answer."""

    @json_get_only
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except ApiError as error:
            response = error.response()
        if response.status_code == 404:
            # LocaleMiddleware turns a 404 on an unprefixed path into a redirect to
            # /zh-hans/<path> whenever that path resolves, and Wagtail's catch-all under
            # i18n_patterns resolves almost anything. Judged against a URLconf without
            # language prefixes, the API's 404 stays a 404.
            request.urlconf = "stations.pull.api.root_urls"
        return response

    return wrapper


def station_api(view):
    """Rate limit, authenticate, run (as json_api).

    Answers are private to the station: they must never enter a shared or page cache.
    """

    @json_api
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            token = StationToken.authenticate(presented_token(request))
            check_rate(request, token)
            request.station = authenticate(request, token)
            content_pulled.send(sender=view, station=request.station, token=token)
            response = view(request, *args, **kwargs)
        except ApiError as error:
            response = error.response()
        response["Cache-Control"] = "private, no-store"
        response["Vary"] = "Authorization"
        return response

    return wrapper
