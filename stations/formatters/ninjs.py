"""IPTC ninjs 2.2 and 3.1 for articles: what liaison stations receive (push) and pull.

Entry point: `format_article(article_page, version=..., fmt=..., pubstatus=...) -> dict`.
The 2.2 property names are lower case (`versioncreated`); 3.1 renamed them to camelCase
(`versionCreated`, `pubStatus`, `contentType` …). We build the 2.2 shape and rename for 3.1.
"""

import html as html_lib
import mimetypes
import re
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.html import escape, strip_tags

from wagtail.rich_text import expand_db_html

from cms.models import ArticlePage, TopicPage
from config.identifiers import bcp47, urn
from config.links import absolute_html, absolute_url
from media.payload import gallery_association, media_association, media_html

FORMATS = ("ninjs-2.2", "ninjs-3.1")
DEFAULT_FORMAT = "ninjs-2.2"
SCHEMA_URIS = {
    "ninjs-2.2": "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json#",
    "ninjs-3.1": "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#",
}
# Countries are named by their IPTC URI (ISO 3166-1 alpha-2, lower case).
COUNTRY_URI_PREFIX = "http://cvx.iptc.org/iso3166-1a2/"
# Renditions offered for every picture: (ninjs name, Wagtail filter spec).
IMAGE_RENDITIONS = (("large", "max-1600x1600"), ("thumbnail", "fill-400x300"))

# ninjs 3.x renamed these properties (everything else kept its name).
CAMEL_CASE_31 = {
    "representationtype": "representationType",
    "firstcreated": "firstCreated",
    "versioncreated": "versionCreated",
    "contentcreated": "contentCreated",
    "pubstatus": "pubStatus",
    "copyrightholder": "copyrightHolder",
    "copyrightnotice": "copyrightNotice",
    "usageterms": "usageTerms",
    "ednote": "edNote",
    "altids": "altIds",
    "infosources": "infoSources",
    "contenttype": "contentType",
    "charcount": "charCount",
    "wordcount": "wordCount",
    "sizeinbytes": "sizeInBytes",
}


