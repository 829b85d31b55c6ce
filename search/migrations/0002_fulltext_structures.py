"""Vendor-specific full text for the database engine (not expressible in portable models)."""

from django.db import migrations

PG_FORWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector",
    "CREATE INDEX search_doc_vector ON search_searchdocument USING GIN (search_vector)",
]
PG_BACKWARD = ["ALTER TABLE search_searchdocument DROP COLUMN search_vector"]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, lead, summary, body, grams)",
]
SQLITE_BACKWARD = ["DROP TABLE search_fts"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
