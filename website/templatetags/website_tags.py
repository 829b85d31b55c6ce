"""Template tags for the site's chrome: language, navigation, switcher, SEO head, footer."""

import re

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from cms.models import ArticlePage, ChannelPage, HomePage
from website import article_extras, fragments, seo

register = template.Library()
CJK = re.compile(r"[\u3400-\u9fff]")
CARD_TEMPLATE = SimpleLazyObject(lambda: get_template("website/includes/article_card.html"))
RELATED_TEMPLATE = SimpleLazyObject(lambda: get_template("website/includes/related_articles.html"))
HOME_DEPTH = 2  # the edition homes sit right under the tree's root
CHANNEL_DEPTH = 3


def _page(context):
    page = context.get("page")
    return page if getattr(page, "locale_id", None) else None


def _language(page: Page, request=None) -> str:
    """A page's language code: from its locale when routing loaded it, else one cache read."""
    if Page._meta.get_field("locale").is_cached(page):
        return page.locale.language_code
    return seo.language_of(page.locale_id, request) or page.locale.language_code


@register.simple_tag(takes_context=True)
def page_language(context) -> str:
    """The language of the page shown (its locale), else the one active from the URL."""
    page = _page(context)
    if page is not None:
        return _language(page, context.get("request"))
    return translation.get_language() or settings.LANGUAGE_CODE


def edition_home(page: Page) -> HomePage | None:
    """The live home of the page's edition: the one routing passed through (its parents
    are kept on the page, so no query), else read from the tree (a preview, a 404)."""
    node = page
    while node is not None and node.depth > HOME_DEPTH:
        node = getattr(node, "_cached_parent_obj", None)
    if isinstance(node, HomePage) and node.depth == HOME_DEPTH:
        return node
    return HomePage.objects.ancestor_of(page, inclusive=True).live().first()


def section_path(page: Page | None) -> str:
    """The tree path of the channel the page is in (or is), "" above the channels: what
    the navigation highlights, known from the page's own path without a query."""
    if page is None or page.depth < CHANNEL_DEPTH:
        return ""
    return page.path[: CHANNEL_DEPTH * page.steplen]


