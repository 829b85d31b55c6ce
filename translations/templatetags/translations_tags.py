from django import template

from wagtail_localize.models import StringSegment

from .. import review
from ..glossary import terms_in_text

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key)


@register.inclusion_tag("translations/admin/editor_aids.html", takes_context=True)
def translation_aids(context, translation, instance):
    """Beside wagtail-localize's segment editor: the glossary terms of this text and what
    still needs a person's confirmation."""
    source_text = " ".join(
        StringSegment.objects.filter(source_id=translation.source_id).values_list(
            "string__data", flat=True
        )
    )
    pending = review.unconfirmed_machine_segments(translation).count()
    return {
        "request": context.get("request"),
        "translation": translation,
        "glossary": terms_in_text(source_text, translation.target_locale),
        "review_required": review.review_required(instance),
        "unconfirmed": pending,
    }
