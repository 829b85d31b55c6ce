"""SEO helpers: hreflang alternates, canonical links, Open Graph and NewsArticle JSON-LD.

Absolute URLs always start with settings.SITE_BASE_URL (the public origin, config/links.py),
never with the Host header or Wagtail's Site hostname, so canonical links, hreflang sets and
sitemaps agree. Language tags are BCP 47 (config/identifiers.py).
"""

import json

from django.conf import settings
from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe

from wagtail.images.models import SourceImageIOError
from wagtail.models import Page

from cms.models import TRANSLATION_FIELDS, ArticlePage, Author
from cms.rawsql import load_instances
from config.identifiers import bcp47
from config.links import absolute_url

from . import frame

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


def og_locale(language_code):
    return OG_LOCALES.get(language_code, language_code.replace("-", "_"))


def news_language(language_code):
    return NEWS_LANGUAGES.get(language_code, language_code)


def language_order(code):
    codes = [code for code, _name in settings.LANGUAGES]
    return codes.index(code) if code in codes else len(codes)


def live_translations(page, request=None):
    """Every live, public language version of `page` (itself included), in LANGUAGES order.

    One query (hand-written, cms/rawsql.py; an article reads it with its other rows): the
    view restrictions and locale codes come from the cached site frame, where .public()
    and select_related("locale") would read them again.
    """
    if isinstance(page, ArticlePage):
        versions = page.stored_translations()  # read with the article's other rows
    else:
        versions = load_instances(Page, "translation_key", page.translation_key, TRANSLATION_FIELDS)
    codes = frame.locale_codes(request)
    pages = [p for p in versions if p.live and frame.is_public(p, request)]
    return sorted(pages, key=lambda p: language_order(codes.get(p.locale_id, "")))


def live_homes(request=None):
    """{language_code: HomePage} of every live edition (cached with the site frame)."""
    return frame.live_homes(request)


def home_for(locale_or_code, request=None):
    code = locale_or_code if isinstance(locale_or_code, str) else locale_or_code.language_code
    return live_homes(request).get(code)


def language_of(locale_id, request=None):
    """The language code of a locale id, without reading the locale table."""
    return frame.locale_codes(request).get(locale_id)


def _sub_route(request):
    """The resolver match of a tag / author / search route, None on a plain page."""
    match = getattr(request, "routable_resolver_match", None)
    if match is None or match.url_name == "index_route":
        return None
    return match


def _route_translation(page, home, request):
    """The URL of the same tag / author / search route on another language's home."""
    match = _sub_route(request)
    # The edition's home from the cached frame (with its locale), not one more query.
    cached = live_homes(request).get(language_of(home.locale_id, request))
    home = cached if cached is not None and cached.pk == home.pk else home.specific
    kwargs = dict(match.kwargs)
    if match.url_name == "author":
        source = Author.objects.filter(slug=kwargs["author_slug"], locale_id=page.locale_id).first()
        author = source and source.get_translation_or_none(home.locale)
        if author is None:
            return None
        kwargs["author_slug"] = author.slug
    return home.get_url(request) + home.reverse_subpage(match.url_name, kwargs=kwargs)


def alternates(page, request):
    """[(language_code, absolute URL)] for every live translation, then ("x-default", …).

    Every member of a translation set gets the same list, so hreflang is reciprocal.
    x-default is the zh-hans version, or the first language that has one.
    """
    if page is None:
        return []
    # The head and the language switcher both need the set: work it out once per request.
    return frame.once_per_request(
        request, "alternates", page.pk, lambda: _alternates(page, request)
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


def canonical_url(page, request):
    if page is None or _sub_route(request) is not None:
        # Routes (tags, authors, search): the path without its query string, encoded
        # the way reverse() encodes the hreflang URLs so the two agree.
        return absolute_url(iri_to_uri(request.path))
    # The head and the JSON-LD both need it: worked out once per request.
    return frame.once_per_request(
        request, "canonical", page.pk, lambda: absolute_url(page.get_url(request))
    )


def image_url(image, spec="fill-1200x630", request=None):
    """The absolute URL of a rendition; the head's og:image and the JSON-LD share one
    lookup per request, and every page that shares the photo shares the URL (frame.shared_html:
    Wagtail's get_rendition writes the rendition back to its cache on every call)."""
    if image is None:
        return ""
    return frame.once_per_request(
        request,
        "image_urls",
        (image.pk, spec),
        lambda: frame.shared_html(
            ("rendition-url", image.pk, spec, settings.SITE_BASE_URL),
            lambda: _rendition_url(image, spec),
            request,
        ),
    )


def _rendition_url(image, spec):
    """(absolute URL, keep) for frame.shared_html; no URL, not kept, while the photo's file
    is missing (the page shows without an og:image rather than failing)."""
    try:
        return absolute_url(image.get_rendition(spec).url), True
    except SourceImageIOError:
        return "", False


def article_json_ld(article, request):
    """NewsArticle structured data, safe to place inside <script> (no </script> breakout)."""
    language = language_of(article.locale_id, request) or article.locale.language_code
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
        or [_organization(language, request)],
        "publisher": _organization(language, request),
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


def author_url(author, request=None):
    """The author page in the author's own language edition (a byline may fall back to the
    untranslated author, whose page only exists in that edition)."""
    home = live_homes(request).get(language_of(author.locale_id, request))
    if home is None:
        return ""
    return frame.page_url(home, request) + home.reverse_subpage(
        "author", kwargs={"author_slug": author.slug}
    )


def _person(author, request):
    person = {"@type": "Person", "name": author.name}
    url = author_url(author, request)
    if url:
        person["url"] = absolute_url(url)
    return person


def site_name(language_code, request=None):
    """The publication's name in one edition: its home page's title (translatable)."""
    home = home_for(language_code, request)
    return home.title if home is not None else settings.WAGTAIL_SITE_NAME


def _organization(language_code, request):
    return {"@type": "NewsMediaOrganization", "name": site_name(language_code, request)}
