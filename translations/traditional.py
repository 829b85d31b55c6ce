"""The Traditional Chinese edition of an article, produced by OpenCC through wagtail-localize.

Going through wagtail-localize (rather than copying the page and converting its fields) keeps
the edition an ordinary synced translation: one translation key with the original, every
segment marked as machine-filled, editable in the segment editor, and a human's corrections
kept when the original changes again (only segments without a translation are converted).
"""

import re

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.text import slugify

from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.models.copying import _copy, _copy_m2m_relations
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationLog,
)
from wagtail_localize.segments.ingest import ingest_segments

from .machine import TRADITIONAL, OpenCCTranslator, opencc_converter
from .sources import update_source

BULK_BATCH_SIZE = 500


def traditional_translator():
    return OpenCCTranslator(settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR.get("OPTIONS", {}))


CHINESE = re.compile(r"[\u3400-\u9fff]")


def without_chinese(text):
    """Library text for an edition that does not read Chinese: a Chinese caption or alt
    text is left out (the image then counts as decorative, the article's own translated
    caption still shows) rather than shown in a language its readers do not read."""
    return "" if CHINESE.search(text) else text


def to_traditional(text):
    """Simplified text in Traditional script, with the newsroom's regional variant: for what
    readers see that has no translatable home (photo captions, station names)."""
    translator = traditional_translator()
    return opencc_converter(translator.variant).convert(text)


def untranslated_segments(translation):
    translated = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=translation.target_locale_id,
    )
    return (
        StringSegment.objects.filter(source_id=translation.source_id)
        .exclude(Exists(translated))
        .select_related("string")
    )


def fill_machine_translations(translation, translator, user=None):
    """Machine-translate every segment that has no translation yet; returns how many.

    wagtail-localize's apply_machine_translation does the same with one query per segment;
    this does it with one query and one bulk insert, which the 1,000-article bench needs.
    """
    segments = list(untranslated_segments(translation))
    if not segments:
        return 0
    values = {segment.string_id: segment.string.as_value() for segment in segments}
    translated = translator.translate(
        translation.source.locale, translation.target_locale, list(values.values())
    )
    StringTranslation.objects.bulk_create(
        [
            StringTranslation(
                translation_of_id=segment.string_id,
                locale_id=translation.target_locale_id,
                context_id=segment.context_id,
                data=translated[values[segment.string_id]].data,
                translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
                tool_name=translator.display_name,
                last_translated_by=user,
            )
            for segment in segments
            if translated.get(values[segment.string_id]) is not None
        ],
        batch_size=BULK_BATCH_SIZE,
        ignore_conflicts=True,
    )
    return len(segments)


def managed_translation(page, target_locale):
    """The synced wagtail-localize translation of `page` into `target_locale`, if any."""
    return Translation.objects.filter(
        source__object_id=page.translation_key,
        source__locale_id=page.locale_id,
        target_locale=target_locale,
    ).first()


@transaction.atomic
def produce_traditional_edition(page, publish=True, user=None):
    """Create or update the zh-hant edition of a Simplified page; returns it (None if the
    zh-hant edition is edited by hand, outside synced translation, and so is left alone).

    One transaction: Wagtail's index updates for the edition are queued once, at its commit."""
    saved = save_edition(page.specific, user)
    if saved is None:
        return None
    edition, revision = saved
    if publish:
        revision.publish(user=user)
        edition.refresh_from_db()
    return edition


def save_edition(page, user):
    """The edition's new revision (with the page created if need be): (edition, revision),
    or None for an edition that is not a synced translation."""
    target_locale = Locale.objects.get(language_code=TRADITIONAL)
    translation = managed_translation(page, target_locale)
    if translation is None and page.has_translation(target_locale):
        return None
    if translation is not None and not translation.enabled:
        return None
    ensure_parent_edition(page, target_locale, user)
    source, _created = update_source(page)
    new_translation = translation is None
    if new_translation:
        translation = Translation.objects.create(source=source, target_locale=target_locale)
    fill_machine_translations(translation, traditional_translator(), user=user)
    # Without a synced translation there was no edition (checked above); with one, the
    # edition may have been deleted since.
    if new_translation or not page.has_translation(target_locale):
        return create_edition(page, source, target_locale, user)
    # save_target(publish=True) would publish on commit, from a page object whose tree
    # fields are stale by then (its children were added meanwhile): publish here instead.
    translation.save_target(user=user, publish=False)
    edition = page.get_translation(target_locale)
    revision = edition.get_latest_revision()
    draft = revision.as_object()
    if convert_copied_texts(page, draft):
        revision = draft.save_revision(user=user, clean=False)
    return edition, revision


