"""Counter tables kept by deltas: one statement adds to rows (creating them), one takes away.

The kept counts (:class:`campaigns.models.ReportCount`, the certifications' ``TitleCount``, the
registry's ``CountedSiteChange``) are rows of a key and counts. A change adds to some keys inside
the transaction of the change that causes it. Additions are one ``INSERT … ON CONFLICT DO
UPDATE`` (a missing row is created). On a table whose counts may not go below zero,
subtractions are one ``UPDATE … FROM (VALUES …)`` on rows that exist, since the database checks
a row's constraints before it looks for the conflict; a table of signed changes (``signed``)
takes them in the upsert. Rows are written in key order, so concurrent changes queue instead of
deadlocking.
"""

from collections.abc import Mapping, Sequence

from django.db import connection, models


def apply_deltas(
    model: type[models.Model],
    key_columns: Sequence[str],
    columns: Sequence[str],
    deltas: Mapping[tuple, Sequence[int]],
    *,
    signed: bool = False,
) -> None:
    """Add each key's deltas to its row's ``columns``: up to two statements, none if every
    delta is zero."""
    changed = sorted((key, tuple(d)) for key, d in deltas.items() if any(d))
    if signed:
        adding, taking = changed, []
    else:
        adding = [(key, d) for key, d in changed if min(d) >= 0]
        taking = [(key, d) for key, d in changed if min(d) < 0]
    table = model._meta.db_table
    keys = ", ".join(key_columns)
    row = "(" + ", ".join(["%s"] * (len(key_columns) + len(columns))) + ")"
    with connection.cursor() as cursor:
        if adding:
            added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
            cursor.execute(
                f"INSERT INTO {table} ({keys}, {', '.join(columns)}) "  # noqa: S608 - names from the model, values as parameters
                f"VALUES {', '.join([row] * len(adding))} "
                f"ON CONFLICT ({keys}) DO UPDATE SET {added}",
                [p for key, d in adding for p in (*key, *d)],
            )
        if taking:
            match = " AND ".join(f"{table}.{c} = d.{c}" for c in key_columns)
            added = ", ".join(f"{c} = {table}.{c} + d.{c}" for c in columns)
            values = ", ".join([row] * len(taking))
            cursor.execute(
                f"WITH d ({keys}, {', '.join(columns)}) AS (VALUES {values}) "  # noqa: S608 - as above
                f"UPDATE {table} SET {added} FROM d WHERE {match}",
                [p for key, d in taking for p in (*key, *d)],
            )


def replace_all(
    model: type[models.Model],
    key_columns: Sequence[str],
    columns: Sequence[str],
    fresh: Mapping[tuple, Sequence[int]],
    *,
    batch_size: int = 5000,
) -> int:
    """Replace every row of a counter table with ``fresh`` (key → counts), rows in key order
    (a rebuild, inside the caller's transaction); returns the number of rows."""
    model.objects.all().delete()
    model.objects.bulk_create(
        (
            model(
                **dict(zip(key_columns, key, strict=True)),
                **dict(zip(columns, counts, strict=True)),
            )
            for key, counts in sorted(fresh.items())
        ),
        batch_size=batch_size,
    )
    return len(fresh)
