"""Django's LocaleMiddleware, minus its redirect of unprefixed URLs that would 404 anyway."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

from wagtail.models import Page
from wagtail.views import serve as wagtail_serve


class LocaleMiddleware(DjangoLocaleMiddleware):
    """An unprefixed 404 (/no-such-page, /api/search/nonexistent) stays a 404, rendered in
    the visitor's language; it is redirected to /<language>/… only when something answers
    there.

    Django redirects when the prefixed path matches a URL pattern, and Wagtail's catch-all
    pattern matches every /<language>/…/ path, so every mistyped or retired address was
    sent on to a second 404 under /zh-hans/. Here a path that only the catch-all matches
    must also route to a live page (Wagtail's own routing, on 404s only).
    """

    def process_response(self, request, response):
        if response.status_code == 404 and not self._answers_with_prefix(request):
            language = translation.get_language()
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", language)
            return response
        return super().process_response(request, response)

    def _answers_with_prefix(self, request):
        if translation.get_language_from_path(request.path_info):
            return True  # already prefixed: Django's handling is right
        language_path = f"/{translation.get_language()}{request.path_info}"
        match = _resolve(language_path)
        if match is None and settings.APPEND_SLASH and not language_path.endswith("/"):
            match = _resolve(language_path + "/")
        if match is None:
            return False
        if match.func is not wagtail_serve:
            # A view of ours under the prefix (feeds…); one that can tell says if it answers.
            answers = getattr(match.func, "answers", None)
            return answers(*match.args, **match.kwargs) if answers else True
        return Page.route_for_request(request, match.args[0] if match.args else "") is not None


def _resolve(path):
    try:
        return resolve(path, get_urlconf())
    except Resolver404:
        return None
