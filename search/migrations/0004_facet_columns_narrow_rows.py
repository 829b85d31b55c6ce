"""Facet columns on the document row, and narrow heap rows on PostgreSQL.

A common word matches most of the corpus; counting and ranking those matches read every
matched row. With the default TOAST threshold (~2 kB) the terms, text and vectors stayed
inline and a matched row cost ~3.5 kB of heap. A 128-byte target moves the long columns
out of line, so the rows a search visits (ids, facets, dates, the small rank vector, kept
inline with STORAGE MAIN) fit in ~12 MB for 20,000 articles. Rows written before this
migration keep their layout until the next reindex.
"""

from django.db import migrations, models

PG_FORWARD = [
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)",
    "ALTER TABLE search_searchdocument ALTER COLUMN rank_vector SET STORAGE MAIN",
]
PG_BACKWARD = [
    "ALTER TABLE search_searchdocument RESET (toast_tuple_target)",
    "ALTER TABLE search_searchdocument ALTER COLUMN rank_vector SET STORAGE EXTENDED",
]
FACET_COLUMNS = {"country": "countries", "topic": "topics"}


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def fill_facet_columns(apps, schema_editor):
    """Already indexed documents get their facet columns from their SearchFacet rows."""
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchFacet = apps.get_model("search", "SearchFacet")
    values = {}
    facets = SearchFacet.objects.filter(kind__in=FACET_COLUMNS).order_by("value")
    for document_id, kind, value in facets.values_list("document_id", "kind", "value"):
        values.setdefault(document_id, {}).setdefault(FACET_COLUMNS[kind], []).append(value)
    documents = list(SearchDocument.objects.filter(pk__in=values))
    for document in documents:
        for column, items in values[document.pk].items():
            setattr(document, column, " ".join(items))
    SearchDocument.objects.bulk_update(documents, list(FACET_COLUMNS.values()), batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_rank_vector")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="countries",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="topics",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(fill_facet_columns, migrations.RunPython.noop),
        migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD)),
    ]
