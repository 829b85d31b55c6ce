"""The embedded default: full text in the site's own database.

PostgreSQL: a weighted tsvector column (title A, lead B, summary C, body + bigrams D) with a
GIN index, generated from the stored terms in the INSERT (migration 0010); European locales
use their language's text search configuration (stemming), Chinese uses `simple` over
jieba's terms. SQLite: an FTS5 table with bm25 column weights.
Filters are ORM queries over SearchFacet rows, the same on both. Facet counts come from
columns on the document row: on PostgreSQL the total, the facets and the ranked page come
from one statement that reads the matches once.
"""

import heapq
import math
from collections import Counter
from datetime import UTC, datetime
from itertools import combinations

from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone

from ..analysis import normalise
from ..models import SearchDocument, SearchFacet
from .base import (
    FACETS,
    PHRASE_WEIGHT,
    RECENCY_HALF_LIFE_DAYS,
    RECENCY_WEIGHT,
    STEMMED_LANGUAGES,
    STRICT_BONUS,
    EngineHit,
    EngineResult,
    Query,
    total_cap,
)
from .base import SearchEngine as BaseEngine

# Written into the generated vector columns too (migration 0010): a change needs a migration.
PG_CONFIGS = STEMMED_LANGUAGES
PG_WEIGHTS = "{0.1, 0.25, 0.4, 1.0}"  # D, C, B, A
FTS5_WEIGHTS = "10.0, 4.0, 2.5, 1.0, 0.5"  # title, lead, summary, body, grams
BODY_FLOOR = 0.01  # the rank of an article that matches in its body only
BATCH_SIZE = 500
VOCABULARY_TITLES = 3000
# Related articles (more-like-this on PostgreSQL) are ranked among the matching articles
# nearest in time: this many published up to the article, and this many after it.
RELATED_BEFORE = 200
RELATED_AFTER = 100
# A search's candidates on PostgreSQL (see window): among the newest 4, 8, 16, 32, 64
# times the cap of articles, the smallest that holds the cap's matches at the density the
# window before it found, with WINDOW_MARGIN to spare; the windows' dates are kept
# WINDOW_SECONDS (a date older by a few new articles only widens the window a little).
WINDOW_STEPS = (4, 8, 16, 32, 64)
WINDOW_MARGIN = 1.25
# The filters a search tests on the document row itself (column), not on its facet rows.
ROW_FILTERS = {"channel": "channel", "year": "year", "country": "countries", "topic": "topics"}
WINDOW_SECONDS = 60


def pg_config(locale):
    return PG_CONFIGS.get(locale.split("-")[0], "simple")


def _fts5_phrase(text):
    return '"' + text.replace('"', '""') + '"'


def _bigram_phrase(run):
    return " ".join(run[i : i + 2] for i in range(len(run) - 1)) if len(run) > 1 else run


