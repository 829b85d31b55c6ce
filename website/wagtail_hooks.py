"""Before a page is served: answer from the cached frame what Wagtail would query for."""

from wagtail import hooks
from wagtail.models import Locale, Page, PageViewRestriction

from config import providers

from . import frame


@hooks.register("before_serve_page")
def use_cached_locale_and_restrictions(page, request, serve_args, serve_kwargs):
    _attach_locale(page, request)
    if hasattr(page, "remember_view_restrictions") and frame.is_public(page, request):
        # No restricted ancestor (the list is cached and forgotten whenever a restriction
        # is added or removed): the view-restriction checks need not read them again.
        page.remember_view_restrictions(PageViewRestriction.objects.none())


def _attach_locale(page, request):
    """page.locale without a query: a Locale is only its id and language code."""
    locale_field = Page._meta.get_field("locale")
    if locale_field.is_cached(page):
        return
    code = frame.locale_codes(request).get(page.locale_id)
    if code is not None:
        locale = Locale.from_db(
            page._state.db or "default", ["id", "language_code"], [page.locale_id, code]
        )
        locale_field.set_cached_value(page, locale)


@hooks.register("is_response_cacheable")
def only_complete_pages_are_cached(response, is_cacheable):
    """wagtail-cache also keeps 301, 302, 304 and 404 answers: a 304 (an empty body, the
    answer to one client's conditional request) or a 206 would then be every later
    reader's answer. Only complete 200 responses are kept."""
    if response.status_code != 200 or response.has_header("Content-Range"):
        return False
    return None


# What cms and media use of the site frame (config/providers.py: they may not import it).
hooks.register(providers.ARTICLE_CARDS, frame.article_cards)
hooks.register(providers.NAV_CHANNEL, frame.nav_channel)
hooks.register(providers.SHARED_OBJECTS, frame.shared_objects)
hooks.register(providers.SHARED_HTML, frame.shared_html)
