import re

from wagtail import hooks

FEED_PATH = re.compile(r"/feeds/(rss\.xml|atom\.xml|feed\.json)$")
STATION_API_PREFIX = "/api/stations/"


@hooks.register("is_request_cacheable")
def feeds_bypass_page_cache(request, is_cacheable):
    """The page cache would answer before the feed views could send 304s, and it caches a
    304 for every later client. Feeds cache their own bodies by ETag instead (views.py)."""
    if FEED_PATH.search(request.path):
        return False
    # The station API answers per token; the page cache keys on the URL only.
    if request.path.startswith(STATION_API_PREFIX):
        return False
    return None
