"""One-table SELECTs written by hand for the uncached article page's hot path.

Django spends more Python compiling a small ORM query than the database spends answering
it (~0.3 ms each, on every uncached article view). These statements are built once per
process from the model's _meta (names quoted, the value a parameter) and their rows become
instances through Model.from_db, as the ORM's would. Only for fields without database
converters (plain columns).
"""

import functools

from django.db import connection


def select_instances(model, where, value, fields=None, order_by=None):
    """(sql, params, make) for model instances whose `where` field equals `value`, with the
    concrete `fields` (their attnames; all when None) loaded, in `order_by` order if given;
    make(rows) turns the statement's rows into the instances."""
    sql, attnames = _select_sql(model, where, tuple(fields) if fields else None, order_by)
    value = model._meta.get_field(where).get_db_prep_value(value, connection)

    def make(rows):
        return [model.from_db(connection.alias, attnames, row) for row in rows]

    return sql, [value], make


def load_instances(model, where, value, fields=None, order_by=None):
    """select_instances(), read."""
    sql, params, make = select_instances(model, where, value, fields, order_by)
    (rows,) = fetch_together([(sql, params)])
    return make(rows)


def fetch_together(statements):
    """[rows] of each (sql, params) statement, in one round trip on PostgreSQL.

    An uncached article page reads a few small things of its own (its links, corrections,
    language versions); each statement sent alone is a round trip of its own. Django's
    default client-side binding lets several statements go in one string, and psycopg
    returns one result set each. SQLite takes one statement per call.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or len(statements) == 1:
            results = []
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall())
            return results
        cursor.execute(
            "; ".join(sql for sql, _params in statements),
            [param for _sql, params in statements for param in params],
        )
        results = [cursor.fetchall()]
        while cursor.nextset():
            results.append(cursor.fetchall())
        return results


@functools.cache
def _select_sql(model, where, fields, order_by):
    quote = connection.ops.quote_name
    # Model.from_db wants the loaded fields in the model's own column order.
    loaded = [f for f in model._meta.concrete_fields if fields is None or f.attname in fields]
    columns = ", ".join(quote(field.column) for field in loaded)
    table = quote(model._meta.db_table)
    condition = quote(model._meta.get_field(where).column)
    sql = f"SELECT {columns} FROM {table} WHERE {condition} = %s"  # noqa: S608 - from _meta
    if order_by:
        sql += f" ORDER BY {quote(model._meta.get_field(order_by).column)}"
    return sql, [field.attname for field in loaded]
