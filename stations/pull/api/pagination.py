"""Keyset cursor pagination over (last_published_at, pk), oldest change first.

Written by hand rather than with DRF's CursorPagination: that one breaks ties on the
timestamp with an offset, which can skip or repeat items when several articles share a
timestamp; a (timestamp, id) keyset cannot. New publishes sort after every cursor, so a
walk in progress is stable under inserts and a republished article reappears at the end
with its new version. The cursor is signed: opaque to stations and tamper-evident.
"""

from django.core import signing
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .errors import bad_request

CURSOR_SALT = "stations.api.cursor"


def encode_cursor(moment, pk):
    return signing.dumps([moment.isoformat(), pk], salt=CURSOR_SALT, compress=True)


def decode_cursor(cursor):
    try:
        moment, pk = signing.loads(cursor, salt=CURSOR_SALT)
        moment = parse_datetime(moment)
        if moment is None or not isinstance(pk, int):
            raise ValueError
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise bad_request(_("The cursor is not one this API gave out.")) from error
    return moment, pk


def page_after(queryset, field, cursor, limit):
    """One page of `queryset` ordered by (field, pk) after `cursor`, and the next cursor."""
    queryset = queryset.order_by(field, "pk")
    if cursor:
        moment, pk = decode_cursor(cursor)
        queryset = queryset.filter(
            Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk})
        )
    rows = list(queryset[: limit + 1])
    items, more = rows[:limit], len(rows) > limit
    next_cursor = encode_cursor(getattr(items[-1], field), items[-1].pk) if more else None
    return items, next_cursor