class PostgresDialect:
    def refresh_vectors(self, page_ids, locale):
        pass  # generated columns, computed in the INSERT (migration 0010)

    def delete(self, page_ids):
        pass  # the column goes with the row

    def tsquery(self, groups, runs, locale, mode, minimum=0):
        # The configuration is one of ours (PG_CONFIGS or 'simple'), written in as a
        # constant: only the terms travel as params.
        config = pg_config(locale)
        parts, params = [], []
        for group in groups:
            alternatives = " || ".join([f"plainto_tsquery('{config}', %s)"] * len(group))
            parts.append((f"({alternatives})", list(group)))
        if mode == "all" and 0 < minimum < len(parts):
            # Most of the terms: any `minimum` of them, one tsquery the GIN index answers
            # without reading a single vector (at most C(6, 3) = 20 conjunctions).
            conjunctions = []
            for combo in combinations(parts, minimum):
                conjunctions.append("(" + " && ".join(sql for sql, _ in combo) + ")")
                params += [term for _, terms in combo for term in terms]
            sql = " || ".join(conjunctions)
        else:
            sql = (" && " if mode == "all" else " || ").join(sql for sql, _ in parts)
            params += [term for _, terms in parts for term in terms]
        if runs and mode == "all":
            # The run's character pairs: finds names jieba cut differently in the article.
            # All of them, not as a phrase: GIN cannot check positions, so a phrase made
            # PostgreSQL recheck every match against its toasted vector (several times the
            # reads of the search itself). A name's pairs seldom all occur apart, and such
            # an article ranks on the words it lacks.
            phrases = " && ".join(["plainto_tsquery('simple', %s)"] * len(runs))
            sql = f"({sql}) || ({phrases})" if sql else f"({phrases})"
            params += [_bigram_phrase(run) for run in runs]
        return sql, params

    def of_locale(self, locale, matching):
        """The documents of `locale`; for a search (`matching`), in a form the (locale,
        date) b-tree cannot answer, so the date windows go through the GIN index of the
        matches (bitmap_rows).

        A word in almost every article (侨) gives the GIN bitmap of a window nothing to
        drop, and the planner priced the b-tree's bitmap of the window a hair cheaper, then
        tested the words on each row, detoasting every vector of the window: many times the
        reads of going through the GIN index, which it cannot price. Locale codes are lower
        case (Wagtail's language codes), so lower() changes nothing but the plan."""
        if not matching:
            return SearchDocument.objects.filter(locale=locale)
        return SearchDocument.objects.alias(locale_code=Lower("locale")).filter(
            locale_code=locale.lower()
        )

    def row_filter(self, documents, column, value):
        """`documents` whose row holds `value` in `column`, written as the GIN index of
        the matches holds it (migration 0009): the index intersects it with the words and
        the dates, so the rows of other countries or topics are never read."""
        if column in ("channel", "year"):
            return documents.filter(**{column: value})
        words = Func(
            F(column),
            Value(" "),
            function="string_to_array",
            output_field=ArrayField(models.TextField()),
        )
        return documents.alias(**{f"{column}_list": words}).filter(
            **{f"{column}_list__contains": [value]}
        )

    def matches(self, groups, runs, locale, mode, minimum=0):
        """A condition on the documents table itself, so the planner uses the GIN index.
        Unqualified: the facet query nests the documents under an alias."""
        sql, params = self.tsquery(groups, runs, locale, mode, minimum)
        # Only constants and %s placeholders go into the SQL; query terms travel as params.
        return RawSQL(  # noqa: S611
            f"search_vector @@ ({sql})", params, output_field=BooleanField()
        )

    def score(self, query, mode):
        # The bigram phrases find names in the body's grams, which the rank vector does not
        # hold: ranked on them, they only doubled ts_rank's cost (positions are compared).
        groups, runs, locale = query.groups, query.cjk_runs, query.locale
        sql, params = self.tsquery(
            groups, () if groups else runs, locale, mode, query.minimum_match
        )
        rank = self.rank(f"({sql})", phrases=len(runs))
        params += list(runs)
        if query.is_relaxed and query.strict_ids:
            # The few matches of every term (the strict pass found them) first; testing
            # the strict tsquery here would read every candidate's toasted full vector.
            rank = f"({rank} + {STRICT_BONUS} * (search_searchdocument.page_id = ANY(%s))::int)"
            params.append(list(query.strict_ids))
        return RawSQL(rank, params)  # noqa: S611 - see rank()

    @staticmethod
    def rank(tsquery_sql, phrases=0):
        """The score of a search_searchdocument row for the tsquery `tsquery_sql`, with the
        phrase bonus when the title holds one of `phrases` runs (params after the query's)."""
        # double precision throughout: EXTRACT returns numeric, and numeric power() over
        # thousands of matches cost more than the ranking itself.
        age = "date_part('epoch', now() - search_searchdocument.published_at) / 86400.0"
        # Ranked on the small head vector (title, lead, summary): the full one is large and
        # toasted, and reading it for thousands of matches was slow. A match in the body
        # alone scores the floor. Only constants and %s placeholders go into the SQL.
        phrase = ""
        if phrases:
            found = " OR ".join(
                ["strpos(search_searchdocument.title_normalised, %s) > 0"] * phrases
            )
            phrase = f" * (1 + {PHRASE_WEIGHT} * ({found})::int)"
        return (
            f"(ts_rank('{PG_WEIGHTS}', search_searchdocument.rank_vector, {tsquery_sql})"
            f" + {BODY_FLOOR}){phrase} * (1 + {RECENCY_WEIGHT} * power(0.5::float8,"
            f" GREATEST(COALESCE({age}, 3650), 0) / {RECENCY_HALF_LIFE_DAYS}))"
        )

    def gin_first_rows(self, sql, params):
        """The rows of `sql`, matched through the GIN index even when a word is in most
        documents.

        The planner prices `@@` as a cheap operator and picks a sequential scan once a
        word matches a large share of the rows; that scan decompresses every row's toasted
        full vector. The GIN bitmap answers plain word queries without reading the vectors
        at all (bench/search.py). So sequential scans are turned
        off for this one statement: the setting, the statement and the setting put back go
        in one string, one round trip. PostgreSQL plans each statement of such a string
        only when it reaches it, and runs the string in one transaction (in autocommit the
        setting ends with it; inside a caller's transaction, where SET LOCAL would outlive
        us, the third statement puts the caller's value back). A BEGIN, a SET and a COMMIT
        of their own cost three more round trips on every article page's more-like-this.
        Needs Django's default client-side binding (several statements in one execute).
        """
        with connection.cursor() as cursor:
            cursor.execute(_with_scans_off(sql, "enable_seqscan"), params)
            cursor.nextset()
            return cursor.fetchall()

    def bitmap_rows(self, sql, params):
        """The rows of `sql`, read through bitmaps only (gin_first_rows, index scans off
        too). A search's matches, newest first, through the date index with the words as a
        filter decompressed each row's toasted vector until enough matched, which for a
        rare word is most of the archive. The GIN bitmap, alone
        or ANDed with a date range (see window), reads no vector."""
        with connection.cursor() as cursor:
            cursor.execute(_with_scans_off(sql, "enable_seqscan", "enable_indexscan"), params)
            cursor.nextset()
            return cursor.fetchall()

    def count_up_to(self, documents, limit):
        """How many of `documents` there are, counted no further than `limit`."""
        sql, params = documents.values("page_id")[:limit].query.sql_with_params()
        return self.bitmap_rows(f"SELECT count(*) FROM ({sql}) AS m", params)[0][0]  # noqa: S608 - the ORM's SQL

    def window(self, locale, articles=0):
        """The smallest window of WINDOW_STEPS × total_cap() newest articles holding at
        least `articles` of them: (its size, the date it starts from), or (None, None) for
        every match (no window that large, or fewer articles in the locale).

        The newest total_cap() matches of a common word are among the newest few thousand
        articles: a date range over those, ANDed with the GIN bitmap, visits the rows of
        the matches in it only (not the tens of thousands of rows of a common word). A
        window that holds fewer than total_cap() matches tells how many articles would
        (next_window); a rarer word that never fills one is read whole (few rows).
        Articles always have a date (published_at is NULL only for documents of pages
        never published, which are not indexed)."""
        for step in WINDOW_STEPS:
            size = step * total_cap()
            if size >= articles:
                since = nth_newest_date(locale, size)
                return (size, since) if since is not None else (None, None)
        return None, None

    def next_window(self, locale, size, total):
        """The window after one of `size` articles that held `total` (< total_cap())
        matches: the smallest expected to hold total_cap() at that density, a margin to
        spare. Widening by a fixed step read the newer rows again in each statement:
        4,000, 16,000 then 64,000 articles for a common word's 1,000 newest in a country;
        at its density 32,000 suffice. None matched: every match (they are few)."""
        needed = size * total_cap() * WINDOW_MARGIN / total if total else math.inf
        return self.window(locale, max(needed, size + 1))

    def similar_ids(self, terms, locale, page_id, published_at, limit):
        """The ids of the `limit` documents of `locale` (not `page_id`) that share most of
        `terms`, ranked as a search for any of them is, among the articles nearest in time.

        Candidates are the RELATED_BEFORE matching articles published up to `published_at`
        and the RELATED_AFTER published after it: earlier coverage of the story first, and
        its follow-ups. Ranking every match instead visits thousands of rows on each article
        page once an article's words are common ones; the neighbourhood is read newest-first
        through the (locale, published_at) index or the GIN bitmap as the planner prefers.
        Written by hand: building the same
        statement through the ORM cost more than running it, on every article page.

        The query is written once, in a CTE that PostgreSQL inlines (NOT MATERIALIZED) and
        folds into a constant at planning, so the planner still sees the words it prices
        the two scans by; written out at each of its three uses, it tripled the statement's
        params, which psycopg then parsed again on every page (over its cache's limit)."""
        groups = tuple((term,) for term in terms)
        query, query_params = self.tsquery(groups, (), locale, "any")
        table = SearchDocument._meta.db_table
        matching = (
            f"SELECT page_id, published_at, rank_vector FROM {table}, q"  # noqa: S608 - constants
            f" WHERE locale = %s AND page_id <> %s AND search_vector @@ q.query"
        )
        sql = (
            f"WITH q AS NOT MATERIALIZED (SELECT {query} AS query)"  # noqa: S608 - constants
            f" SELECT page_id FROM ("
            f"(SELECT * FROM ({matching} AND published_at <= %s"
            f" ORDER BY published_at DESC LIMIT {RELATED_BEFORE}) AS earlier)"
            f" UNION ALL (SELECT * FROM ({matching} AND published_at > %s"
            f" ORDER BY published_at LIMIT {RELATED_AFTER}) AS later)"
            f") AS {table}, q ORDER BY {self.rank('q.query')} DESC, published_at DESC LIMIT %s"
        )
        neighbourhood = [locale, page_id, published_at]
        params = [*query_params, *neighbourhood, *neighbourhood, limit]
        rows = self.gin_first_rows(sql, params)
        return [page_id for (page_id,) in rows]

    def results(self, documents, query, mode):
        """The page's hit ids, the total and the facet counts in one statement, over the
        candidates: the newest TOTAL_CAP matches (and, relaxed, the strict few).

        A common word matches most of a large archive; counting, grouping and ranking
        every match read all of their rows. The newest TOTAL_CAP are what the
        total ("1,000+") and the facets count, and what is ranked: a reader pages through
        no more. Below TOTAL_CAP matches the candidates are every match, so nothing
        changes for the searches of a newsroom's own archive. The candidates are read
        once (a materialised CTE), and only their ranking reads the vectors."""
        relevance = query.sort != "newest" and query.has_terms
        fields = ["page_id", "channel", "year", "countries", "topics", "published_at"]
        candidates = documents.order_by("-published_at", "-page_id")
        if relevance:  # the columns the score reads, for the candidates only
            candidates = candidates.annotate(
                rank_vector=RawSQL("search_searchdocument.rank_vector", ()),  # noqa: S611
            )
            fields += ["rank_vector", "title_normalised"]
        candidates_sql, params = candidates.values(*fields)[: total_cap()].query.sql_with_params()
        candidates_sql = f"({candidates_sql})"
        if relevance and query.is_relaxed and query.strict_ids:
            # The few matches of every term come along wherever their dates fall.
            strict = SearchDocument.objects.filter(page_id__in=query.strict_ids).annotate(
                rank_vector=RawSQL("search_searchdocument.rank_vector", ()),  # noqa: S611
            )
            strict_sql, strict_params = strict.values(*fields).query.sql_with_params()
            candidates_sql += f" UNION ({strict_sql})"
            params = (*params, *strict_params)
        if relevance:
            score = self.score(query, mode)
            ranked = f"{score.sql} AS score"
            params = (*params, *score.params)
            order = "score DESC, published_at DESC"
        else:
            ranked, order = "0::float8 AS score", "published_at DESC, page_id DESC"
        sql = f"""
            WITH m AS MATERIALIZED ({candidates_sql}),
            g AS (
                SELECT channel, year, countries, topics, count(*) AS n,
                    GROUPING(channel, year, countries, topics) AS grouped_by
                FROM m GROUP BY GROUPING SETS ((channel), (year), (countries), (topics))
            )
            SELECT 'hit', page_id::text, score, published_at FROM (
                SELECT page_id, published_at, {ranked} FROM m AS search_searchdocument
                ORDER BY {order} LIMIT %s OFFSET %s
            ) AS page
            UNION ALL SELECT 'total', '', coalesce(sum(n), 0), NULL FROM g WHERE grouped_by = 7
            UNION ALL SELECT 'channel', channel, n, NULL FROM g
                WHERE grouped_by = 7 AND channel <> ''
            UNION ALL SELECT 'year', year::text, n, NULL FROM g
                WHERE grouped_by = 11 AND year IS NOT NULL AND year <> 0
            UNION ALL SELECT 'country', v, sum(n), NULL
                FROM g, unnest(string_to_array(countries, ' ')) AS v
                WHERE grouped_by = 13 GROUP BY v
            UNION ALL SELECT 'topic', v, sum(n), NULL
                FROM g, unnest(string_to_array(topics, ' ')) AS v
                WHERE grouped_by = 14 GROUP BY v
        """  # noqa: S608 - only constants and the ORM's own SQL; values travel as params
        params = [*params, query.page_size, query.offset]
        if query.has_terms:
            rows = self.bitmap_rows(sql, params)
        else:  # filters only: the planner's own choice
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        hits, total, facets = [], 0, {name: [] for name in FACETS}
        for kind, value, number, published_at in rows:
            if kind == "hit":
                hits.append((int(value), number, published_at))
            elif kind == "total":
                total = int(number)
            else:
                facets[kind].append((value, int(number)))
        hits.sort(key=_hit_order(relevance), reverse=True)
        return hits, total, facets


