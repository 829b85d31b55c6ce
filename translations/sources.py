"""wagtail-localize's copy of a source page (TranslationSource and its segments), in bulk.

`TranslationSource.update_or_create_from_instance` stores each segment with three
get_or_create calls (string, context, segment) and an UPDATE for the context's field path:
about 60 queries for a short article, a third of the cost of its automatic zh-hant edition.
`update_source` writes the same rows (same models, hashes and field paths, so the segment
editor, synced translations and outdated marking see no difference) with a few queries per
kind of row. Related-object and overridable segments, rare in articles, keep wagtail-localize's
own per-segment path.
"""

import functools
import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from modelcluster.models import ClusterableModel, get_serializable_data_for_fields
from wagtail.models import Page
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    String,
    StringSegment,
    Template,
    TemplateSegment,
    TranslatableObject,
    TranslationContext,
    TranslationSource,
    get_schema_version,
)
from wagtail_localize.segments import (
    OverridableSegmentValue,
    RelatedObjectSegmentValue,
    TemplateSegmentValue,
)
from wagtail_localize.segments.extract import extract_segments


def update_source(instance):
    """What TranslationSource.update_or_create_from_instance does, with bulk segments:
    returns (source, created); a source whose content is unchanged is left alone."""
    if isinstance(instance, Page):
        instance = instance.specific
    # No savepoint when called inside a transaction (the task's): a failure undoes the
    # whole edition anyway, and each savepoint is two more round trips to the database.
    with transaction.atomic(savepoint=False):
        translatable, _created = TranslatableObject.objects.get_or_create_from_instance(instance)
        content_json = source_json(instance)
        # Locked: two corrections of one article processed at once update it in turn.
        source = (
            TranslationSource.objects.select_for_update()
            .filter(object_id=translatable.translation_key, locale_id=instance.locale_id)
            .first()
        )
        if source is not None and json.loads(content_json) == json.loads(source.content_json):
            return source, False
        fields = {
            "object_repr": str(instance)[:200],
            "content_json": content_json,
            "schema_version": schema_version(instance._meta.app_label),
            "last_updated_at": timezone.now(),
        }
        created = source is None
        if created:
            source = TranslationSource.objects.create(
                object=translatable,
                locale_id=instance.locale_id,
                specific_content_type=ContentType.objects.get_for_model(instance.__class__),
                **fields,
            )
        else:
            for name, value in fields.items():
                setattr(source, name, value)
            source.save(update_fields=list(fields))
        refresh_segments(source, instance, new=created)
    return source, created


@functools.cache
def schema_version(app_label):
    # The app's last migration (a query each time in wagtail-localize); it only changes with a
    # deployment, which starts new processes.
    return get_schema_version(app_label)


def source_json(instance):
    if isinstance(instance, ClusterableModel):
        return instance.to_json()
    return json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder)


def refresh_segments(source, instance, new=False):
    """TranslationSource.refresh_segments with a few queries per kind of row. `instance` is
    what the source was just made from (wagtail-localize reads it back from content_json);
    a `new` source has no segments yet to look up or delete."""
    values = list(extract_segments(instance))
    contexts = contexts_by_path(source.object_id, {value.path for value in values}, instance)
    seen = {
        StringSegment: store_string_segments(source, values, contexts, new),
        TemplateSegment: store_template_segments(source, values, contexts, new),
        RelatedObjectSegment: [],
        OverridableSegment: [],
    }
    for value in values:
        if isinstance(value, RelatedObjectSegmentValue | OverridableSegmentValue):
            model = (
                RelatedObjectSegment
                if isinstance(value, RelatedObjectSegmentValue)
                else OverridableSegment
            )
            seen[model].append(model.from_value(source, value).pk)
    if not new:
        for model, ids in seen.items():
            model.objects.filter(source=source).exclude(pk__in=ids).delete()


