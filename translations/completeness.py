"""A translation goes live only when every segment is translated.

wagtail-localize copies the source text into every segment nobody has translated yet, so a
published incomplete translation shows Chinese headlines and paragraphs under lang="en" on the
site, in the feeds and sitemaps, and to the stations. Submitting a translation therefore makes
a draft (WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False) and this rule refuses to
publish it, on every publishing path, while segments are left. The OpenCC zh-hant edition is
complete by construction (every segment is converted) and passes.
"""

from django.utils.translation import ngettext

from wagtail.models import Page

from cms.publishing import PublishingRefused

from .review import translation_for_page

# The page-history entry left when scheduled go-live waits for the missing segments.
SCHEDULE_UNTRANSLATED_ACTION = "qiaoyin.publish.scheduled.untranslated_segments"


def untranslated_segment_count(page):
    """How many segments of the synced translation that `page` is the target of are still
    untranslated (0 for a page that is no such translation)."""
    if not isinstance(page, Page) or page.locale_id is None:
        return 0
    translation = translation_for_page(page)
    if translation is None:
        return 0
    total, translated = translation.get_progress()
    return total - translated


def untranslated_message(title, count):
    return ngettext(
        "“%(title)s” was not published: %(count)d segment is still untranslated. "
        "Translate it first.",
        "“%(title)s” was not published: %(count)d segments are still untranslated. "
        "Translate them first.",
        count,
    ) % {"title": title, "count": count}


class UntranslatedSegmentsError(PublishingRefused):
    """Publishing refused: the translation still has untranslated segments."""

    schedule_log_action = SCHEDULE_UNTRANSLATED_ACTION

    def __init__(self, page, count):
        super().__init__(
            page,
            untranslated_message(page.title, count),
            code="untranslated_segments",
            log_data={"count": count},
        )


def untranslated_segments_refusal(page):
    """A `refuse_publishing` rule (cms/publishing.py)."""
    left = untranslated_segment_count(page)
    return UntranslatedSegmentsError(page, left) if left else None