def isoformat(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def format_article(
    article_page: ArticlePage,
    version: int = 1,
    fmt: str = DEFAULT_FORMAT,
    pubstatus: str = "usable",
    versioncreated: datetime | None = None,
    ednote: str = "",
) -> dict:
    """The ninjs of one article version as a dict (JSON-serialisable)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    item = NinjsBuilder(article_page, fmt).build(
        version=version, pubstatus=pubstatus, versioncreated=versioncreated, ednote=ednote
    )
    return to_ninjs_31(item) if fmt == "ninjs-3.1" else item


def format_takedown(
    uri: str,
    version: int,
    language: str,
    title: str,
    fmt: str = DEFAULT_FORMAT,
    versioncreated: datetime | None = None,
) -> dict:
    """A `pubstatus: canceled` item. Needs no page: the page may already be deleted."""
    item = {
        "uri": uri,
        "standard": standard(fmt),
        "type": "text",
        "version": str(version),
        "versioncreated": isoformat(versioncreated or timezone.now()),
        "pubstatus": "canceled",
        "language": bcp47(language),
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": title}],
    }
    return to_ninjs_31(item) if fmt == "ninjs-3.1" else item


def standard(fmt):
    return {"name": "ninjs", "version": fmt.split("-")[1], "schema": SCHEMA_URIS[fmt]}


def to_ninjs_31(value):
    """Rename 2.2 property names to their 3.1 spelling, recursively."""
    if isinstance(value, dict):
        return {CAMEL_CASE_31.get(key, key): to_ninjs_31(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_ninjs_31(item) for item in value]
    return value


def drop_empty(item):
    return {key: value for key, value in item.items() if value not in ("", None, [], {})}


class NinjsBuilder:
    def __init__(self, article, fmt):
        self.article = article
        self.fmt = fmt
        self.pictures = []  # associations collected while rendering the body

    def build(self, version, pubstatus, versioncreated, ednote):
        article = self.article
        html = self.body_html()
        text = self.body_text(html)
        published = article.first_published_at or timezone.now()
        item = {
            "uri": article.uri,
            "standard": standard(self.fmt),
            "type": "text",
            "representationtype": "full",
            "profile": "qiaoyin-article",
            "version": str(version),
            "firstcreated": isoformat(article.date_published or published),
            "versioncreated": isoformat(
                versioncreated or article.last_published_at or timezone.now()
            ),
            "pubstatus": pubstatus,
            "language": bcp47(article.locale.language_code),
            "headlines": self.headlines(),
            "descriptions": self.descriptions(),
            "bodies": [
                {
                    "role": "main",
                    "contenttype": "text/html",
                    "charcount": len(text),
                    "value": html,
                },
                {
                    "role": "plain",
                    "contenttype": "text/plain",
                    "charcount": len(text),
                    "value": text,
                },
            ],
            "by": ", ".join(author.name for author in self.authors()),
            "located": article.dateline,
            "copyrightholder": self.source_name(),
            "ednote": ednote or article.editors_note,
            "subjects": self.subjects(),
            "places": self.places(),
            "associations": self.cover_association() + self.pictures,
            "altids": self.altids(),
        }
        return drop_empty(item)

    # --- headlines, descriptions, byline -------------------------------------------------
    def headlines(self):
        roles = (
            ("main", self.article.title),
            ("subtitle", self.article.subtitle),
            ("kicker", self.article.kicker),
        )
        return [
            {"role": role, "contenttype": "text/plain", "value": value}
            for role, value in roles
            if value
        ]

    def descriptions(self):
        if not self.article.summary:
            return []
        return [{"role": "summary", "contenttype": "text/plain", "value": self.article.summary}]

    def authors(self):
        return [item.author.localized for item in self.article.article_authors.all()]

    def source_name(self):
        source = self.article.source
        return source.localized.name if source else ""

    # --- subjects and places ------------------------------------------------------------
    def subjects(self):
        subjects = []
        channel = self.article.get_parent()
        if channel:
            subjects.append(
                {
                    "name": channel.title,
                    "rel": "channel",
                    "uri": urn("channel", channel.translation_key),
                }
            )
        for topic in self.topics():
            subjects.append(
                {
                    "name": topic.title,
                    "rel": "topic",
                    "uri": urn("topic", topic.translation_key),
                }
            )
        # Those the edition's readers can read: a translation copies the original's tags.
        for tag in self.article.reader_tag_list:
            subjects.append({"name": tag.name, "rel": "tag", "literal": tag.slug})
        return subjects

    def topics(self):
        topics = TopicPage.objects.live().filter(topic_articles__article_id=self.article.pk)
        return topics.distinct()

    def places(self):
        return [
            {
                "name": country.localized.name,
                "rel": "about",
                "uri": f"{COUNTRY_URI_PREFIX}{country.code.lower()}",
            }
            for country in self.article.countries.all()
        ]

    def altids(self):
        """The same article in the other languages, by their uri."""
        translations = (
            ArticlePage.objects.live()
            .filter(translation_key=self.article.translation_key)
            .exclude(pk=self.article.pk)
            .select_related("locale")
        )
        ids = [
            {"role": f"translation:{bcp47(page.locale.language_code)}", "value": page.uri}
            for page in translations
            if page.uri
        ]
        url = self.article.get_url()
        if url:
            ids.insert(0, {"role": "url", "value": absolute_url(url)})
        return ids

    # --- pictures -----------------------------------------------------------------------
    def cover_association(self):
        image = self.article.cover_image
        if not image:
            return []
        return [
            self.picture(image, "cover", self.article.caption, self.article.credit or image.credit)
        ]

    def picture(self, image, name, caption="", credit=""):
        renditions = [
            {
                "name": "original",
                "href": absolute_url(image.file.url),
                "width": image.width,
                "height": image.height,
                "contenttype": mimetypes.guess_type(image.file.name)[0] or "image/jpeg",
            }
        ]
        for rendition_name, spec in IMAGE_RENDITIONS:
            rendition = image.get_rendition(spec)
            renditions.append(
                {
                    "name": rendition_name,
                    "href": absolute_url(rendition.url),
                    "width": rendition.width,
                    "height": rendition.height,
                    "contenttype": mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg",
                }
            )
        association = {
            "name": name,
            "uri": urn("image", image.pk),
            "type": "picture",
            "headlines": [{"value": caption or image.caption or image.title}],
            "by": credit or image.credit,
            "descriptions": [{"role": "alt", "value": image.default_alt_text}],
            "renditions": renditions,
        }
        return drop_empty(association)

    def body_picture(self, image, caption, credit):
        name = f"image-{len(self.pictures) + 1}"
        association = self.picture(image, name, caption, credit)
        self.pictures.append(association)
        large = next(r for r in association["renditions"] if r["name"] == "large")
        caption = caption or image.caption
        figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
        return (
            f'<figure data-association="{name}"><img src="{large["href"]}" '
            f'width="{large["width"]}" height="{large["height"]}" '
            f'alt="{escape(image.default_alt_text)}">{figcaption}</figure>'
        )

    # --- galleries, video and audio (media/payload.py) ------------------------------------
    def add_gallery(self, title, pictures):
        number = sum(1 for a in self.pictures if a.get("type") == "composite") + 1
        uri = f"{self.article.uri}#gallery-{number}"
        self.pictures.append(gallery_association(f"gallery-{number}", uri, title, pictures))

    def body_media(self, item, caption):
        name = f"media-{sum(1 for a in self.pictures if a.get('type') in ('video', 'audio')) + 1}"
        self.pictures.append(media_association(item, name, caption))
        return media_html(item, name, caption)

    # --- body ---------------------------------------------------------------------------
    def body_html(self):
        # Rendered here rather than with the site's block templates: a station's payload
        # must not change when the website's design does, and must carry absolute URLs.
        parts = [self.block_html(block.block_type, block.value) for block in self.article.body]
        return absolute_html("\n".join(part for part in parts if part))

    def block_html(self, kind, value):
        if kind == "paragraph":
            return expand_db_html(value.source)
        if kind == "image":
            return self.body_picture(value["image"], value.get("caption"), value.get("credit"))
        if kind == "gallery":
            first = len(self.pictures)
            html = "\n".join(
                self.body_picture(item["image"], item.get("caption"), item.get("credit"))
                for item in value["images"]
            )
            self.add_gallery(value.get("title"), self.pictures[first:])
            return html
        if kind == "media" and value.get("media") is not None:
            return self.body_media(value["media"], value.get("caption"))
        if kind == "quote":
            cite = value.get("attribution")
            footer = f"<footer>{escape(cite)}</footer>" if cite else ""
            return f"<blockquote><p>{escape(value['text'])}</p>{footer}</blockquote>"
        if kind == "embed":
            url = value["embed"].url if value.get("embed") else ""
            return f'<p><a href="{escape(url)}">{escape(value.get("caption") or url)}</a></p>'
        if kind == "related_link":
            page = value.get("page")
            url = value.get("url") or (page.url if page else "")
            return f'<p><a href="{escape(url)}">{escape(value["title"])}</a></p>'
        if kind == "fact_box":
            body = expand_db_html(value["body"].source)
            return f"<aside><h3>{escape(value['title'])}</h3>{body}</aside>"
        return ""

    @staticmethod
    def body_text(html):
        blocks = re.split(r"</(?:p|h2|h3|li|blockquote|figcaption|aside)>", html)
        lines = [strip_tags(block).strip() for block in blocks]
        text = "\n\n".join(line for line in lines if line)
        return html_lib.unescape(text)