def _row_filter(column, value):
    """SQLite: `value` among the document row's `column`: one value (channel, year) or several
    separated by spaces (countries, topics: codes and slugs, which hold none)."""
    if column in ("channel", "year"):
        return Q(**{column: value})
    return (
        Q(**{column: value})
        | Q(**{f"{column}__startswith": f"{value} "})
        | Q(**{f"{column}__endswith": f" {value}"})
        | Q(**{f"{column}__contains": f" {value} "})
    )


def _with_scans_off(sql, *settings):
    """`sql` with the planner's `settings` off for it alone (see gin_first_rows). Only
    constants and the caller's SQL go into the string."""
    saved = ", ".join(
        f"set_config('qiaoyin.{name}', current_setting('{name}'), true),"
        f" set_config('{name}', 'off', true)"
        for name in settings
    )
    restored = ", ".join(
        f"set_config('{name}', current_setting('qiaoyin.{name}'), true)" for name in settings
    )
    return f"SELECT {saved}; {sql}; SELECT {restored}"


def nth_newest_date(locale, n):
    """The publication date of the locale's `n`-th newest document, or None (fewer), kept
    WINDOW_SECONDS: read from the (locale, date) index, the same for every search."""
    key = f"search:newest:{locale}:{n}"
    since = cache.get(key)
    if since is None:
        newest = SearchDocument.objects.filter(locale=locale, published_at__isnull=False)
        dates = newest.order_by("-published_at").values_list("published_at", flat=True)
        since = next(iter(dates[n - 1 : n]), "")
        cache.set(key, since, WINDOW_SECONDS)
    return since or None