def convert_copied_texts(page, edition):
    """What wagtail-localize copies from the original as it is, having no segments for it
    (tags, correction notes), in Traditional script on the edition; True if it changed.
    Else a zh-hant page shows them in Simplified (its chips, meta tags, feeds, 更正)."""
    tags_changed = convert_tags(page, edition)
    return convert_correction_notes(edition) or tags_changed


def convert_tags(page, edition):
    if not hasattr(page, "tags"):
        return False
    names = sorted({to_traditional(tag.name) for tag in page.tags.all()})
    if sorted(tag.name for tag in edition.tags.all()) == names:
        return False
    edition.tags.set(names)
    return True


def convert_correction_notes(edition):
    if not hasattr(edition, "corrections"):
        return False
    corrections = list(edition.corrections.all())
    notes = [to_traditional(correction.note) for correction in corrections]
    if notes == [correction.note for correction in corrections]:
        return False
    edition.corrections = [
        type(correction)(date=correction.date, note=note)
        for correction, note in zip(corrections, notes, strict=True)
    ]
    return True


def create_edition(page, source, target_locale, user):
    """The first, unpublished edition of `page` in `target_locale`, filled in from the
    source's translated segments; returns it and its revision.

    wagtail-localize's save_target makes it with Wagtail's copy_for_translation (a save, a
    revision, a log entry and a second save of the copy) and then fills it in with another
    save and revision: five saves with publication instead of three, and two revisions. This
    does what both do for a new page, with the same helpers, in one save and one revision.
    """
    exclude = page.default_exclude_fields_in_copy + page.exclude_fields_in_copy
    parent_edition = page.get_parent().get_translation(target_locale)
    edition, child_objects = _copy(
        page,
        exclude_fields=exclude,
        update_attrs={
            "locale": target_locale,
            "live": False,
            "has_unpublished_changes": True,
            "live_revision": None,
            "first_published_at": None,
            "last_published_at": None,
            "alias_of": None,
        },
    )
    for child in child_objects.values():
        if isinstance(child, TranslatableMixin):
            child.locale = target_locale
    segments = source._get_segments_for_translation(target_locale, fallback=True)
    ingest_segments(page, edition, source.locale, target_locale, segments)
    edition.slug = find_available_slug(parent_edition, slugify(edition.slug))
    parent_edition.add_child(instance=edition)
    _copy_m2m_relations(page, edition, exclude_fields=exclude)
    convert_copied_texts(page, edition)
    revision = edition.save_revision(user=user, clean=False)
    source.sync_view_restrictions(page, edition)
    TranslationLog.objects.create(source=source, locale=target_locale, revision=revision)
    return edition, revision


def ensure_parent_edition(page, target_locale, user):
    """A channel without a zh-hant edition gets one (converted and live) before its article:
    wagtail-localize would otherwise copy it as an unconverted draft."""
    parent = page.get_parent()
    if parent.is_root() or parent.has_translation(target_locale):
        return
    produce_traditional_edition(parent.specific, publish=True, user=user)


def take_down_edition(translation_key, language_code=TRADITIONAL, user=None):
    """Unpublish the live `language_code` edition of an article; True if one was live."""
    edition = Page.objects.filter(
        translation_key=translation_key, locale__language_code=language_code, live=True
    ).first()
    if edition is None:
        return False
    edition.specific.unpublish(user=user)
    return True


@transaction.atomic
def produce_traditional_snippet(snippet, user=None):
    """Create or update the zh-hant version of a Simplified snippet (author, source,
    country) as a synced wagtail-localize translation filled by OpenCC, as articles are;
    returns it, or None where the zh-hant version was made by hand (left alone).

    Only segments without a translation are converted, so a translator's corrections in
    the segment editor survive the next change of the original."""
    target_locale = Locale.objects.get(language_code=TRADITIONAL)
    translation = Translation.objects.filter(
        source__object_id=snippet.translation_key,
        source__locale_id=snippet.locale_id,
        target_locale=target_locale,
    ).first()
    if translation is None and snippet.has_translation(target_locale):
        return None
    if translation is not None and not translation.enabled:
        return None
    for related in related_snippets(snippet):
        # A byline's country first, so the author's zh-hant version points at its own.
        produce_traditional_snippet(related, user=user)
    source, _created = update_source(snippet)
    if translation is None:
        translation = Translation.objects.create(source=source, target_locale=target_locale)
    fill_machine_translations(translation, traditional_translator(), user=user)
    translation.save_target(user=user)
    return snippet.get_translation(target_locale)


def related_snippets(snippet):
    """The translatable snippets `snippet` points at (an author's country)."""
    related = []
    for field in snippet._meta.concrete_fields:
        model = getattr(field, "related_model", None)
        if field.many_to_one and model is not None and issubclass(model, TranslatableMixin):
            value = getattr(snippet, field.name)
            if value is not None and value.locale_id == snippet.locale_id:
                related.append(value)
    return related
