"""The client's address, as the rate limits (django-ratelimit) and the login throttle
(django-axes) count it.

Behind a reverse proxy every request arrives from the proxy's address, so the proxy names
the client in a header (RATELIMIT_IP_META_KEY, e.g. HTTP_X_REAL_IP). django-ratelimit reads
such a header itself but answers a request without it, or with a value that is no address,
with a server error; here such a request falls back to the connection's address instead.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN_CLIENT = "0.0.0.0"  # noqa: S104 - a bucket name for requests naming no address


def client_ip(request: HttpRequest) -> str:
    header = getattr(settings, "CLIENT_IP_META_KEY", "")
    if header:
        named = _last_address(request.META.get(header, ""))
        if named:
            return named
    return _last_address(request.META.get("REMOTE_ADDR", "")) or UNKNOWN_CLIENT


def _last_address(value):
    """The last valid address of a comma-separated header (X-Forwarded-For lists the hops in
    order; the last one was added by our own proxy, the first ones by whoever sent it)."""
    for candidate in reversed(value.split(",")):
        try:
            return str(ipaddress.ip_address(candidate.strip()))
        except ValueError:
            continue
    return ""
