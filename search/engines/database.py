"""The embedded default: full text in the site's own database.

PostgreSQL: a weighted tsvector column (title A, lead B, summary C, body + bigrams D) with a
GIN index; European locales use their language's text search configuration (stemming),
Chinese uses `simple` over jieba's terms. SQLite: an FTS5 table with bm25 column weights.
Filters and facet counts are ORM queries over SearchFacet rows, the same on both.
"""

from django.db import connection, transaction
from django.db.models import BooleanField, Count, Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ..models import SearchDocument, SearchFacet
from .base import FACETS, RECENCY_HALF_LIFE_DAYS, RECENCY_WEIGHT, EngineHit, EngineResult
from .base import SearchEngine as BaseEngine

PG_CONFIGS = {
    "en": "english",
    "it": "italian",
    "es": "spanish",
    "fr": "french",
    "pt": "portuguese",
    "de": "german",
}
PG_WEIGHTS = "{0.1, 0.25, 0.4, 1.0}"  # D, C, B, A
FTS5_WEIGHTS = "10.0, 4.0, 2.5, 1.0, 0.5"  # title, lead, summary, body, grams
BODY_FLOOR = 0.01  # the rank of an article that matches in its body only
BATCH_SIZE = 500
VOCABULARY_TITLES = 3000


def pg_config(locale):
    return PG_CONFIGS.get(locale.split("-")[0], "simple")


def _fts5_phrase(text):
    return '"' + text.replace('"', '""') + '"'


def _bigram_phrase(run):
    return " ".join(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else run


class PostgresDialect:
    def refresh_vectors(self, page_ids, locale):
        config = pg_config(locale)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE search_searchdocument SET
                    rank_vector = v.head,
                    search_vector = v.head
                        || setweight(to_tsvector(%s::regconfig, body_terms || ' ' || grams), 'D')
                FROM (
                    SELECT page_id AS id,
                        setweight(to_tsvector(%s::regconfig, title_terms), 'A')
                        || setweight(to_tsvector(%s::regconfig, lead_terms), 'B')
                        || setweight(to_tsvector(%s::regconfig, summary_terms), 'C') AS head
                    FROM search_searchdocument WHERE page_id = ANY(%s)
                ) AS v
                WHERE page_id = v.id
                """,
                [config, config, config, config, list(page_ids)],
            )

    def delete(self, page_ids):
        pass  # the column goes with the row

    def tsquery(self, groups, runs, locale, mode):
        config = pg_config(locale)
        parts, params = [], []
        for group in groups:
            alternatives = " || ".join(["plainto_tsquery(%s::regconfig, %s)"] * len(group))
            parts.append(f"({alternatives})")
            for term in group:
                params += [config, term]
        joiner = " && " if mode == "all" else " || "
        sql = joiner.join(parts)
        if runs and mode == "all":
            # Contiguous character pairs: finds names jieba cut differently in the article.
            phrases = " && ".join(["phraseto_tsquery('simple', %s)"] * len(runs))
            sql = f"({sql}) || ({phrases})" if sql else f"({phrases})"
            params += [_bigram_phrase(run) for run in runs]
        return sql, params

    def matches(self, groups, runs, locale, mode):
        """A condition on the documents table itself, so the planner uses the GIN index.
        Unqualified: the facet query nests the documents under an alias."""
        sql, params = self.tsquery(groups, runs, locale, mode)
        # Only constants and %s placeholders go into the SQL; query terms travel as params.
        return RawSQL(  # noqa: S611
            f"search_vector @@ ({sql})", params, output_field=BooleanField()
        )

    def score(self, groups, runs, locale, mode):
        sql, params = self.tsquery(groups, runs, locale, mode)
        age = "EXTRACT(EPOCH FROM (now() - search_searchdocument.published_at)) / 86400.0"
        # Ranked on the small head vector (title, lead, summary): the full one is large and
        # toasted, and reading it for thousands of matches was slow. A match in the body
        # alone scores the floor. Only constants and %s placeholders go into the SQL.
        return RawSQL(  # noqa: S611
            f"(ts_rank('{PG_WEIGHTS}', search_searchdocument.rank_vector, ({sql})) + {BODY_FLOOR})"
            f" * (1 + {RECENCY_WEIGHT} * power(0.5, GREATEST(COALESCE({age}, 3650), 0)"
            f" / {RECENCY_HALF_LIFE_DAYS}))",
            params,
        )


class SqliteDialect:
    def refresh_vectors(self, page_ids, locale):
        rows = SearchDocument.objects.filter(page_id__in=page_ids).values_list(
            "page_id", "title_terms", "lead_terms", "summary_terms", "body_terms", "grams"
        )
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [[i] for i in page_ids])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, title, lead, summary, body, grams)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [list(row) for row in rows],
            )

    def delete(self, page_ids):
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [[i] for i in page_ids])

    def match_expression(self, groups, runs, mode):
        parts = ["(" + " OR ".join(_fts5_phrase(term) for term in group) + ")" for group in groups]
        expression = (" AND " if mode == "all" else " OR ").join(parts)
        if runs and mode == "all":
            phrases = " AND ".join(f"grams : {_fts5_phrase(_bigram_phrase(r))}" for r in runs)
            expression = f"({expression}) OR ({phrases})" if expression else phrases
        return expression

    def matches(self, groups, runs, locale, mode):
        expression = self.match_expression(groups, runs, mode)
        return RawSQL(  # noqa: S611 - the expression travels as a parameter
            "page_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
            [expression],
            output_field=BooleanField(),
        )

    def ranked_window(self, documents, query, mode):
        """FTS5's bm25 is only available inside the FTS query, so the matches' scores come
        from one FTS scan and the recency boost is applied here; a correlated bm25 per row
        was far slower. The same formula as PostgreSQL's."""
        expression = self.match_expression(query.groups, query.cjk_runs, mode)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, -bm25(search_fts, {FTS5_WEIGHTS}) FROM search_fts"  # noqa: S608
                " WHERE search_fts MATCH %s",
                [expression],
            )
            relevance = dict(cursor.fetchall())
        now = timezone.now()

        def score(row):
            page_id, published_at = row
            age_days = (now - published_at).days if published_at else 3650
            boost = 1 + RECENCY_WEIGHT * 0.5 ** (max(age_days, 0) / RECENCY_HALF_LIFE_DAYS)
            return relevance.get(page_id, 0.0) * boost

        rows = sorted(
            documents.values_list("page_id", "published_at"),
            key=lambda row: (score(row), row[1] or now),
            reverse=True,
        )[query.offset : query.offset + query.page_size]
        by_id = SearchDocument.objects.in_bulk([page_id for page_id, _ in rows])
        window = []
        for row in rows:
            document = by_id[row[0]]
            document.score = score(row)
            window.append(document)
        return window


