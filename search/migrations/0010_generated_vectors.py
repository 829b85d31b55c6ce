"""PostgreSQL: the vectors as generated columns, so indexing writes each document once.

The vectors were computed from the stored terms by an UPDATE after the bulk INSERT
(engines/database.py, refresh_vectors): every document was written twice, with its GIN
entries twice, and the first versions left the table a third to a half dead space after
VACUUM (100,000 articles: 11,400 heap pages for 8,000 pages of live rows). As generated
columns (PostgreSQL 12+) they are computed in the INSERT, and follow any later change of
the terms. The text search configuration per locale is written in as constants: these are
engines/database.py's PG_CONFIGS at the time of this migration (a change there needs a
migration like this one). rank_vector stays STORAGE MAIN (0007).

Rewrites the table and rebuilds the index of the matches (0009): on 100,000 articles
about a minute; on a newsroom's own archive, seconds.
"""

from django.db import migrations

PG_CONFIGS = {
    "en": "english",
    "it": "italian",
    "es": "spanish",
    "fr": "french",
    "pt": "portuguese",
    "de": "german",
}
CONFIG = (
    "CASE split_part(locale, '-', 1) "
    + " ".join(f"WHEN '{code}' THEN '{name}'::regconfig" for code, name in PG_CONFIGS.items())
    + " ELSE 'simple'::regconfig END"
)
HEAD = (
    f"setweight(to_tsvector({CONFIG}, title_terms), 'A')"
    f" || setweight(to_tsvector({CONFIG}, lead_terms), 'B')"
    f" || setweight(to_tsvector({CONFIG}, summary_terms), 'C')"
)
FULL = f"{HEAD} || setweight(to_tsvector({CONFIG}, body_terms || ' ' || grams), 'D')"
INDEX = (
    "CREATE INDEX IF NOT EXISTS search_doc_match ON search_searchdocument USING GIN"
    " (search_vector, published_at, (string_to_array(countries, ' ')),"
    " (string_to_array(topics, ' ')), channel, year)"
)
PG_FORWARD = [
    # One rewrite of the table: both columns dropped and added back in one statement.
    "ALTER TABLE search_searchdocument DROP COLUMN search_vector, DROP COLUMN rank_vector,"
    f" ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS ({HEAD}) STORED,"
    f" ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({FULL}) STORED,"
    " ALTER COLUMN rank_vector SET STORAGE MAIN",
    INDEX,
]
PG_BACKWARD = [
    # Plain columns again, keeping the values (refresh_vectors writes them from then on).
    "ALTER TABLE search_searchdocument ALTER COLUMN rank_vector DROP EXPRESSION,"
    " ALTER COLUMN search_vector DROP EXPRESSION",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0009_row_filters_in_the_match_index")]

    operations = [migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD))]
