"""The newsroom glossary as translators and machine translators use it."""

from .models import GlossaryRendering, GlossaryTerm


def glossary_entries(source_locale, target_locale):
    """{term: rendering} from Simplified Chinese into `target_locale` (empty for other sources)."""
    if source_locale.language_code != "zh-hans":
        return {}
    return dict(
        GlossaryRendering.objects.filter(locale=target_locale).values_list("term__term", "text")
    )


def terms_in_text(text, target_locale):
    """The glossary terms that occur in `text`, with their rendering in `target_locale`."""
    renderings = dict(
        GlossaryRendering.objects.filter(locale=target_locale).values_list("term_id", "text")
    )

    return [
        {"term": term.term, "note": term.note, "rendering": renderings.get(term.pk, "")}
        for term in GlossaryTerm.objects.all()
        if term.term in text
    ]
