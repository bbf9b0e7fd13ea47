"""Counter tables kept by deltas: one statement adds to rows (creating them), one takes away.

The kept counts (:class:`campaigns.models.ReportCount`, the certifications' ``TitleCount``) are
rows of a key and a non-negative count. A change adds ``+n`` or ``-n`` to some keys inside the
transaction of the change that causes it. Additions are one ``INSERT … ON CONFLICT DO UPDATE``
(a missing row is created); subtractions are one ``UPDATE … FROM (VALUES …)`` on rows that
exist, since the database checks a row's constraints (count ≥ 0) before it looks for the
conflict. Rows are written in key order, so concurrent changes queue instead of deadlocking.
"""

from collections.abc import Mapping, Sequence

from django.db import connection, models


def apply_deltas(
    model: type[models.Model], key_columns: Sequence[str], column: str, deltas: Mapping[tuple, int]
) -> None:
    """Add each delta to ``column`` of the row of its key: up to two statements, none if all
    deltas are zero."""
    adding = sorted((key, n) for key, n in deltas.items() if n > 0)
    taking = sorted((key, n) for key, n in deltas.items() if n < 0)
    table = model._meta.db_table
    keys = ", ".join(key_columns)
    row = "(" + ", ".join(["%s"] * (len(key_columns) + 1)) + ")"
    with connection.cursor() as cursor:
        if adding:
            cursor.execute(
                f"INSERT INTO {table} ({keys}, {column}) "  # noqa: S608 - names from the model, values as parameters
                f"VALUES {', '.join([row] * len(adding))} "
                f"ON CONFLICT ({keys}) DO UPDATE "
                f"SET {column} = {table}.{column} + excluded.{column}",
                [p for key, n in adding for p in (*key, n)],
            )
        if taking:
            match = " AND ".join(f"{table}.{c} = d.{c}" for c in key_columns)
            cursor.execute(
                f"WITH d ({keys}, delta) AS (VALUES {', '.join([row] * len(taking))}) "  # noqa: S608 - as above
                f"UPDATE {table} SET {column} = {table}.{column} + d.delta FROM d WHERE {match}",
                [p for key, n in taking for p in (*key, n)],
            )