@register.tag(name="fragment")
def do_fragment(parser, token):
    """{% fragment "name" part part … %}…{% endfragment %}: the enclosed HTML, cached under
    the fragment version, the active language and the site (website/fragments.py), with
    the parts (template variables) it depends on besides those. Never for a preview."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} takes a name and its parts")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


class FragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist, self.parts = nodelist, parts

    def render(self, context):
        parts = tuple(part.resolve(context) for part in self.parts)
        return fragments.cached_html(
            parts, lambda: self.nodelist.render(context), context.get("request")
        )


@register.simple_tag(takes_context=True)
def frame_parts(context) -> dict:
    """What the frame's fragments are keyed on besides version, language and site: the
    edition home, the highlighted channel and the page (for its language versions)."""
    page = _page(context)
    home = locale_home(context)
    request = context.get("request")
    route = request.path if request is not None and seo._sub_route(request) else ""
    return {
        "home": home.pk if home is not None else None,
        "section": section_path(page),
        "is_home": page is not None and home is not None and page.pk == home.pk,
        "page": (page.pk, route) if page is not None else None,
    }


@register.filter
def bcp47(language_code: str) -> str:
    return seo.bcp47(language_code)


@register.simple_tag(takes_context=True)
def locale_home(context) -> HomePage | None:
    """The home page of the language edition being shown, looked up once per render."""
    if "_locale_home" not in context.render_context:
        page = _page(context)
        if isinstance(page, HomePage):
            home = page
        elif page is not None:
            home = edition_home(page)
        else:
            home = seo.home_for(page_language(context), context.get("request"))
        context.render_context["_locale_home"] = home
    return context.render_context["_locale_home"]


@register.inclusion_tag("website/includes/channel_nav.html", takes_context=True)
def channel_nav(context):
    """The edition's live, public channels (inside the masthead fragment: read on its miss)."""
    home = locale_home(context)
    page = _page(context)
    request = context.get("request")
    section = section_path(page)
    channels = []
    if home is not None:
        channels = ChannelPage.objects.child_of(home).live().public().order_by("path")
    return {
        "home": home,
        "home_url": home.get_url(request) if home is not None else "",
        "channels": [
            (channel, channel.get_url(request), channel.path == section) for channel in channels
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
    with_news = seo.languages_with_news()
    links = []
    for code, name in settings.LANGUAGES:
        url = translated.get(code)
        if url is None and code in homes and (code in with_news or code == current):
            url = seo.absolute_url(homes[code].get_url(request))
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
        "json_ld": seo.article_json_ld(page, request, home) if is_article else "",
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
    """Active stations with their country named in the page's language (inside the footer
    fragment: read on its miss)."""
    from stations.listing import stations_for_readers

    return {"stations": stations_for_readers(page_language(context))}


@register.filter
def localized(snippet, locale_id: int | None = None):
    """{{ snippet|localized:page.locale_id }}: the snippet in that locale (the page's, which
    is the active language's) when a translation exists, else itself.

    Snippet.localized, without its lookup of the active Locale on every call; without a
    locale id, the active one is looked up.
    """
    if snippet is None:
        return None
    if locale_id is None:
        locale_id = _active_locale_id()
    if locale_id is None or snippet.locale_id == locale_id:
        return snippet
    translated = (
        type(snippet)
        ._default_manager.filter(translation_key=snippet.translation_key, locale_id=locale_id)
        .first()
    )
    return translated or snippet


def _active_locale_id() -> int | None:
    """The id of the active language's Locale (what Locale.get_active() returns)."""
    try:
        code = get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return None
    return Locale.objects.filter(language_code=code).values_list("pk", flat=True).first()


@register.simple_tag(takes_context=True)
def frame_url(context, page: Page) -> str:
    """{% pageurl page %}."""
    return page.get_url(context.get("request"))


@register.simple_tag(takes_context=True)
def tag_url(context, home: HomePage, tag) -> str:
    """{% routablepageurl home 'tag' tag.slug %}."""
    base = home.get_url(context.get("request"))
    return base.rstrip("/") + "/" + home.reverse_subpage("tag", kwargs={"tag_slug": tag.slug})


@register.simple_tag
def absolute(path: str) -> str:
    return seo.absolute_url(path)


@register.simple_tag(takes_context=True)
def author_url(context, author) -> str:
    return seo.author_url(author, context.get("request"))


@register.simple_tag(takes_context=True)
def article_card(context, article, with_image=False, with_summary=False, level=3):
    """An article's card (website/includes/article_card.html), shared model data: the same
    card shows on the home, channel, tag, author and topic pages and on every article that
    relates or picks it, so its HTML is a fragment (per language for its dates, per site
    for its URL, website/fragments.py)."""
    request = context.get("request")
    parts = ("card", article.pk, bool(with_image), bool(with_summary), level)

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

    return mark_safe(fragments.cached(parts, build, request))  # noqa: S308 - our own template


@register.simple_tag(takes_context=True)
def related_articles(context, page: ArticlePage) -> str:
    """An article's related block: the editors' picks, then more like it from the search
    engine. A fragment per article (the picks and the engine are read on its miss only);
    not kept while the engine is down, nor for a preview (its picks come from the draft)."""
    request = context.get("request")

    def build():
        related, complete = page.related_articles_for_readers()
        return RELATED_TEMPLATE.render({"related": related, "request": request}), complete

    return mark_safe(fragments.cached(("related", page.pk), build, request))  # noqa: S308


@register.simple_tag(takes_context=True)
def responsible_editor(context, article):
    """{% responsible_editor page as editor %}: who published the article (责任编辑), with
    the language of the name where it is Chinese on a page in another language."""
    # Two queries that change only when the article (or its original) is published, which
    # bumps the fragment version.
    name = fragments.cached(
        ("responsible-editor", article.pk),
        lambda: (article_extras.responsible_editor(article), True),
        context.get("request"),
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
            fragments.cached(
                ("wechat-qr", url, page.title),
                lambda: (article_extras.qr_code_svg(url, page.title), True),
                context.get("request"),
            )
        ),
    }


@register.inclusion_tag("website/includes/footer_pages.html", takes_context=True)
def footer_links(context):
    """Links to the edition's about, contact and copyright pages (inside the footer
    fragment: read on its miss)."""
    request = context.get("request")
    home = locale_home(context)
    pages = article_extras.footer_pages(home) if home is not None else []
    return {"pages": [(page.title, page.get_url(request)) for page in pages]}
