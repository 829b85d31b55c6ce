"""Signed webhook: POST JSON with Qiaoyin-Signature, Idempotency-Key and an SSRF guard
(ssrf.py: the host is resolved once and the POST goes to an address that passed it)."""

import hashlib
import hmac
import time

from django.conf import settings

import requests

from .base import FAIL, RETRY, AttemptResult
from .ssrf import Refused, Unresolvable, ca_bundle, check_url_allowed, kept_session, vet

__all__ = ["check_url_allowed", "send", "sign", "user_agent"]  # the guard's check, for forms

PUSH_VERSION = "1.0"


def user_agent():
    return f"Qiaoyin-Push/{PUSH_VERSION} (+{settings.SITE_BASE_URL})"


def sign(secret, timestamp, body):
    """`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` (Stripe's scheme, with the time)."""
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def send(destination, body, event, idempotency_key):
    try:
        target = vet(destination.url)
    except Refused as refusal:
        return AttemptResult(FAIL, error=str(refusal))
    except Unresolvable as error:
        return AttemptResult(RETRY, error=f"DNS lookup failed: {error}"[:2000])
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": user_agent(),
        "Qiaoyin-Event": event,
        "Idempotency-Key": str(idempotency_key),
        "Qiaoyin-Signature": sign(destination.secret, timestamp, body),
    }
    try:
        response = kept_session(target).post(
            target.url,
            data=body,
            headers=headers,
            timeout=(settings.STATION_PUSH_CONNECT_TIMEOUT, settings.STATION_PUSH_READ_TIMEOUT),
            allow_redirects=False,  # a redirect's host was never vetted
            verify=ca_bundle(),
        )
    except requests.RequestException as error:
        return AttemptResult(RETRY, error=f"{type(error).__name__}: {error}"[:2000])
    return AttemptResult.from_status(
        response.status_code, response.text, response.headers.get("Retry-After")
    )
