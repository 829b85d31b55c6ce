"""What the lower apps need from the higher ones, provided through Wagtail's hooks.

The layers point one way (config ← media ← cms ← {search, translations, stations} ← reach ←
website ← demo): cms and media never import search or website. Their pages still use what
only a higher app has — the shared HTML fragments (website), the search page and the
search engine's related articles (search). The higher app registers its function under one
of these hook names in its wagtail_hooks.py; the lower app calls `provided(NAME)(...)`.
One provider per name: the last registered wins (a project can replace one).
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from wagtail import hooks

# (parts, build, request) -> HTML shared by every page that shows it; build() -> (html, keep)
SHARED_HTML = "qiaoyin_shared_html"
# (request, language_code) -> (context, status) of the search results page
SEARCH_PAGE_CONTEXT = "qiaoyin_search_page_context"
# (page_id, language_code, limit) -> ids of the articles most like it, best first
MORE_LIKE_THIS = "qiaoyin_more_like_this"


def provided(name: str) -> Callable:
    functions = hooks.get_hooks(name)
    if not functions:
        raise ImproperlyConfigured(f"No installed app provides {name!r} (see config/providers.py).")
    return functions[-1]