def contexts_by_path(object_id, paths, instance):
    """{path: TranslationContext} of the object, creating the missing ones with their field
    path already filled in (wagtail-localize fills it in with one UPDATE each)."""
    existing = {
        context.path: context
        for context in TranslationContext.objects.filter(
            object_id=object_id,
            path_id__in=[TranslationContext._get_path_id(path) for path in paths],
        )
    }
    missing = [
        new_context(object_id, path, instance) for path in sorted(paths) if path not in existing
    ]
    if missing:
        TranslationContext.objects.bulk_create(missing, ignore_conflicts=True)
        existing.update(
            (context.path, context)
            for context in TranslationContext.objects.filter(
                object_id=object_id, path_id__in=[context.path_id for context in missing]
            )
        )
    for context in existing.values():
        if not context.field_path:  # made by a wagtail-localize release before 1.0
            context.get_field_path(instance)
    return existing


def new_context(object_id, path, instance):
    context = TranslationContext(
        object_id=object_id, path=path, path_id=TranslationContext._get_path_id(path)
    )
    # get_field_path computes the path and saves it; here it only computes it, before the
    # insert (an instance attribute: the model's save is untouched).
    context.save = lambda **kwargs: None
    context.get_field_path(instance)
    del context.save
    return context


def store_string_segments(source, values, contexts, new):
    """The StringSegments of `values` (get or create, as StringSegment.from_value); their ids."""
    string_values = [
        value
        for value in values
        if not isinstance(
            value, TemplateSegmentValue | RelatedObjectSegmentValue | OverridableSegmentValue
        )
    ]
    strings = strings_by_data(source.locale_id, {value.string.data for value in string_values})
    wanted = {
        (
            contexts[value.path].pk,
            value.order,
            strings[value.string.data].pk,
            json.dumps(value.attrs, cls=DjangoJSONEncoder),
        )
        for value in string_values
    }
    return get_or_create_segments(
        StringSegment, source, wanted, ("context_id", "order", "string_id", "attrs"), new
    )


def store_template_segments(source, values, contexts, new):
    """The TemplateSegments of `values`; their ids. The paragraphs of an article mostly share
    one template, read or created once here (Template.from_value once per segment)."""
    template_values = [value for value in values if isinstance(value, TemplateSegmentValue)]
    templates = {}
    for value in template_values:
        key = (value.format, value.template)
        if key not in templates:
            templates[key] = Template.from_value(value)
    wanted = {
        (contexts[value.path].pk, value.order, templates[value.format, value.template].pk)
        for value in template_values
    }
    return get_or_create_segments(
        TemplateSegment, source, wanted, ("context_id", "order", "template_id"), new
    )


def get_or_create_segments(model, source, wanted, fields, new):
    """Ids of the segments of `source` with the `wanted` field tuples, inserting the missing."""
    existing = {}
    if not new:
        existing = {
            tuple(row[:-1]): row[-1]
            for row in model.objects.filter(source=source).values_list(*fields, "pk")
        }
    missing = [
        model(source=source, **dict(zip(fields, key, strict=True)))
        for key in wanted
        if key not in existing
    ]
    created = model.objects.bulk_create(missing)
    return [existing[key] for key in wanted if key in existing] + [row.pk for row in created]


def strings_by_data(locale_id, texts):
    """{text: String} in the locale, inserting the missing ones (another worker may insert
    the same string meanwhile: the unique (locale, hash) keeps one, which is read back)."""
    hashes = {String._get_data_hash(text): text for text in texts}

    def read():
        return {
            hashes[string.data_hash]: string
            for string in String.objects.filter(locale_id=locale_id, data_hash__in=list(hashes))
        }

    found = read()
    missing = [
        String(locale_id=locale_id, data_hash=data_hash, data=text)
        for data_hash, text in hashes.items()
        if text not in found
    ]
    if missing:
        String.objects.bulk_create(missing, ignore_conflicts=True)
        found = read()
    return found