def _hit_order(relevance):
    """The SQL page order again (a UNION does not keep it): DESC puts NULL dates first."""

    def key(hit):
        page_id, score, published_at = hit
        date = (published_at is None, published_at or datetime.min.replace(tzinfo=UTC))
        return (score, *date) if relevance else (*date, page_id)

    return key


class SqliteDialect:
    def of_locale(self, locale, matching):
        return SearchDocument.objects.filter(locale=locale)

    def row_filter(self, documents, column, value):
        return documents.filter(_row_filter(column, value))

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

    def match_expression(self, groups, runs, mode, minimum=0):
        parts = ["(" + " OR ".join(_fts5_phrase(term) for term in group) + ")" for group in groups]
        if mode == "any":
            expression = " OR ".join(parts)
        elif 0 < minimum < len(parts):
            # Most of the terms: any `minimum` of them (at most C(6, 3) = 20 conjunctions).
            expression = " OR ".join(
                "(" + " AND ".join(combo) + ")" for combo in combinations(parts, minimum)
            )
        else:
            expression = " AND ".join(parts)
        if runs and mode == "all":
            phrases = " AND ".join(f"grams : {_fts5_phrase(_bigram_phrase(r))}" for r in runs)
            expression = f"({expression}) OR ({phrases})" if expression else phrases
        return expression

    def matches(self, groups, runs, locale, mode, minimum=0):
        expression = self.match_expression(groups, runs, mode, minimum)
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
        by_id = _hit_documents([page_id for page_id, _ in rows])
        window = []
        for row in rows:
            document = by_id[row[0]]
            document.score = score(row)
            window.append(document)
        return window

    def scored_matches(self, filtered, query, mode):
        """Every match with its facet columns and score, from one FTS scan joined to the
        filtered documents: the total, the facet counts and the page all come from it.
        Plain rows (no ORM conversions): a common word matches thousands."""
        expression = self.match_expression(query.groups, query.cjk_runs, mode, query.minimum_match)
        columns = (
            "page_id", "published_at", "channel", "year", "countries", "topics",
            "title_normalised",
        )  # fmt: skip
        inner, params = filtered.values(*columns).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.page_id, d.channel, d.year, d.countries, d.topics,"  # noqa: S608
                f" -bm25(search_fts, {FTS5_WEIGHTS}), julianday(d.published_at),"
                " d.title_normalised"
                f" FROM search_fts JOIN ({inner}) AS d ON d.page_id = search_fts.rowid"
                " WHERE search_fts MATCH %s",
                [*params, expression],
            )
            rows = cursor.fetchall()
        strict = set(query.strict_ids) if query.is_relaxed else None
        now = _julian_day(timezone.now())
        matches = []
        for page_id, *facets, relevance, published, title in rows:
            score = _boosted(relevance * _phrase_factor(title, query.cjk_runs), now, published)
            if strict is not None and page_id in strict:
                score += STRICT_BONUS
            matches.append((page_id, *facets, score, published))
        return matches


