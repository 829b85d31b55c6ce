"""Signed webhook: POST JSON with Qiaoyin-Signature, Idempotency-Key and an SSRF guard."""

import hashlib
import hmac
import ipaddress
import socket
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

import requests

from .base import FAIL, RETRY, AttemptResult

PUSH_VERSION = "1.0"


def user_agent():
    return f"Qiaoyin-Push/{PUSH_VERSION} (+{settings.SITE_BASE_URL})"


def sign(secret, timestamp, body):
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` (Stripe's scheme, with the time)."""
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _allow_list():
    names, networks = set(), []
    for entry in settings.STATION_PUSH_ALLOW_HOSTS:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.add(entry.lower())
    return names, networks


def _ip_allowed(ip, networks):
    return any(ip in network for network in networks if network.version == ip.version)


def _is_public(ip):
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def check_url_allowed(url, resolve=True):
    """None if the URL may be called, otherwise why not (a translated message)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return _("Only http(s) URLs with a host are allowed: %(url)s") % {"url": url}
    names, networks = _allow_list()
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    host_listed = host in names or (literal is not None and _ip_allowed(literal, networks))
    if parts.scheme == "http" and not host_listed:
        return _("Plain HTTP is only allowed for allow-listed hosts; use HTTPS: %(url)s") % {
            "url": url
        }
    if host_listed or not resolve:
        return None
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None  # unresolvable: the request fails as a connection error and is retried
    for info in infos:
        ip = ipaddress.ip_address(info[4][0].split("%")[0])
        if not _is_public(ip) and not _ip_allowed(ip, networks):
            return _(
                "Refused: %(host)s resolves to the private, loopback or link-local address "
                "%(ip)s (add it to STATION_PUSH_ALLOW_HOSTS to allow it)"
            ) % {"host": host, "ip": ip}
    return None


def send(destination, body, event, idempotency_key):
    problem = check_url_allowed(destination.url)
    if problem:
        return AttemptResult(FAIL, error=problem)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": user_agent(),
        "Qiaoyin-Event": event,
        "Idempotency-Key": str(idempotency_key),
        "Qiaoyin-Signature": sign(destination.secret, timestamp, body),
    }
    try:
        response = requests.post(
            destination.url,
            data=body,
            headers=headers,
            timeout=(settings.STATION_PUSH_CONNECT_TIMEOUT, settings.STATION_PUSH_READ_TIMEOUT),
            allow_redirects=False,
        )
    except requests.RequestException as error:
        return AttemptResult(RETRY, error=f"{type(error).__name__}: {error}"[:2000])
    return AttemptResult.from_status(
        response.status_code, response.text, response.headers.get("Retry-After")
    )
