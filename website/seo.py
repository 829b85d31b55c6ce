"""SEO helpers: hreflang alternates, canonical links, Open Graph and NewsArticle JSON-LD.

Absolute URLs always start with settings.SITE_BASE_URL (the public origin, config/links.py),
never with the Host header or Wagtail's Site hostname, so canonical links, hreflang sets and
sitemaps agree. Language tags are BCP 47 (config/identifiers.py).
"""

import json

from django.conf import settings
from django.http import HttpRequest
from django.utils.encoding import iri_to_uri
from django.utils.safestring import SafeString, mark_safe

from wagtail.images.models import SourceImageIOError
from wagtail.models import Locale, Page

from cms.models import TRANSLATION_FIELDS, ArticlePage, Author, HomePage
from config.identifiers import bcp47
from config.links import absolute_url

from . import fragments

# Open Graph wants language_TERRITORY; Google News wants ISO 639 with zh-cn / zh-tw for Chinese.
OG_LOCALES = {
    "zh-hans": "zh_CN",
    "zh-hant": "zh_TW",
    "en": "en_US",
    "it": "it_IT",
    "es": "es_ES",
    "fr": "fr_FR",
    "pt": "pt_PT",
    "de": "de_DE",
}
NEWS_LANGUAGES = {"zh-hans": "zh-cn", "zh-hant": "zh-tw"}
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def og_locale(language_code: str) -> str:
    return OG_LOCALES.get(language_code, language_code.replace("-", "_"))


def news_language(language_code: str) -> str:
    return NEWS_LANGUAGES.get(language_code, language_code)


def language_order(code: str) -> int:
    codes = [code for code, _name in settings.LANGUAGES]
    return codes.index(code) if code in codes else len(codes)


def live_translations(page: Page, request: HttpRequest | None = None) -> list[Page]:
    """Every live, public language version of `page` (itself included), in LANGUAGES order."""
    versions = (
        Page.objects.filter(translation_key=page.translation_key)
        .live()
        .public()
        .select_related("locale")
        .only(*TRANSLATION_FIELDS)
    )
    return sorted(versions, key=lambda p: language_order(p.locale.language_code))


def languages_with_news() -> set[str]:
    """The language codes whose edition has at least one live article."""
    live = ArticlePage.objects.live().values_list("locale__language_code", flat=True)
    return set(live.distinct().order_by())


def live_homes(request: HttpRequest | None = None) -> dict[str, HomePage]:
    """{language_code: HomePage} of every live edition."""
    homes = HomePage.objects.live().select_related("locale").order_by("path")
    return {home.locale.language_code: home for home in homes}


def home_for(locale_or_code, request: HttpRequest | None = None) -> HomePage | None:
    code = locale_or_code if isinstance(locale_or_code, str) else locale_or_code.language_code
    return HomePage.objects.live().filter(locale__language_code=code).order_by("path").first()


def language_of(locale_id: int, request: HttpRequest | None = None) -> str | None:
    """The language code of a locale id (one cache read, the locale table on a miss)."""
    return locale_codes(request).get(locale_id)


def locale_codes(request: HttpRequest | None = None) -> dict[int, str]:
    """{locale id: language code} of every Locale."""
    return fragments.cached(
        ("locale-codes",),
        lambda: (dict(Locale.objects.values_list("id", "language_code")), True),
        request,
    )


def _sub_route(request):
    """The resolver match of a tag / author / search route, None on a plain page."""
    match = getattr(request, "routable_resolver_match", None)
    if match is None or match.url_name == "index_route":
        return None
    return match


def _route_translation(page, home, request):
    """The URL of the same tag / author / search route on another language's home."""
    match = _sub_route(request)
    home = home.specific
    kwargs = dict(match.kwargs)
    if match.url_name == "author":
        source = Author.objects.filter(slug=kwargs["author_slug"], locale_id=page.locale_id).first()
        author = source and source.get_translation_or_none(home.locale)
        if author is None:
            return None
        kwargs["author_slug"] = author.slug
    return home.get_url(request) + home.reverse_subpage(match.url_name, kwargs=kwargs)


