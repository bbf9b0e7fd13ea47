"""Keep :class:`IndicatorAggregate` exact.

``refresh_for_report`` runs inside the transaction of every status change of a report
(:mod:`campaigns.services`), recomputing the rows of the report's ancestors for its year from
the base values; ``rebuild`` recomputes everything (``manage.py rebuild_aggregates``, and the
tests that prove the kept rows always equal a fresh recomputation).

An area's figure is over every report of a unit at or below it (the area's own report too: the
city police report city-level indicators on the city's report).
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Max, Sum

from campaigns.dashboard.models import AggregateBasis, IndicatorAggregate
from campaigns.models import ReportStatus, ReportValue, UnitReport
from wards.models import AdministrativeUnit

BASIS_STATUSES = {
    AggregateBasis.APPROVED: [ReportStatus.APPROVED],
    AggregateBasis.SUBMITTED: [ReportStatus.APPROVED, ReportStatus.SUBMITTED],
}
# Up the hierarchy: a reporting unit's parent, grandparent and great-grandparent.
_PARENT_PATHS = ["parent", "parent__parent", "parent__parent__parent"]
_BATCH = 5000


def areas_of(unit_id: int) -> list[int]:
    """The unit itself (if it has units below it) and its ancestors: one query."""
    row = AdministrativeUnit.objects.filter(pk=unit_id).values_list("kind", *_PARENT_PATHS).get()
    kind, *ancestors = row
    own = [] if kind in AdministrativeUnit.COMMUNE_LEVEL_KINDS else [unit_id]
    return own + [a for a in ancestors if a is not None]


def refresh_for_report(report: UnitReport) -> None:
    """Recompute the aggregates that ``report`` feeds, for its year. Call inside the transaction."""
    refresh(area_ids=areas_of(report.unit_id), year=report.period.year)


def refresh(*, area_ids: Iterable[int], year: int) -> None:
    area_ids = list(area_ids)
    if not area_ids:
        return
    with transaction.atomic():
        IndicatorAggregate.objects.filter(area_id__in=area_ids, year=year).delete()
        rows = []
        for area_id in area_ids:
            below = AdministrativeUnit.objects.within(area_id).values("pk")
            for basis, statuses in BASIS_STATUSES.items():
                grouped = (
                    ReportValue.objects.filter(
                        report__unit__in=below,
                        report__period__year=year,
                        report__status__in=statuses,
                        value__isnull=False,
                    )
                    .values("indicator_id")
                    .annotate(total=Sum("value"), n=Count("id"), top=Max("value"))
                    .order_by()
                )
                rows += [
                    IndicatorAggregate(
                        area_id=area_id,
                        year=year,
                        indicator_id=g["indicator_id"],
                        basis=basis,
                        total=g["total"],
                        value_count=g["n"],
                        maximum=g["top"],
                    )
                    for g in grouped
                ]
        IndicatorAggregate.objects.bulk_create(rows, batch_size=_BATCH)


def compute_all() -> dict[tuple[int, int, int, str], tuple[Decimal, int, Decimal]]:
    """Every aggregate from scratch: (area, year, indicator, basis) → (sum, count, maximum).

    One grouped query per level of the hierarchy and basis; the levels are merged here because
    a value reaches an area through exactly one of them.
    """
    merged: dict[tuple[int, int, int, str], list] = defaultdict(lambda: [Decimal(0), 0, None])
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


def stored_all() -> dict[tuple[int, int, int, str], tuple[Decimal, int, Decimal]]:
    return {
        (a.area_id, a.year, a.indicator_id, a.basis): (a.total, a.value_count, a.maximum)
        for a in IndicatorAggregate.objects.iterator(chunk_size=_BATCH)
    }


@transaction.atomic
def rebuild() -> int:
    """Replace every aggregate with a fresh recomputation; returns the number of rows."""
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
    return len(rows)