def dialect():
    return PostgresDialect() if connection.vendor == "postgresql" else SqliteDialect()


def _facet_rows(document):
    rows = [("channel", document.channel)] if document.channel else []
    rows += [("topic", slug) for slug in document.topics]
    rows += [("tag", tag) for tag in document.tags]
    rows += [("country", code) for code in document.countries]
    if document.year:
        rows.append(("year", str(document.year)))
    return rows


class DatabaseEngine(BaseEngine):
    name = "database"

    def index(self, documents):
        documents = list(documents)
        for start in range(0, len(documents), BATCH_SIZE):
            self._index_batch(documents[start : start + BATCH_SIZE])

    @transaction.atomic
    def _index_batch(self, documents):
        if not documents:
            return
        rows = [
            SearchDocument(
                page_id=doc.page_id,
                locale=doc.locale,
                uri=doc.uri,
                url=doc.url,
                title=doc.title[:500],
                text=doc.text,
                channel=doc.channel,
                channel_title=doc.channel_title,
                year=doc.year,
                published_at=doc.published_at,
                **doc.terms(),
            )
            for doc in documents
        ]
        page_ids = [doc.page_id for doc in documents]
        SearchFacet.objects.filter(document_id__in=page_ids).delete()
        SearchDocument.objects.filter(page_id__in=page_ids).delete()
        SearchDocument.objects.bulk_create(rows)
        SearchFacet.objects.bulk_create(
            SearchFacet(document_id=doc.page_id, kind=kind, value=value[:255])
            for doc in documents
            for kind, value in _facet_rows(doc)
        )
        by_locale = {}
        for doc in documents:
            by_locale.setdefault(doc.locale, []).append(doc.page_id)
        for locale, ids in by_locale.items():
            dialect().refresh_vectors(ids, locale)

    @transaction.atomic
    def delete(self, page_ids):
        page_ids = list(page_ids)
        dialect().delete(page_ids)
        SearchDocument.objects.filter(page_id__in=page_ids).delete()

    def _filtered(self, query):
        documents = SearchDocument.objects.filter(locale=query.locale)
        for kind, value in query.filters.items():
            facet = SearchFacet.objects.filter(document=OuterRef("pk"), kind=kind, value=value)
            documents = documents.filter(Exists(facet))
        if query.date_from:
            documents = documents.filter(published_at__date__gte=query.date_from)
        if query.date_to:
            documents = documents.filter(published_at__date__lte=query.date_to)
        return documents

    def search(self, query, mode="all"):
        documents = self._matching(query, mode)
        total = documents.count()
        hits = self._window(documents, query, mode)
        return EngineResult(hits=hits, total=total, facets=self._facets(documents, total))

    def _matching(self, query, mode):
        documents = self._filtered(query)
        if query.has_terms:
            matches = dialect().matches(query.groups, query.cjk_runs, query.locale, mode)
            documents = documents.filter(matches)
        return documents

    def _window(self, documents, query, mode):
        """The hits of the query's page, best first (one query)."""
        groups, runs = query.groups, query.cjk_runs
        page = slice(query.offset, query.offset + query.page_size)
        if query.sort == "newest" or not query.has_terms:
            window = documents.order_by("-published_at", "-page_id")[page]
        elif isinstance(dialect(), SqliteDialect):
            window = dialect().ranked_window(documents, query, mode)
        else:
            score = dialect().score(groups, runs, query.locale, mode)
            window = documents.annotate(score=score).order_by("-score", "-published_at")[page]
        hits = [
            EngineHit(
                page_id=doc.page_id,
                score=float(getattr(doc, "score", 0.0) or 0.0),
                url=doc.url,
                uri=doc.uri,
                title=doc.title,
                text=doc.text,
                channel=doc.channel,
                published_at=doc.published_at,
            )
            for doc in window
        ]
        return hits

    def _facets(self, documents, total):
        facets = {name: [] for name in FACETS}
        if not total:
            return facets
        counts = (
            SearchFacet.objects.filter(document__in=documents.values("pk"), kind__in=FACETS)
            .values("kind", "value")
            .annotate(count=Count("pk"))  # one row per document, kind and value
        )
        for row in counts:
            facets[row["kind"]].append((row["value"], row["count"]))
        for name, values in facets.items():
            values.sort(key=lambda item: (-item[1], item[0]), reverse=False)
            if name == "year":
                values.sort(key=lambda item: item[0], reverse=True)
        return facets

    def suggest(self, prefix, locale, limit):
        from ..analysis import normalise

        titles = (
            SearchDocument.objects.filter(
                locale=locale, title_normalised__contains=normalise(prefix)
            )
            .order_by("-published_at")
            .values_list("title", flat=True)[:limit]
        )
        return list(titles)

    def more_like_this(self, page_id, locale, limit):
        document = SearchDocument.objects.filter(page_id=page_id).first()
        if document is None:
            return []
        terms = _characteristic_terms(document)
        if not terms:
            return []
        from .base import Query

        query = Query(
            text="", locale=locale, groups=tuple((t,) for t in terms), page_size=limit + 1
        )
        # Only the best few ids: the total and facets a search page shows would cost two
        # more queries on every article page for nothing.
        hits = self._window(self._matching(query, "any"), query, "any")
        return [hit.page_id for hit in hits if hit.page_id != page_id][:limit]

    def indexed_ids(self, locale=None):
        documents = SearchDocument.objects.all()
        if locale:
            documents = documents.filter(locale=locale)
        return set(documents.values_list("page_id", flat=True))

    def vocabulary(self, locale):
        rows = (
            SearchDocument.objects.filter(locale=locale)
            .order_by("-published_at")
            .values_list("title_terms", "lead_terms")[:VOCABULARY_TITLES]
        )
        return vocabulary_from_terms(" ".join(row) for row in rows)

    def rebuild(self, locale, documents, progress=None):
        """Rebuilt in one transaction: readers see the old rows until it commits."""
        with transaction.atomic():
            self.delete(self.indexed_ids(locale))
            count = 0
            batch = []
            for document in documents:
                batch.append(document)
                if len(batch) >= BATCH_SIZE:
                    count += self._flush(batch, progress)
            count += self._flush(batch, progress)
        self.refresh_statistics()
        return count

    def refresh_statistics(self):
        """After a bulk load: fresh planner statistics (PostgreSQL chose nested loops over
        20,000 rows it believed were one) and a merged FTS5 index (SQLite)."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE search_searchdocument")
                cursor.execute("ANALYZE search_searchfacet")
            else:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
                cursor.execute("ANALYZE")

    def _flush(self, batch, progress):
        self._index_batch(list(batch))
        flushed = len(batch)
        if progress:
            progress(flushed)
        batch.clear()
        return flushed


def _characteristic_terms(document, limit=12):
    """Title, lead and summary words, longest first: what an article is about."""
    words = f"{document.title_terms} {document.lead_terms} {document.summary_terms}".split()
    unique = list(dict.fromkeys(word for word in words if len(word) > 1))
    return sorted(unique, key=len, reverse=True)[:limit]


def vocabulary_from_terms(lines):
    vocabulary = set()
    for line in lines:
        words = line.split()
        vocabulary.update(words)
        vocabulary.update(a + b for a, b in zip(words, words[1:], strict=False))
    return vocabulary