def alternates(page: Page | None, request: HttpRequest | None) -> list[tuple[str, str]]:
    """[(language_code, absolute URL)] for every live translation, then ("x-default", …).

    Every member of a translation set gets the same list, so hreflang is reciprocal.
    x-default is the zh-hans version, or the first language that has one.
    """
    if page is None:
        return []
    # Kept under the fragment version (publishing a translation bumps it): the head and
    # the language switcher both need the set, on every page of the translation set.
    route = request.path if _sub_route(request) is not None else ""
    return fragments.cached(
        ("alternates", page.pk, route), lambda: (_alternates(page, request), True), request
    )


def _alternates(page, request):
    on_route = _sub_route(request) is not None
    result = []
    for translation in live_translations(page, request):
        if on_route:
            url = _route_translation(page, translation, request)
        else:
            url = translation.get_url(request)
        if url:
            result.append((language_of(translation.locale_id, request), absolute_url(url)))
    if result:
        codes = dict(result)
        default = codes.get(settings.LANGUAGE_CODE, result[0][1])
        result.append(("x-default", default))
    return result


def canonical_url(page: Page | None, request: HttpRequest) -> str:
    if page is None or _sub_route(request) is not None:
        # Routes (tags, authors, search): the path without its query string, encoded
        # the way reverse() encodes the hreflang URLs so the two agree.
        return absolute_url(iri_to_uri(request.path))
    return absolute_url(page.get_url(request))


def image_url(image, spec: str = "fill-1200x630", request: HttpRequest | None = None) -> str:
    """The absolute URL of a rendition, a shared fragment: every page that shows the photo
    shares it (Wagtail's get_rendition writes the rendition back to its cache on every call)."""
    if image is None:
        return ""
    return fragments.cached(
        ("rendition-url", image.pk, spec, settings.SITE_BASE_URL),
        lambda: _rendition_url(image, spec),
        request,
    )


def _rendition_url(image, spec):
    """(absolute URL, keep) for fragments.cached; no URL, not kept, while the photo's file
    is missing (the page shows without an og:image rather than failing)."""
    try:
        return absolute_url(image.get_rendition(spec).url), True
    except SourceImageIOError:
        return "", False


def article_json_ld(article, request: HttpRequest, home: HomePage | None = None) -> SafeString:
    """NewsArticle structured data, safe to place inside <script> (no </script> breakout);
    `home` is the article's edition home when the caller has it."""
    language = article.locale.language_code
    url = canonical_url(article, request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "inLanguage": bcp47(language),
        "mainEntityOfPage": url,
        "url": url,
        "datePublished": _iso(article.publication_date),
        "dateModified": _iso(article.last_published_at or article.publication_date),
        "author": [_person(author, request) for author in article.byline]
        or [_organization(language, request, home)],
        "publisher": _organization(language, request, home),
    }
    if article.summary:
        data["description"] = article.summary
    cover_url = image_url(article.cover_image, request=request)
    if cover_url:
        data["image"] = [cover_url]
    if article.kicker:
        data["alternativeHeadline"] = article.kicker
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))  # noqa: S308


def _iso(value):
    return value.isoformat() if value else None


def author_url(author, request: HttpRequest | None = None) -> str:
    """The author page in the author's own language edition (a byline may fall back to the
    untranslated author, whose page only exists in that edition): a shared value, as the
    byline and the JSON-LD of every article by them ask for it."""

    def build():
        home = HomePage.objects.live().filter(locale_id=author.locale_id).order_by("path").first()
        if home is None:
            return "", True
        path = home.reverse_subpage("author", kwargs={"author_slug": author.slug})
        return home.get_url(request) + path, True

    return fragments.cached(
        ("author-url", author.pk, author.slug, author.locale_id), build, request
    )


def _person(author, request):
    person = {"@type": "Person", "name": author.name}
    url = author_url(author, request)
    if url:
        person["url"] = absolute_url(url)
    return person


def site_name(language_code: str, request: HttpRequest | None = None, home=None) -> str:
    """The publication's name in one edition: its home page's title (translatable)."""
    if home is None or language_of(home.locale_id, request) != language_code:
        home = home_for(language_code, request)
    return home.title if home is not None else settings.WAGTAIL_SITE_NAME


def _organization(language_code, request, home=None):
    return {"@type": "NewsMediaOrganization", "name": site_name(language_code, request, home)}
