"""Signals other apps listen to (reach counts pulls without stations knowing about it)."""

from django.dispatch import Signal

# A station pulled content: sent with station and token (station API) or feed (the feed's
# path; feeds are public, so no station is known). Receivers must not block the request.
content_pulled = Signal()
