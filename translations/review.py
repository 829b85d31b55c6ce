"""Human confirmation of machine-filled segments, for channels that ask for review."""

from django.db.models import Max

from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from .models import ChannelTranslationSettings, MachineTranslationConfirmation


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
    if translation is None or not review_required(page):
        return 0
    return unconfirmed_machine_segments(translation).count()


def confirm(translation, user):
    return MachineTranslationConfirmation.objects.create(translation=translation, confirmed_by=user)
