"""PostgreSQL: the normalised title and the rank vector kept in the row (STORAGE MAIN).

Every ranked match reads both (the phrase bonus and ts_rank_cd); out of line in TOAST
they cost a TOAST index lookup and page read each: ~70,000 buffers for a common word over
100,000 articles. MAIN still compresses them, and moves them out only as a last resort.
(rank_vector has been MAIN since 0004; restated here so the pair reads in one place.)
The setting applies to values written from now on: rows already indexed move in with
their next write, or all at once with `search_reindex`.
"""

from django.db import migrations

COLUMNS = ("title_normalised", "rank_vector")
PG_FORWARD = [
    f"ALTER TABLE search_searchdocument ALTER COLUMN {column} SET STORAGE MAIN"
    for column in COLUMNS
]
PG_BACKWARD = [
    f"ALTER TABLE search_searchdocument ALTER COLUMN {column} SET STORAGE EXTENDED"
    for column in COLUMNS
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0006_stop_words")]

    operations = [migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD))]