def _candidates(matches, query):
    """PostgreSQL's candidates on SQLite: the newest TOTAL_CAP matches and, relaxed, the
    strict few wherever their dates fall."""
    if len(matches) <= total_cap():
        return matches
    newest = heapq.nlargest(total_cap(), matches, key=_sqlite_order("newest"))
    chosen = {match[0] for match in newest}
    strict = set(query.strict_ids) if query.is_relaxed else set()
    return newest + [match for match in matches if match[0] in strict - chosen]


def _sqlite_order(sort):
    """The ORM's orders on SQLite, for scored_matches rows: by relevance the newer article
    first among equals (as ranked_window); by date NULL dates last, as SQLite sorts DESC."""
    now = _julian_day(timezone.now())
    if sort == "newest":
        return lambda match: (match[6] is not None, match[6] or 0.0, match[0])
    return lambda match: (match[5], match[6] if match[6] is not None else now)


def _phrase_factor(title_normalised, runs):
    """The phrase bonus: a run of the query's words found whole in the title."""
    found = any(run in (title_normalised or "") for run in runs)
    return 1 + PHRASE_WEIGHT if found else 1.0


def _julian_day(moment):
    return moment.timestamp() / 86400 + 2440587.5


def _boosted(relevance, now, published):
    """ranked_window's recency formula, on Julian days (whole days, as there)."""
    age_days = math.floor(now - published) if published is not None else 3650
    boost = 1 + RECENCY_WEIGHT * 0.5 ** (max(age_days, 0) / RECENCY_HALF_LIFE_DAYS)
    return relevance * boost


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
                countries=" ".join(doc.countries),
                topics=" ".join(doc.topics),
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
        documents = dialect().of_locale(query.locale, query.has_terms)
        for kind, value in query.filters.items():
            if query.has_terms and kind in ROW_FILTERS:
                # On the matches' own rows, which a search reads anyway: a join to the
                # facet rows read every article's of that value (17,000 of 100,000 for a
                # country), for each statement of the search.
                documents = dialect().row_filter(documents, ROW_FILTERS[kind], value)
                continue
            facet = SearchFacet.objects.filter(document=OuterRef("pk"), kind=kind, value=value)
            documents = documents.filter(Exists(facet))
        if query.date_from:
            documents = documents.filter(published_at__date__gte=query.date_from)
        if query.date_to:
            documents = documents.filter(published_at__date__lte=query.date_to)
        return documents

    def search(self, query, mode="all"):
        documents = self._matching(query, mode)
        if isinstance(dialect(), PostgresDialect):
            return self._search_postgres(documents, query, mode)
        return self._search_sqlite(documents, query, mode)

    def _search_sqlite(self, documents, query, mode):
        """The matches are read once, with their facet columns and scores, for the total,
        the facet counts and the ranking."""
        if not query.has_terms:
            rows = list(documents.values_list("channel", "year", "countries", "topics"))
            hits = self._window(documents, query, mode)
            return EngineResult(hits=hits, total=len(rows), facets=_facets_from_rows(rows))
        matches = _candidates(dialect().scored_matches(self._filtered(query), query, mode), query)
        facets = _facets_from_rows(match[1:5] for match in matches)
        end = query.offset + query.page_size
        best = heapq.nlargest(end, matches, key=_sqlite_order(query.sort))[query.offset : end]
        by_id = _hit_documents([match[0] for match in best])
        newest = query.sort == "newest"
        hits = [_hit(by_id[match[0]], 0.0 if newest else match[5]) for match in best]
        return EngineResult(hits=hits, total=len(matches), facets=facets)

    def _search_postgres(self, documents, query, mode):
        postgres = dialect()
        size, since = postgres.window(query.locale) if query.has_terms else (None, None)
        while True:  # until a window holds the cap's matches (see window)
            windowed = documents if since is None else documents.filter(published_at__gte=since)
            ranked, total, facets = postgres.results(windowed, query, mode)
            if total >= total_cap() or since is None:
                break
            size, since = postgres.next_window(query.locale, size, total)
        by_id = _hit_documents([page_id for page_id, _score, _date in ranked])
        hits = [_hit(by_id[page_id], score) for page_id, score, _date in ranked]
        return EngineResult(hits=hits, total=total, facets=_sorted_facets(facets))

    def count_up_to(self, query, limit):
        documents = self._matching(query, "all")
        if isinstance(dialect(), PostgresDialect) and query.has_terms:
            return dialect().count_up_to(documents, limit)
        return documents[:limit].count()

    def _matching(self, query, mode):
        documents = self._filtered(query)
        if query.has_terms:
            matches = dialect().matches(
                query.groups, query.cjk_runs, query.locale, mode, query.minimum_match
            )
            documents = documents.filter(matches)
        return documents

    def _window(self, documents, query, mode):
        """The hits of the query's page, best first (one query): by date, or by relevance
        on SQLite (PostgreSQL ranks in statements of its own: results, similar_ids)."""
        page = slice(query.offset, query.offset + query.page_size)
        if query.sort == "newest" or not query.has_terms:
            window = documents.order_by("-published_at", "-page_id")[page]
        else:
            window = dialect().ranked_window(documents, query, mode)
        return [_hit(doc, getattr(doc, "score", 0.0)) for doc in window]

    def suggest(self, prefix, locale, limit):
        titles = (
            SearchDocument.objects.filter(
                locale=locale, title_normalised__contains=normalise(prefix)
            )
            .order_by("-published_at")
            .values_list("title", flat=True)[:limit]
        )
        return list(titles)

    def more_like_this(self, page_id, locale, limit):
        # The three term columns only: the row's vectors and text are large (toasted).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT title_terms, lead_terms, summary_terms, published_at"  # noqa: S608
                f" FROM {SearchDocument._meta.db_table} WHERE page_id = %s",
                [page_id],
            )
            row = cursor.fetchone()
        terms = _characteristic_terms(*row[:3]) if row else []
        if not terms:
            return []
        # Only the best few ids: the total and facets a search page shows would cost two
        # more queries on every article page for nothing.
        if isinstance(dialect(), PostgresDialect):
            published_at = row[3] or datetime.now(UTC)
            return dialect().similar_ids(terms, locale, page_id, published_at, limit)

        query = Query(
            text="", locale=locale, groups=tuple((t,) for t in terms), page_size=limit + 1
        )
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
                self._refresh_postgres(cursor)
            else:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
                cursor.execute("ANALYZE")

    def _refresh_postgres(self, cursor):
        if connection.in_atomic_block:  # VACUUM cannot run in a transaction
            cursor.execute("ANALYZE search_searchdocument")
            cursor.execute("ANALYZE search_searchfacet")
            # Words indexed since the last vacuum wait in GIN's pending list, which every
            # query scans in full; merge them into the index proper.
            cursor.execute("SELECT gin_clean_pending_list('search_doc_match'::regclass)")
            return
        # VACUUM reclaims the versions a re-index replaced, merges GIN's pending list and
        # marks the pages all-visible, and ANALYZE gives the planner the new row counts.
        cursor.execute("VACUUM ANALYZE search_searchdocument")
        cursor.execute("VACUUM ANALYZE search_searchfacet")

    def _flush(self, batch, progress):
        self._index_batch(list(batch))
        flushed = len(batch)
        if progress:
            progress(flushed)
        batch.clear()
        return flushed


