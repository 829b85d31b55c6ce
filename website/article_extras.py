"""What an article page shows around the story: its 责任编辑 (the editor who published it)
and share actions that load nothing from third parties (plain links, a QR code drawn here)."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page, PageLogEntry

import segno

from media.reader_text import reader_text

PUBLISH_ACTION = "wagtail.publish"


def responsible_editor(article: Page) -> str:
    """The name of the person who last published the article's original (Simplified)
    version: the chief editor whose approval published it, or an editor publishing
    directly. An edition made by a machine (the zh-hant OpenCC edition) has no publisher
    of its own; its original's answers for it. Empty when no person published it."""
    original = (
        Page.objects.filter(
            translation_key=article.translation_key, locale__language_code=settings.LANGUAGE_CODE
        )
        .values_list("pk", flat=True)
        .first()
    )
    entry = (
        PageLogEntry.objects.filter(
            page_id__in=[article.pk, original or article.pk],
            action=PUBLISH_ACTION,
            user__isnull=False,
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if entry is None:
        return ""
    user = entry.user
    name = getattr(user, "display_name", "") or user.get_full_name() or user.get_username()
    return reader_text(name)


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """(label, href) of the services a reader can share the article on, as plain links."""
    return [
        (
            _("Weibo"),
            "https://service.weibo.com/share/share.php?" + urlencode({"url": url, "title": title}),
        ),
        (_("X"), "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
        (_("Facebook"), "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        (_("WhatsApp"), "https://wa.me/?" + urlencode({"text": f"{title} {url}"})),
        (_("E-mail"), f"mailto:?subject={quote(title)}&body={quote(url, safe='')}"),
    ]


def qr_code_svg(url: str, title: str) -> str:
    """The article's URL as an inline SVG QR code (WeChat's own share needs its JS SDK and
    an official account; scanning the code opens the page in WeChat)."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, title=title, omitsize=False)


# The newsroom's fixed pages the footer links to, by slug under each edition's home.
FOOTER_PAGE_SLUGS = ("about", "contact", "copyright")


def footer_pages(home: Page) -> list[Page]:
    """The live about, contact and copyright pages of an edition (those it has), in order."""
    pages = {
        page.slug: page
        for page in Page.objects.child_of(home).live().public().filter(slug__in=FOOTER_PAGE_SLUGS)
    }
    return [pages[slug] for slug in FOOTER_PAGE_SLUGS if slug in pages]
