"""Human confirmation of machine-filled segments, for channels that ask for review."""

from django.db.models import Max
from django.utils.translation import ngettext

from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from cms.publishing import PublishingRefused

from .machine import TRADITIONAL
from .models import ChannelTranslationSettings, MachineTranslationConfirmation

# The page-history entry left when scheduled go-live waits for a confirmation.
SCHEDULE_UNCONFIRMED_ACTION = "qiaoyin.publish.scheduled.unconfirmed_machine_translation"


def translation_for_page(page):
    """The enabled (synced) wagtail-localize translation whose target is `page`, if any."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )


def machine_segments(translation):
    """The translation's segments whose current text a machine filled in."""
    segments = StringSegment.objects.filter(source_id=translation.source_id)
    return StringTranslation.objects.filter(
        locale_id=translation.target_locale_id,
        translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
        translation_of_id__in=segments.values("string_id"),
        context_id__in=segments.values("context_id"),
    )


def review_required(page):
    if not isinstance(page, Page):
        return False  # snippets belong to no channel
    options = ChannelTranslationSettings.for_page(page)
    return bool(options and options.review_machine_translations)


def unconfirmed_machine_segments(translation):
    """Machine segments no person has confirmed since they were filled in."""
    segments = machine_segments(translation)
    confirmed_at = MachineTranslationConfirmation.objects.filter(translation=translation).aggregate(
        latest=Max("confirmed_at")
    )["latest"]
    if confirmed_at is not None:
        segments = segments.filter(updated_at__gt=confirmed_at)
    return segments


def publishing_blocked(page):
    """How many machine segments must be confirmed before `page` may be published (0: none)."""
    translation = translation_for_page(page)
    if translation is None:
        return 0
    options = ChannelTranslationSettings.for_page(page)
    if not (options and options.review_machine_translations):
        return 0
    if _automatic_traditional_edition(page, options):
        return 0
    return unconfirmed_machine_segments(translation).count()


def _automatic_traditional_edition(page, options):
    """The channel chose "create and publish" for its OpenCC zh-hant edition: the editors
    accepted that conversion without a person's reading, so it needs no confirmation."""
    published_automatically = (
        options.traditional_edition == ChannelTranslationSettings.TraditionalEdition.PUBLISH
    )
    return published_automatically and page.locale.language_code == TRADITIONAL


class UnconfirmedMachineTranslationError(PublishingRefused):
    """Publishing refused: the channel asks for review and machine-filled segments of this
    translation wait for a person's confirmation."""

    schedule_log_action = SCHEDULE_UNCONFIRMED_ACTION

    def __init__(self, page, count):
        super().__init__(
            page,
            ngettext(
                "“%(title)s” was not published: %(count)d machine-translated segment needs "
                "a person's confirmation first.",
                "“%(title)s” was not published: %(count)d machine-translated segments need "
                "a person's confirmation first.",
                count,
            )
            % {"title": page.title, "count": count},
            code="unconfirmed_machine_translation",
            log_data={"count": count},
        )


def unconfirmed_machine_translation_refusal(page: Page) -> PublishingRefused | None:
    """A `refuse_publishing` rule (cms/publishing.py): every publishing path, not only the
    editor's Publish button, waits for the confirmation."""
    if not isinstance(page, Page) or page.locale_id is None:
        return None
    pending = publishing_blocked(page)
    return UnconfirmedMachineTranslationError(page, pending) if pending else None


def confirm(translation, user):
    return MachineTranslationConfirmation.objects.create(translation=translation, confirmed_by=user)
