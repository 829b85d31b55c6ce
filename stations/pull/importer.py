"""Import IPTC ninjs 2.2 articles as published pages: how an existing archive migrates in.

Every item goes through the admin's own publish pipeline (`save_revision().publish()`), so
search indexing, the page cache, WebSub pings and the station push all fire as for an
editor's publish. Items are applied one transaction each: a bad item never undoes others.
"""

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.models import Locale
from wagtail.rich_text import RichText

import jsonschema

from cms.blocks import RICH_TEXT_FEATURES
from cms.models import (
    ArticleAuthor,
    ArticleCorrection,
    ArticlePage,
    Author,
    ChannelPage,
    Country,
)
from cms.newsroom import setup_newsroom
from stations.formatters.ninjs import COUNTRY_URI_PREFIX

from .models import ImportedArticle

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schemas" / "ninjs-schema_2.2.json"
DEFAULT_CHANNEL = "archive"
TAKEDOWN_STATUSES = {"canceled", "withheld"}


class ImportFileError(Exception):
    """The file cannot be read as ninjs at all (the command exits non-zero)."""


@dataclass
class SourceItem:
    line: int
    data: dict | None = None
    error: str = ""


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    corrected: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    taken_down: list = field(default_factory=list)
    invalid: list = field(default_factory=list)  # (line, message)


# --- Reading: one object, an array, or JSON Lines -----------------------------------------


def read_items(path):
    """Every item of the file with the line it starts on. Bad JSON Lines become error items."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise ImportFileError(_("File not found: %(path)s") % {"path": path}) from error
    except IsADirectoryError as error:
        raise ImportFileError(_("%(path)s is a directory, not a file") % {"path": path}) from error
    except UnicodeDecodeError as error:
        raise ImportFileError(_("%(path)s is not UTF-8 text") % {"path": path}) from error
    except OSError as error:
        raise ImportFileError(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from error
    stripped = text.lstrip()
    if not stripped:
        raise ImportFileError(_("%(path)s is empty") % {"path": path})
    if stripped.startswith("["):
        return _read_array(text, path)
    try:
        return [SourceItem(line=_line_of(text, len(text) - len(stripped)), data=json.loads(text))]
    except json.JSONDecodeError:
        return _read_json_lines(text)


def _line_of(text, offset):
    return text.count("\n", 0, offset) + 1


def _read_array(text, path):
    """Decode element by element so each item keeps the line it starts on."""
    decoder = json.JSONDecoder()
    position = text.index("[") + 1
    items = []
    while True:
        position = _skip_space(text, position)
        if position < len(text) and text[position] == "]":
            return items
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise ImportFileError(
                _("%(path)s, line %(line)s: invalid JSON (%(reason)s)")
                % {"path": path, "line": error.lineno, "reason": error.msg}
            ) from error
        items.append(SourceItem(line=_line_of(text, position), data=value))
        position = _skip_space(text, end)
        if position < len(text) and text[position] == ",":
            position += 1
        elif position >= len(text) or text[position] != "]":
            raise ImportFileError(
                _("%(path)s, line %(line)s: expected , or ] between items")
                % {"path": path, "line": _line_of(text, position)}
            )


def _skip_space(text, position):
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _read_json_lines(text):
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(SourceItem(line=number, data=json.loads(line)))
        except json.JSONDecodeError as error:
            items.append(SourceItem(line=number, error=_("invalid JSON (%s)") % error.msg))
    return items


# --- Validation ---------------------------------------------------------------------------


@cache
def ninjs_22_validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def language_code(bcp47_tag):
    """BCP 47 zh-Hans / en-GB → the site's zh-hans / en, or None when we have no such edition."""
    codes = {code for code, _name in settings.LANGUAGES}
    tag = (bcp47_tag or "").lower()
    while tag:
        if tag in codes:
            return tag
        tag = tag.rpartition("-")[0]
    return None