HIT_FIELDS = ("page_id", "url", "uri", "title", "text", "channel", "published_at")


def _hit_documents(page_ids):
    """The documents of a page's hits, by id, with the columns a hit shows only: the term
    columns (body terms and bigrams, kilobytes each) are for the index, not the page."""
    return SearchDocument.objects.only(*HIT_FIELDS).in_bulk(page_ids)


def _hit(document, score):
    return EngineHit(
        page_id=document.page_id,
        score=float(score or 0.0),
        url=document.url,
        uri=document.uri,
        title=document.title,
        text=document.text,
        channel=document.channel,
        published_at=document.published_at,
    )


def _facets_from_rows(rows):
    """Counts of (channel, year, countries, topics) rows: identical rows are counted first
    (a few hundred combinations among thousands of matches), then split."""
    counts = {name: Counter() for name in FACETS}
    for (channel, year, countries, topics), number in Counter(rows).items():
        if channel:
            counts["channel"][channel] += number
        if year:
            counts["year"][str(year)] += number
        for code in countries.split():
            counts["country"][code] += number
        for slug in topics.split():
            counts["topic"][slug] += number
    return _sorted_facets({name: list(values.items()) for name, values in counts.items()})


def _sorted_facets(facets):
    """Most frequent first (ties by value); years newest first."""
    for name, values in facets.items():
        if name == "year":
            values.sort(key=lambda item: item[0], reverse=True)
        else:
            values.sort(key=lambda item: (-item[1], item[0]))
    return facets


def _characteristic_terms(title_terms, lead_terms, summary_terms, limit=12):
    """Title, lead and summary words, longest first: what an article is about."""
    words = f"{title_terms} {lead_terms} {summary_terms}".split()
    unique = list(dict.fromkeys(word for word in words if len(word) > 1))
    return sorted(unique, key=len, reverse=True)[:limit]


def vocabulary_from_terms(lines):
    vocabulary = set()
    for line in lines:
        words = line.split()
        vocabulary.update(words)
        vocabulary.update(a + b for a, b in zip(words, words[1:], strict=False))
    return vocabulary
