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


def use_plain_json_for_osmem():
    """osmem-server refuses the 9.x client's vendor media types (bench and tests only)."""
    from django.conf import settings

    from elastic_transport import Urllib3HttpNode

    class PlainJsonNode(Urllib3HttpNode):
        def perform_request(self, method, target, body=None, headers=None, **kwargs):
            if headers is not None:
                headers = headers.copy()
                for name in list(headers.keys()):
                    if name.lower() in ("accept", "content-type"):
                        value = headers[name].replace("vnd.elasticsearch+", "")
                        headers[name] = value.replace("; compatible-with=9", "")
            return super().perform_request(method, target, body=body, headers=headers, **kwargs)

    # A shared 2-core machine can stall a bulk request past the client's 10 s default.
    settings.SEARCH_ELASTICSEARCH_OPTIONS = {"node_class": PlainJsonNode, "request_timeout": 120}