def validation_error(data):
    """Why the item cannot be imported, or "" when it can."""
    if not isinstance(data, dict):
        return _("an item must be a JSON object")
    error = jsonschema.exceptions.best_match(ninjs_22_validator().iter_errors(data))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path)
        return _("not valid ninjs 2.2: %(message)s%(where)s") % {
            "message": error.message,
            "where": f" (at {where})" if where else "",
        }
    if not data.get("uri"):
        return _("uri is required")
    if data.get("pubstatus") in TAKEDOWN_STATUSES:
        return ""
    if language_code(data.get("language")) is None:
        return _("language %(language)r is not one of the site's editions") % {
            "language": data.get("language")
        }
    if not headline(data, "main"):
        return _("a main headline is required")
    if not _body_html(data):
        return _("a body (text/html or text/plain) is required")
    if data.get("versioncreated") and parse_datetime(data["versioncreated"]) is None:
        return _("versioncreated is not a date-time")
    return ""


# --- Mapping ninjs → ArticlePage ------------------------------------------------------------


def headline(data, role):
    for item in data.get("headlines") or []:
        if (item.get("role") or "main") == role and item.get("value"):
            return item["value"]
    if role == "main":
        return data.get("headline", "")
    return ""


def _description(data):
    for item in data.get("descriptions") or []:
        if item.get("role") in (None, "summary", "description") and item.get("value"):
            return item["value"]
    return data.get("description_text", "")


def _body_html(data):
    bodies = data.get("bodies") or []
    for body in bodies:
        if body.get("contenttype", "text/html") == "text/html" and body.get("value"):
            return body["value"]
    for body in bodies:
        if body.get("contenttype") == "text/plain" and body.get("value"):
            return _plain_to_html(body["value"])
    if data.get("body_html"):
        return data["body_html"]
    if data.get("body_text"):
        return _plain_to_html(data["body_text"])
    return ""


def _plain_to_html(text):
    paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
    return "".join(f"<p>{escape(part)}</p>" for part in paragraphs)


def rich_text_body(html):
    """Keep what the article editor allows (headings, lists, links…), drop the rest."""
    cleaned = EditorHTMLConverter(features=RICH_TEXT_FEATURES).to_database_format(html)
    return [("paragraph", RichText(cleaned))]


def _moment(value):
    return parse_datetime(value) if value else None


def _version_key(version, versioncreated):
    number = int(version) if str(version or "").isdigit() else None
    return number, versioncreated


def is_newer(data, record, page):
    """A newer version corrects the article; the same or an older one changes nothing."""
    incoming_number, incoming_created = _version_key(
        data.get("version"), _moment(data.get("versioncreated"))
    )
    if record is None:
        # The page is ours, not from an earlier import: only a later edit may overwrite it.
        return bool(incoming_created and page.last_published_at < incoming_created)
    stored_number, stored_created = _version_key(record.version, record.versioncreated)
    if incoming_number is not None and stored_number is not None:
        return incoming_number > stored_number
    return bool(incoming_created and (stored_created is None or incoming_created > stored_created))


