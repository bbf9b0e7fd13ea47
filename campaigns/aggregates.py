"""Keep :class:`campaigns.models.IndicatorAggregate` exact: the write side of the aggregates.

Every status change of a report (:mod:`campaigns.services`) calls :func:`apply_status_changes`
in its transaction. It applies the report's own values as a delta to the rows the report feeds
— its unit (when the unit has units below it) and each ancestor, for the report's year and each
basis whose membership the change flips — with one ``INSERT … ON CONFLICT DO UPDATE``: a cost
of O(indicators × depth) rows whatever the size of the country, and row locks instead of a
delete and re-insert, so any number of concurrent status changes in one area all succeed.
The rows are written in one fixed order, so concurrent changes queue instead of deadlocking.

A sum and a count follow a delta exactly; a maximum only grows by one. When a value leaves a row
whose maximum it may have been, that maximum is recomputed from the base values (returns and
reopenings only; submissions and approvals never remove a value from a basis).

:func:`rebuild` recomputes everything (``manage.py rebuild_aggregates``, bulk loaders) and
:func:`compute_all` / :func:`stored_all` let ``rebuild_aggregates --check`` and the tests prove
that the kept rows equal a fresh recomputation.

The same status changes keep :class:`campaigns.models.ReportCount` (reports per area, year and
basis: the dashboard's completeness) with one more upsert.

An area's figure is over every report of a unit at or below it (the area's own report too: the
city police report city-level indicators on the city's report).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Max, Sum

from campaigns.models import (
    AggregateBasis,
    IndicatorAggregate,
    ReportCount,
    ReportStatus,
    ReportValue,
    UnitReport,
)
from wards.counters import apply_deltas, replace_all
from wards.models import AdministrativeUnit
from wards.scoping import within_q

BASIS_STATUSES = {
    AggregateBasis.APPROVED: [ReportStatus.APPROVED],
    AggregateBasis.SUBMITTED: [ReportStatus.APPROVED, ReportStatus.SUBMITTED],
}
# Up the hierarchy: a reporting unit's parent, grandparent and great-grandparent.
_PARENT_PATHS = ["parent", "parent__parent", "parent__parent__parent"]
_BATCH = 5000

Key = tuple[int, int, int, str]  # (area id, year, indicator id, basis)


# --- which rows a report feeds -------------------------------------------------------------


def _loaded_areas(unit: AdministrativeUnit) -> list[int] | None:
    """The areas of ``unit`` from its loaded parent chain, or None if a level is not loaded."""
    areas = [] if unit.kind in AdministrativeUnit.COMMUNE_LEVEL_KINDS else [unit.pk]
    node = unit
    for _depth in _PARENT_PATHS:
        if node.parent_id is None:
            return areas
        if not AdministrativeUnit.parent.is_cached(node):
            return None
        node = node.parent
        areas.append(node.pk)
    return areas


def areas_of_units(units: Iterable[AdministrativeUnit]) -> dict[int, list[int]]:
    """unit id → the unit itself (if it has units below it) and its ancestors.

    No query when the units were loaded with their parents (``select_related`` of
    ``parent__parent__parent``), otherwise one for all of them."""
    result: dict[int, list[int]] = {}
    missing = []
    for unit in units:
        areas = _loaded_areas(unit)
        if areas is None:
            missing.append(unit.pk)
        else:
            result[unit.pk] = areas
    if missing:
        rows = AdministrativeUnit.objects.filter(pk__in=missing).values_list(
            "pk", "kind", *_PARENT_PATHS
        )
        for pk, kind, *ancestors in rows:
            own = [] if kind in AdministrativeUnit.COMMUNE_LEVEL_KINDS else [pk]
            result[pk] = own + [a for a in ancestors if a is not None]
    return result


def _signs(from_status: str, to_status: str) -> dict[str, int]:
    """basis → +1 if the change brings the report into it, -1 if it takes it out."""
    signs = {}
    for basis, statuses in BASIS_STATUSES.items():
        sign = (to_status in statuses) - (from_status in statuses)
        if sign:
            signs[basis] = sign
    return signs


# --- applying status changes ---------------------------------------------------------------


class _Delta:
    __slots__ = ("total", "count", "added_max", "removed_max")

    def __init__(self):
        self.total, self.count = Decimal(0), 0
        self.added_max: Decimal | None = None
        self.removed_max: Decimal | None = None

    def add(self, value: Decimal, sign: int) -> None:
        self.total += sign * value
        self.count += sign
        if sign > 0:
            self.added_max = value if self.added_max is None else max(self.added_max, value)
        else:
            self.removed_max = value if self.removed_max is None else max(self.removed_max, value)


def apply_status_changes(
    changes: Sequence[tuple[UnitReport, str]],
    *,
    values: Mapping[int, Mapping[int, Decimal | None]] | None = None,
) -> None:
    """Bring the aggregates up to date after status changes: ``(report, from_status)`` pairs,
    each report already carrying its new status. Call inside the transaction of the change.
    ``values`` (report id → indicator id → value) spares reading them when the caller has
    them all in hand (a save and submit).

    Queries: none when no basis changes; otherwise one for the values (none with ``values``),
    one upsert, and (only when values leave a basis) a delete of emptied rows and a
    recomputation of maxima that may have dropped. One more if the reports' units were loaded
    without their parents.
    """
    signed = []
    for report, from_status in changes:
        signs = _signs(from_status, report.status)
        if signs:
            signed.append((report, signs))
    if not signed:
        return
    areas = areas_of_units(report.unit for report, _signs_ in signed)
    by_report = {report.pk: (report, signs) for report, signs in signed}
    if values is not None and by_report.keys() <= values.keys():
        rows = [
            (report_id, indicator_id, value)
            for report_id in by_report
            for indicator_id, value in values[report_id].items()
            if value is not None
        ]
    else:
        rows = ReportValue.objects.filter(
            report_id__in=list(by_report), value__isnull=False
        ).values_list("report_id", "indicator_id", "value")
    deltas: dict[Key, _Delta] = defaultdict(_Delta)
    for report_id, indicator_id, value in rows:
        report, signs = by_report[report_id]
        year = report.period.year
        for area_id in areas[report.unit_id]:
            for basis, sign in signs.items():
                deltas[(area_id, year, indicator_id, basis)].add(value, sign)
    adding = {key: d for key, d in deltas.items() if d.removed_max is None}
    removing = {key: d for key, d in deltas.items() if d.removed_max is not None}
    if adding:
        _upsert(adding)
    if removing:
        _after_removals(removing, _update_existing(removing))
    _count_reports(signed, areas)


def _greatest() -> str:
    return "GREATEST" if connection.vendor == "postgresql" else "MAX"


def _table() -> str:
    return IndicatorAggregate._meta.db_table


def _rows(deltas: dict[Key, _Delta]) -> tuple[str, list]:
    """``VALUES`` rows (area, year, indicator, basis, total, count, maximum) in key order."""
    rows, params = [], []
    for key in sorted(deltas):
        delta = deltas[key]
        area_id, year, indicator_id, basis = key
        # A row losing values exists already and its maximum is at least any value it loses:
        # GREATEST keeps the stored maximum then.
        maximum = delta.added_max if delta.added_max is not None else delta.removed_max
        # Typed, so that GREATEST/MAX compares numbers in a CTE too: SQLite binds a Decimal as
        # text, and text is greater than any number there.
        rows.append("(%s, %s, %s, %s, CAST(%s AS NUMERIC), %s, CAST(%s AS NUMERIC))")
        params += [area_id, year, indicator_id, str(basis), delta.total, delta.count, maximum]
    return ", ".join(rows), params


def _read_back(returned) -> dict[Key, tuple[int, Decimal]]:
    # SQLite hands back floats: read them through str() so 70.56 stays 70.56.
    return {
        (area_id, year, indicator_id, basis): (
            count,
            maximum if isinstance(maximum, Decimal) else Decimal(str(maximum)),
        )
        for area_id, year, indicator_id, basis, count, maximum in returned
    }


def _upsert(deltas: dict[Key, _Delta]) -> None:
    """Add values to their rows, creating missing ones: one statement, rows in key order."""
    table = _table()
    values, params = _rows(deltas)
    sql = (
        f"INSERT INTO {table} (area_id, year, indicator_id, basis, total, value_count, maximum) "  # noqa: S608 - table name from the model, values as parameters
        f"VALUES {values} "
        "ON CONFLICT (area_id, basis, indicator_id, year) DO UPDATE SET "
        f"total = {table}.total + excluded.total, "
        f"value_count = {table}.value_count + excluded.value_count, "
        f"maximum = {_greatest()}({table}.maximum, excluded.maximum)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _update_existing(deltas: dict[Key, _Delta]) -> dict[Key, tuple[int, Decimal]]:
    """Apply deltas that take values out (their rows exist): key → (count, maximum) after.

    On PostgreSQL the rows are locked first in key order, like the upsert takes them, so a
    return or reopening queues behind concurrent approvals instead of deadlocking."""
    table = _table()
    values, params = _rows(deltas)
    columns = "area_id, year, indicator_id, basis, total, value_count, maximum"
    match = (
        f"{table}.area_id = d.area_id AND {table}.year = d.year "
        f"AND {table}.indicator_id = d.indicator_id AND {table}.basis = d.basis"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH d ({columns}) AS (VALUES {values}) SELECT {table}.id FROM {table}, d "  # noqa: S608 - as above
                f"WHERE {match} ORDER BY {table}.area_id, {table}.basis, {table}.indicator_id, "
                f"{table}.year FOR UPDATE OF {table}",
                params,
            )
        cursor.execute(
            f"WITH d ({columns}) AS (VALUES {values}) UPDATE {table} SET "  # noqa: S608 - as above
            f"total = {table}.total + d.total, value_count = {table}.value_count + d.value_count, "
            f"maximum = {_greatest()}({table}.maximum, d.maximum) FROM d WHERE {match} "
            f"RETURNING {table}.area_id, {table}.year, {table}.indicator_id, {table}.basis, "
            f"{table}.value_count, {table}.maximum",
            params,
        )
        return _read_back(cursor.fetchall())


def _after_removals(removing: dict[Key, _Delta], after: dict[Key, tuple[int, Decimal]]) -> None:
    """Delete rows left without values; recompute the maxima a removed value may have held:
    one grouped query per area and basis, one statement to write them."""
    empty = [key for key in removing if after[key][0] == 0]
    if empty:
        IndicatorAggregate.objects.filter(
            area_id__in={k[0] for k in empty},
            year__in={k[1] for k in empty},
            value_count=0,
        ).delete()
    stale: dict[tuple[int, str], list[Key]] = defaultdict(list)
    for key, d in sorted(removing.items()):
        if after[key][0] > 0 and d.removed_max >= after[key][1]:
            stale[(key[0], key[3])].append(key)
    maxima: dict[Key, Decimal] = {}
    for (area_id, basis), keys in stale.items():
        tops = (
            ReportValue.objects.filter(
                within_q(area_id, "report__unit"),
                report__period__year__in={k[1] for k in keys},
                report__status__in=BASIS_STATUSES[basis],
                indicator_id__in={k[2] for k in keys},
                value__isnull=False,
            )
            .values_list("report__period__year", "indicator_id")
            .annotate(top=Max("value"))
            .order_by()
        )
        found = {(year, indicator_id): top for year, indicator_id, top in tops}
        for key in keys:
            maxima[key] = found[(key[1], key[2])]
    if maxima:
        _set_maxima(maxima)


def _set_maxima(maxima: dict[Key, Decimal]) -> None:
    """Write recomputed maxima: one ``UPDATE … FROM (VALUES …)``, rows in key order."""
    table = _table()
    rows, params = [], []
    for key in sorted(maxima):
        rows.append("(%s, %s, %s, %s, %s)")
        params += [*key[:3], str(key[3]), maxima[key]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH d (area_id, year, indicator_id, basis, maximum) AS (VALUES {', '.join(rows)}) "  # noqa: S608 - table name from the model, values as parameters
            f"UPDATE {table} SET maximum = d.maximum FROM d WHERE {table}.area_id = d.area_id "
            f"AND {table}.year = d.year AND {table}.indicator_id = d.indicator_id "
            f"AND {table}.basis = d.basis",
            params,
        )


# --- from scratch --------------------------------------------------------------------------


# --- report counts ---------------------------------------------------------------------------

CountKey = tuple[int, int, str, bool]  # (area id, year, basis, reported by the city itself)
_COUNT_KEYS = ["area_id", "year", "basis", "city_level"]


def _count_reports(signed: list[tuple[UnitReport, dict[str, int]]], areas) -> None:
    """Add or take the reports to the counts of their areas: one statement."""
    delta: Counter = Counter()
    for report, signs in signed:
        city_level = report.unit.kind not in AdministrativeUnit.COMMUNE_LEVEL_KINDS
        for area_id in areas[report.unit_id]:
            for basis, sign in signs.items():
                delta[(area_id, report.period.year, str(basis), city_level)] += sign
    apply_deltas(ReportCount, _COUNT_KEYS, ["reports"], {key: (n,) for key, n in delta.items()})


def compute_report_counts() -> dict[CountKey, int]:
    """Every report count from scratch (rows of zero left out): two queries."""
    units = {
        pk: (kind, [a for a in ancestors if a is not None])
        for pk, kind, *ancestors in AdministrativeUnit.objects.values_list(
            "pk", "kind", *_PARENT_PATHS
        )
    }
    counts: Counter = Counter()
    rows = (
        UnitReport.objects.filter(status__in=BASIS_STATUSES[AggregateBasis.SUBMITTED])
        .values_list("unit_id", "period__year", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for unit_id, year, status, n in rows:
        kind, ancestors = units[unit_id]
        city_level = kind not in AdministrativeUnit.COMMUNE_LEVEL_KINDS
        for area_id in ([unit_id] if city_level else []) + ancestors:
            for basis, statuses in BASIS_STATUSES.items():
                if status in statuses:
                    counts[(area_id, year, str(basis), city_level)] += n
    return {key: n for key, n in counts.items() if n}


def stored_report_counts() -> dict[CountKey, int]:
    return {
        (area_id, year, basis, city_level): n
        for area_id, year, basis, city_level, n in ReportCount.objects.filter(
            reports__gt=0
        ).values_list("area_id", "year", "basis", "city_level", "reports")
    }


def rebuild_report_counts() -> int:
    fresh = {key: (n,) for key, n in compute_report_counts().items()}
    return replace_all(ReportCount, _COUNT_KEYS, ["reports"], fresh, batch_size=_BATCH)


def compute_all() -> dict[Key, tuple[Decimal, int, Decimal]]:
    """Every aggregate from scratch: (area, year, indicator, basis) → (sum, count, maximum).

    One grouped query per level of the hierarchy and basis; the levels are merged here because
    a value reaches an area through exactly one of them.
    """
    merged: dict[Key, list] = defaultdict(lambda: [Decimal(0), 0, None])
    levels = [("report__unit", True)] + [(f"report__unit__{p}", False) for p in _PARENT_PATHS]
    for basis, statuses in BASIS_STATUSES.items():
        for path, own_level in levels:
            qs = ReportValue.objects.filter(report__status__in=statuses, value__isnull=False)
            if own_level:
                qs = qs.exclude(report__unit__kind__in=AdministrativeUnit.COMMUNE_LEVEL_KINDS)
            else:
                qs = qs.filter(**{f"{path}__isnull": False})
            grouped = (
                qs.values(area=F(path), year=F("report__period__year"), ind=F("indicator_id"))
                .annotate(total=Sum("value"), n=Count("id"), top=Max("value"))
                .order_by()
            )
            for g in grouped.iterator(chunk_size=_BATCH):
                acc = merged[(g["area"], g["year"], g["ind"], basis)]
                acc[0] += g["total"]
                acc[1] += g["n"]
                acc[2] = g["top"] if acc[2] is None else max(acc[2], g["top"])
    return {key: tuple(acc) for key, acc in merged.items()}


def stored_all() -> dict[Key, tuple[Decimal, int, Decimal]]:
    return {
        (a.area_id, a.year, a.indicator_id, a.basis): (a.total, a.value_count, a.maximum)
        for a in IndicatorAggregate.objects.iterator(chunk_size=_BATCH)
    }


@transaction.atomic
def rebuild() -> int:
    """Replace every aggregate (and report count) with a fresh recomputation; returns the
    number of aggregate rows."""
    IndicatorAggregate.objects.all().delete()
    rows = [
        IndicatorAggregate(
            area_id=area,
            year=year,
            indicator_id=ind,
            basis=basis,
            total=t,
            value_count=n,
            maximum=m,
        )
        for (area, year, ind, basis), (t, n, m) in compute_all().items()
    ]
    IndicatorAggregate.objects.bulk_create(rows, batch_size=_BATCH)
    rebuild_report_counts()
    return len(rows)
