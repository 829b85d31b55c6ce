"""One-table SELECTs written by hand for the uncached article page's hot path.

Django spends more Python compiling a small ORM query than the database spends answering
it (~0.3 ms each, on every uncached article view). These statements are built once per
process from the model's _meta (names quoted, the value a parameter) and their rows become
instances through Model.from_db, as the ORM's would. Only for fields without database
converters (plain columns).
"""

import functools

from django.db import connection


def load_instances(model, where, value, fields=None, order_by=None):
    """model instances whose `where` field equals `value`, with the concrete `fields` (their
    attnames; all when None) loaded, in `order_by` order if given."""
    sql, attnames = _select_sql(model, where, tuple(fields) if fields else None, order_by)
    value = model._meta.get_field(where).get_db_prep_value(value, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [value])
        rows = cursor.fetchall()
    return [model.from_db(connection.alias, attnames, row) for row in rows]


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
