"""Links that still work away from our site: in feeds, station payloads, meta tags, sitemaps.

Every absolute URL starts with settings.SITE_BASE_URL (the public origin), never with the
host a request happened to use.
"""

from urllib.parse import urljoin

from django.conf import settings

from bs4 import BeautifulSoup
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter

URL_ATTRIBUTES = ("href", "src", "poster")


class _AsWritten(HTMLFormatter):
    """Writes the HTML back as it was written: attributes in their order, <img> and
    `controls` without a closing slash or a value, only &, < and > escaped. (Beautiful
    Soup's own formatters sort the attributes.)"""

    def __init__(self):
        super().__init__(
            entity_substitution=EntitySubstitution.substitute_xml,
            void_element_close_prefix=None,
            empty_attributes_are_booleans=True,
        )

    def attributes(self, tag):
        return [(name, None if value == "" else value) for name, value in tag.attrs.items()]


AS_WRITTEN = _AsWritten()


def absolute_url(url: str | None) -> str:
    """A path ("/zh-hans/…") on the public origin; a full URL (the CDN, S3, another site)
    unchanged; "" for no URL."""
    if not url:
        return ""
    return urljoin(settings.SITE_BASE_URL + "/", url)


def absolute_html(html: str) -> str:
    """The HTML with every link, source, poster and srcset candidate absolute (a link to
    a place in the same document, "#…", stays as it is).

    BeautifulSoup, not a regular expression: attributes come in any quoting and order, and
    a srcset holds several URLs.
    """
    soup = BeautifulSoup(html, "html.parser")
    for attribute in URL_ATTRIBUTES:
        for tag in soup.find_all(attrs={attribute: True}):
            if not tag[attribute].startswith("#"):
                tag[attribute] = absolute_url(tag[attribute])
    for tag in soup.find_all(attrs={"srcset": True}):
        candidates = [part.strip().split(" ", 1) for part in tag["srcset"].split(",")]
        tag["srcset"] = ", ".join(
            " ".join([absolute_url(candidate[0]), *candidate[1:]]) for candidate in candidates
        )
    return soup.decode(formatter=AS_WRITTEN)
