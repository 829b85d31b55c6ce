"""Video, audio and galleries for the feeds and the station payload (stations/ calls these).

Kept here so the formatters need one call per block and the media model's details
(poster, subtitles, transcript, storage URLs) stay in the media app.
"""

from django.db.models.fields.files import FieldFile
from django.utils.html import escape

from wagtail.models import Page

from config.identifiers import urn
from config.links import absolute_url
from media.models import NewsMedia
from media.templatetags.media_tags import poster_url


def file_size(field_file: FieldFile) -> int:
    try:
        return field_file.size
    except (OSError, ValueError):  # a missing file must not take a feed or payload down
        return 0


def media_items(article: Page) -> list[NewsMedia]:
    """The video and audio items of an article's body, in reading order, once each (any
    page with a `body` StreamField: media cannot name cms's ArticlePage)."""
    seen = {}
    for block in article.body:
        if block.block_type == "media" and block.value.get("media") is not None:
            seen.setdefault(block.value["media"].pk, block.value["media"])
    return list(seen.values())


def media_enclosures(article: Page) -> list[tuple[str, int, str]]:
    """(absolute url, length in bytes, MIME type) of each video/audio file, for feeds."""
    return [
        (absolute_url(item.url), file_size(item.file), item.mime_type)
        for item in media_items(article)
    ]


def media_association(item: NewsMedia, name: str, caption: str = "") -> dict:
    """A ninjs (2.2 spelling) association for a video or audio item."""
    renditions = [
        {
            "name": "original",
            "href": absolute_url(item.url),
            "contenttype": item.mime_type,
            "sizeinbytes": file_size(item.file),
            "duration": item.duration or None,
            "width": item.width,
            "height": item.height,
        }
    ]
    poster = poster_url(item)
    if poster:
        renditions.append({"name": "poster", "href": absolute_url(poster)})
    if item.subtitles:
        renditions.append(
            {
                "name": f"subtitles-{item.subtitles_language or 'und'}",
                "href": absolute_url(item.subtitles.url),
                "contenttype": "text/vtt",
            }
        )
    association = {
        "name": name,
        "uri": urn("media", item.pk),
        "type": item.type,
        "headlines": [{"value": caption or item.caption or item.title}],
        "by": item.credit,
        "usageterms": item.licence,
        "descriptions": (
            [{"role": "transcript", "contenttype": "text/plain", "value": item.transcript}]
            if item.transcript
            else []
        ),
        "renditions": [{k: v for k, v in r.items() if v not in (None, "")} for r in renditions],
    }
    return {key: value for key, value in association.items() if value not in ("", None, [])}


def media_html(item: NewsMedia, name: str, caption: str = "") -> str:
    """The body HTML a station receives for a video/audio block (absolute URLs)."""
    tag = "video" if item.type == "video" else "audio"
    poster = poster_url(item) if tag == "video" else ""
    poster_attr = f' poster="{escape(absolute_url(poster))}"' if poster else ""
    text = caption or item.caption or item.title
    return (
        f'<figure data-association="{name}"><{tag} controls src="{escape(absolute_url(item.url))}"'
        f"{poster_attr}></{tag}><figcaption>{escape(text)}</figcaption></figure>"
    )


def gallery_association(name: str, uri: str, title: str, pictures: list[dict]) -> dict:
    """A ninjs composite grouping a gallery's picture associations in their order."""
    association = {
        "name": name,
        "uri": uri,
        "type": "composite",
        "headlines": [{"value": title}] if title else [],
        "associations": pictures,
    }
    return {key: value for key, value in association.items() if value not in ("", None, [])}
