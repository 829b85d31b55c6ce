"""What the website answers through Wagtail's hooks."""

from wagtail import hooks

from config import providers

from . import fragments


@hooks.register("is_response_cacheable")
def only_complete_pages_are_cached(response, is_cacheable):
    """wagtail-cache also keeps 301, 302, 304 and 404 answers: a 304 (an empty body, the
    answer to one client's conditional request) or a 206 would then be every later
    reader's answer. Only complete 200 responses are kept."""
    if response.status_code != 200 or response.has_header("Content-Range"):
        return False
    return None


# What media uses of the shared fragments (config/providers.py: it may not import them).
hooks.register(providers.SHARED_HTML, fragments.cached)
