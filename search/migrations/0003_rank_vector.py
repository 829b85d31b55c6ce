"""PostgreSQL: a small vector (title, lead, summary) for ranking.

Ranking reads the vector of every match; the full vector (with the body) is large and
toasted, so ranking thousands of matches on it was slow. Matching still uses the full one.
"""

from django.db import migrations

PG_FORWARD = ["ALTER TABLE search_searchdocument ADD COLUMN rank_vector tsvector"]
PG_BACKWARD = ["ALTER TABLE search_searchdocument DROP COLUMN rank_vector"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_structures")]

    operations = [migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD))]
