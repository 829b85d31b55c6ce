from django.conf import settings
from django.http import (
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.http import require_GET

from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from csp.decorators import csp_update

from config.json_views import api_not_found, api_server_error, is_api_request

from . import seo
from .sitemaps import MultilingualSitemap, recent_news


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /reads/",
        f"Sitemap: {seo.absolute_url('/sitemap.xml')}",
        f"Sitemap: {seo.absolute_url('/news-sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
def root_redirect(request):
    """`/` → the language edition that best matches Accept-Language (zh-TW → zh-hant),
    among those with news to read."""
    language = preferred_language(
        request.headers.get("Accept-Language", ""), seo.languages_with_news()
    )
    response = HttpResponseRedirect(f"/{language}/")
    # The page cache keys on Vary, so each Accept-Language gets its own cached redirect.
    patch_vary_headers(response, ["Accept-Language"])
    return response


def preferred_language(accept_language: str, with_news: set[str]) -> str:
    """The reader's first language whose edition has news; else the newsroom's own
    edition, if it has; else (a newsroom with nothing published yet) their first language.
    An Italian reader is not sent to an Italian home with nothing on it."""
    wanted = accepted_languages(accept_language)
    for code in wanted:
        if code in with_news:
            return code
    if settings.LANGUAGE_CODE in with_news or not wanted:
        return settings.LANGUAGE_CODE
    return wanted[0]


def accepted_languages(accept_language: str) -> list[str]:
    """The site's languages the Accept-Language header asks for, best first."""
    wanted = []
    for code, _quality in parse_accept_lang_header(accept_language):
        if code == "*":
            break
        try:
            variant = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if variant not in wanted:
            wanted.append(variant)
    return wanted


@require_GET
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": MultilingualSitemap})


@require_GET
def news_sitemap(request):
    articles = [
        {
            "location": seo.absolute_url(article.get_url(request)),
            "language": seo.news_language(article.locale.language_code),
            "published": article.published,
            "title": article.title,
            "publication": seo.site_name(article.locale.language_code, request),
        }
        for article in recent_news()
    ]
    return render(
        request,
        "website/news_sitemap.xml",
        {"articles": articles},
        content_type="application/xml",
    )


def page_not_found(request, exception=None):
    if is_api_request(request):
        return api_not_found()
    return render(request, "404.html", status=404)


@csp_update({"style-src": ["'unsafe-inline'"]})  # the page carries its own styles inline
def server_error(request):
    """Renders without the database or context processors: they may be what broke."""
    if is_api_request(request):
        return api_server_error()
    language = language_from_path(request.path)
    with translation.override(language):
        html = loader.get_template("500.html").render(
            {"html_lang": seo.bcp47(language), "home_url": f"/{language}/"}
        )
    return HttpResponse(html, status=500)


def language_from_path(path):
    prefix = path.lstrip("/").split("/", 1)[0].lower()
    codes = {code for code, _name in settings.LANGUAGES}
    return prefix if prefix in codes else settings.LANGUAGE_CODE
