"""What a transport tells the delivery state machine after one attempt."""

from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from django.utils import timezone

DELIVERED = "delivered"
RETRY = "retry"
FAIL = "fail"

# Transient by nature: the same request may succeed later (RFC 9110 / 6585 / 8470).
RETRYABLE_STATUSES = {408, 425, 429}
MAX_RECORDED_RESPONSE = 2000


@dataclass
class AttemptResult:
    outcome: str
    status: int | None = None
    error: str = ""
    retry_after: float | None = None  # seconds, from the receiver's Retry-After

    @classmethod
    def from_status(cls, status, body="", retry_after_header=None):
        if 200 <= status < 300:
            return cls(DELIVERED, status)
        error = f"HTTP {status}: {body[:MAX_RECORDED_RESPONSE]}".strip()
        if status in RETRYABLE_STATUSES or status >= 500:
            return cls(RETRY, status, error, parse_retry_after(retry_after_header))
        if 300 <= status < 400:
            return cls(FAIL, status, f"HTTP {status}: redirects are not followed")
        return cls(FAIL, status, error)


def parse_retry_after(value):
    """Retry-After is either delay-seconds or an HTTP-date; anything else is ignored."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - timezone.now()).total_seconds())
