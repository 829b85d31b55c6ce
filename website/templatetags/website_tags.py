"""Template tags for the site's chrome: language, navigation, switcher, SEO head, footer."""

import re

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from cms.models import ArticlePage, HomePage
from website import article_extras, frame, seo

register = template.Library()
CJK = re.compile(r"[\u3400-\u9fff]")
CARD_TEMPLATE = SimpleLazyObject(lambda: get_template("website/includes/article_card.html"))


def _page(context):
    page = context.get("page")
    return page if getattr(page, "locale_id", None) else None


@register.simple_tag(takes_context=True)
def page_language(context):
    """The language of the page shown (its locale), else the one active from the URL."""
    page = _page(context)
    if page is not None:
        code = seo.language_of(page.locale_id, context.get("request"))
        return code or page.locale.language_code
    return translation.get_language() or settings.LANGUAGE_CODE


@register.filter
def bcp47(language_code):
    return seo.bcp47(language_code)


@register.simple_tag(takes_context=True)
def locale_home(context):
    """The home page of the language edition being shown, looked up once per render."""
    if "_locale_home" not in context.render_context:
        page = _page(context)
        if isinstance(page, HomePage):
            home = page
        else:
            home = seo.home_for(page_language(context), context.get("request"))
        context.render_context["_locale_home"] = home
    return context.render_context["_locale_home"]


def home_language(context, home):
    """The language whose channels the navigation lists: the home's own."""
    return seo.language_of(home.locale_id, context.get("request")) or page_language(context)


@register.inclusion_tag("website/includes/channel_nav.html", takes_context=True)
def channel_nav(context):
    home = locale_home(context)
    page = _page(context)
    current_path = page.path if page is not None else ""
    channels = []
    if home is not None:
        channels = frame.locale_frame(home_language(context, home), context.get("request")).channels
    request = context.get("request")
    return {
        "home": home,
        "home_url": frame.page_url(home, request) if home is not None else "",
        "channels": [
            (channel, frame.page_url(channel, request), current_path.startswith(channel.path))
            for channel in channels
        ],
        "is_home": page is not None and home is not None and page.pk == home.pk,
    }


