"""The PostgreSQL server the benchmarks make their own databases on."""

import sys

PG_SERVER_URL = "postgres://postgres@127.0.0.1:5432"


def pg_admin(sql):
    """Run one administrative statement (CREATE/DROP DATABASE) on the server."""
    import psycopg

    try:
        with psycopg.connect(f"{PG_SERVER_URL}/postgres", autocommit=True) as conn:
            conn.execute(sql)
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL at {PG_SERVER_URL} is not reachable: {error}")