class ArticleImporter:
    """Applies ninjs items; `channel_slug` is the channel new articles go to (made if missing)."""

    def __init__(self, channel_slug=None, user=None):
        self.channel_slug = channel_slug or DEFAULT_CHANNEL
        self.user = user
        self.result = ImportResult()
        self._homes = None

    @property
    def homes(self):
        if self._homes is None:
            # Idempotent: builds locales, editions and groups on an empty database only.
            self._homes = setup_newsroom()
        return self._homes

    def apply(self, item):
        problem = item.error or validation_error(item.data)
        if problem:
            self.result.invalid.append((item.line, problem))
            return
        try:
            with transaction.atomic():
                self._apply(item.data)
        except Exception as error:  # noqa: BLE001 (one bad item must not stop the archive)
            self.result.invalid.append((item.line, f"{type(error).__name__}: {error}"))

    def _apply(self, data):
        uri = data["uri"]
        page = ArticlePage.objects.filter(uri=uri).first()
        record = ImportedArticle.objects.filter(uri=uri).first()
        if (page or record) is not None and not is_newer(data, record, page):
            # Same or older than what is applied: re-running an archive changes nothing.
            self.result.unchanged.append(uri)
            return
        if data.get("pubstatus") in TAKEDOWN_STATUSES:
            if page is None or not page.live:
                self.result.unchanged.append(uri)
            else:
                page.unpublish(user=self.user, log_action=True)
                self.result.taken_down.append(uri)
        elif page is None:
            page = self._create(data)
            self.result.created.append(uri)
        else:
            self._correct(data, page)
            self.result.corrected.append(uri)
        self._remember(data, page)

    def _create(self, data):
        locale = Locale.objects.get(language_code=language_code(data["language"]))
        channel = self.channel_for(locale)
        page = ArticlePage(uri=data["uri"], locale=locale, slug=self._slug(data), live=False)
        self._fill(page, data)
        page.editors_note = data.get("ednote", "")
        channel.add_child(instance=page)
        self._set_relations(page, data)
        self._publish(page)
        return page

    def _correct(self, data, page):
        page = page.get_latest_revision_as_object()
        self._fill(page, data)
        page.corrections.add(
            ArticleCorrection(
                date=_moment(data.get("versioncreated")) or timezone.now(),
                note=data.get("ednote")
                or _("Updated to version %(version)s of the archive")
                % {"version": data.get("version", "?")},
            )
        )
        self._set_relations(page, data)
        self._publish(page)

    def _publish(self, page):
        page.save_revision(user=self.user, log_action=True).publish(user=self.user)

    def _remember(self, data, page):
        ImportedArticle.objects.update_or_create(
            uri=data["uri"],
            defaults={
                "version": str(data.get("version", "")),
                "versioncreated": _moment(data.get("versioncreated")),
                "pubstatus": data.get("pubstatus", "usable"),
                "page": page,
            },
        )

    @staticmethod
    def _slug(data):
        # The uri's digest keeps slugs unique even when two archive articles share a title.
        digest = hashlib.sha1(data["uri"].encode(), usedforsecurity=False).hexdigest()[:8]
        title = slugify(headline(data, "main"), allow_unicode=True)[:60].strip("-")
        return f"{title}-{digest}" if title else f"article-{digest}"

    @staticmethod
    def _fill(page, data):
        page.title = headline(data, "main")[:255]
        page.subtitle = headline(data, "subtitle")[:255]
        page.kicker = headline(data, "kicker")[:255]
        page.summary = _description(data)
        page.dateline = (data.get("located") or "")[:100]
        page.date_published = _moment(data.get("firstcreated")) or _moment(
            data.get("versioncreated")
        )
        page.body = rich_text_body(_body_html(data))

    def _set_relations(self, page, data):
        # In-memory cluster relations: the revision carries them and publishing saves them.
        page.tags.set(
            [
                subject.get("name") or subject.get("literal")
                for subject in data.get("subjects") or []
                if subject.get("rel") == "tag" and (subject.get("name") or subject.get("literal"))
            ]
        )
        page.countries = self._countries(page.locale, data)
        page.article_authors = [
            ArticleAuthor(author=author) for author in self._authors(page.locale, data.get("by"))
        ]

    @staticmethod
    def _countries(locale, data):
        countries = []
        for place in data.get("places") or []:
            uri = place.get("uri") or ""
            if not uri.startswith(COUNTRY_URI_PREFIX):
                continue
            code = uri.removeprefix(COUNTRY_URI_PREFIX).upper()
            country = Country.objects.filter(code=code, locale=locale).first()
            if country is None:
                country = Country.objects.create(
                    code=code, name=place.get("name") or code, locale=locale
                )
            countries.append(country)
        return countries

    @staticmethod
    def _authors(locale, byline):
        byline = byline or ""
        names = [name.strip() for name in byline.replace("、", ",").split(",") if name.strip()]
        authors = []
        for name in names:
            author = Author.objects.filter(name=name, locale=locale).first()
            if author is None:
                slug = slugify(name, allow_unicode=True) or "author"
                author = Author.objects.create(name=name, slug=slug, locale=locale)
            authors.append(author)
        return authors

    def channel_for(self, locale):
        """The import channel in this language; the Chinese one is the source of translations."""
        source_home = self.homes[settings.LANGUAGE_CODE]
        source = ChannelPage.objects.child_of(source_home).filter(slug=self.channel_slug).first()
        if source is None:
            source = ChannelPage(title=self.channel_slug, slug=self.channel_slug)
            source_home.add_child(instance=source)
            source.save_revision(user=self.user).publish(user=self.user)
        if locale.language_code == settings.LANGUAGE_CODE:
            return source
        channel = source.get_translation_or_none(locale)
        if channel is None:
            channel = source.copy_for_translation(locale)
            channel.save_revision(user=self.user).publish(user=self.user)
        return channel.specific