@register.inclusion_tag("website/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Each language links to this page's live translation, else to that language's home
    if that edition has something to read (an empty edition is not offered)."""
    request = context.get("request")
    page = _page(context)
    current = page_language(context)
    translated = dict(seo.alternates(page, request)) if page is not None else {}
    homes = seo.live_homes(request)
    with_news = frame.languages_with_news(request)
    links = []
    for code, name in settings.LANGUAGES:
        url = translated.get(code)
        if url is None and code in homes and (code in with_news or code == current):
            url = seo.absolute_url(frame.page_url(homes[code], request))
        if url:
            links.append(
                {
                    "code": code,
                    "tag": seo.bcp47(code),
                    "name": name,
                    "url": url,
                    "is_current": code == current,
                    "is_translation": code in translated,
                }
            )
    return {"links": links}


@register.inclusion_tag("website/includes/seo_head.html", takes_context=True)
def seo_head(context):
    request = context.get("request")
    page = _page(context)
    language = page_language(context)
    home = locale_home(context)
    title = context.get("seo_title") or (page.seo_title or page.title if page else "")
    description = context.get("seo_description") or _description(page, home)
    image = getattr(page, "sharing_image", None) or getattr(home, "sharing_image", None)
    alternate_links = seo.alternates(page, request)
    is_article = isinstance(page, ArticlePage)
    return {
        "title": title,
        "description": description,
        "canonical": seo.canonical_url(page, request),
        "alternates": [
            (seo.bcp47(code), url) if code != "x-default" else (code, url)
            for code, url in alternate_links
        ],
        "og_locale": seo.og_locale(language),
        "og_locale_alternates": [
            seo.og_locale(code)
            for code, _url in alternate_links
            if code not in ("x-default", language)
        ],
        "og_type": "article" if is_article else "website",
        "image_url": seo.image_url(image, request=request),
        "image_alt": image.reader_alt_text if image else "",
        "site_name": home.title if home is not None else settings.WAGTAIL_SITE_NAME,
        "page": page,
        "is_article": is_article,
        "json_ld": seo.article_json_ld(page, request) if is_article else "",
    }


def _description(page, home):
    if page is None:
        return getattr(home, "tagline", "")
    return (
        page.search_description
        or getattr(page, "summary", "")
        or getattr(page, "intro", "")
        or getattr(home, "tagline", "")
    )


@register.inclusion_tag("website/includes/stations_footer.html", takes_context=True)
def liaison_stations(context):
    """Active stations with their country named in the page's language (cached frame)."""
    return {"stations": frame.locale_frame(page_language(context), context.get("request")).stations}


@register.filter
def localized(snippet):
    """The snippet in the active language when a translation exists (else itself).

    Snippet.localized, but with the active Locale from the cached site frame: the model
    property reads the locale table on every call.
    """
    if snippet is None:
        return None
    locale_id = frame.active_locale_id()
    if locale_id is None or snippet.locale_id == locale_id:
        return snippet
    translated = (
        type(snippet)
        ._default_manager.filter(translation_key=snippet.translation_key, locale_id=locale_id)
        .first()
    )
    return translated or snippet


@register.simple_tag(takes_context=True)
def frame_url(context, page):
    """{% pageurl page %} for the edition homes and channels, from the cached frame."""
    return frame.page_url(page, context.get("request"))


@register.simple_tag(takes_context=True)
def tag_url(context, home, tag):
    """{% routablepageurl home 'tag' tag.slug %} with the home's URL from the cached frame."""
    base = frame.page_url(home, context.get("request"))
    return base.rstrip("/") + "/" + home.reverse_subpage("tag", kwargs={"tag_slug": tag.slug})


@register.simple_tag
def absolute(path):
    return seo.absolute_url(path)


@register.simple_tag(takes_context=True)
def author_url(context, author):
    return seo.author_url(author, context.get("request"))


@register.simple_tag(takes_context=True)
def article_card(context, article, with_image=False, with_summary=False, level=3):
    """An article's card (website/includes/article_card.html), shared model data: the same
    card shows on the home, channel, tag, author and topic pages and on every article that
    relates or picks it, so its HTML is cached under the frame version (frame.shared_html),
    per language (dates) and host (the card's URL is relative to the request's site)."""
    request = context.get("request")
    host = request.get_host() if request is not None else ""
    parts = ("card", article.pk, bool(with_image), bool(with_summary), level)
    parts += (translation.get_language(), host)

    def build():
        card = CARD_TEMPLATE.render(
            {
                "article": article,
                "with_image": with_image,
                "with_summary": with_summary,
                "level": level,
                "request": request,
            }
        )
        return card, True

    return mark_safe(frame.shared_html(parts, build, request))  # noqa: S308 - our own template


@register.simple_tag
def responsible_editor(article):
    """{% responsible_editor page as editor %}: who published the article (责任编辑), with
    the language of the name where it is Chinese on a page in another language."""
    # Two queries that change only when the article (or its original) is published, which
    # bumps the frame version: kept with the frame's shared data.
    name = frame.shared_html(
        ("responsible-editor", article.pk, translation.get_language()),
        lambda: (article_extras.responsible_editor(article), True),
    )
    if not name:
        return None
    chinese = translation.get_language().startswith("zh")
    return {"name": name, "lang": "zh" if not chinese and CJK.search(name) else ""}


@register.inclusion_tag("website/includes/share.html", takes_context=True)
def share_actions(context, page):
    """Copy link, a WeChat QR code and plain share links: no third-party script."""
    url = seo.canonical_url(page, context.get("request"))
    return {
        "url": url,
        "links": article_extras.share_links(url, page.title),
        "qr_svg": mark_safe(  # noqa: S308 - segno's SVG of our own URL
            frame.shared_html(
                ("wechat-qr", url, page.title),
                lambda: (article_extras.qr_code_svg(url, page.title), True),
            )
        ),
    }


@register.inclusion_tag("website/includes/footer_pages.html", takes_context=True)
def footer_links(context):
    """Links to the edition's about, contact and copyright pages."""
    request = context.get("request")
    pages = frame.footer_pages(page_language(context), request)
    return {"pages": [(page.title, page.get_url(request)) for page in pages]}
