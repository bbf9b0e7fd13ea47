"""Keep :class:`~campaigns.certifications.models.TitleCount` exact: the write side of title counts.

A dossier counts when it is decided "đạt" (:meth:`DossierQuerySet.met`). It adds one to the row
of its owning unit and, when that unit is a ward or commune that existed on the year's last
day, to the row of each area above it. Every write that can change that (a decision, an edit
or deletion in the admin) applies the difference of the dossier's keys before and after with
:func:`wards.counters.apply_deltas` (rows in one fixed order); bulk loaders call
:func:`rebuild`, and ``rebuild_aggregates --check`` compares :func:`stored_all` with
:func:`compute_all`.
"""

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count

from campaigns.certifications.models import Dossier, TitleCount
from wards.counters import apply_deltas, replace_all
from wards.models import AdministrativeUnit

Key = tuple[int, int, str, str]  # (area id, year, title, holder type)
_KEYS = ["area_id", "year", "kind", "holder_type"]
_UNIT_COLUMNS = ("pk", "kind", "valid_from", "valid_to", "parent", "parent__parent")
_UNIT_COLUMNS += ("parent__parent__parent",)
_BATCH = 5000


def _valid_on(valid_from, valid_to, day: datetime.date) -> bool:
    return valid_from <= day and (valid_to is None or valid_to >= day)


def _units(unit_ids: Iterable[int] | None = None) -> dict[int, tuple]:
    """unit id → (kind, valid_from, valid_to, ancestor ids): one query."""
    units = AdministrativeUnit.objects.all()
    if unit_ids is not None:
        units = units.filter(pk__in=set(unit_ids))
    return {
        pk: (kind, start, end, [a for a in ancestors if a is not None])
        for pk, kind, start, end, *ancestors in units.values_list(*_UNIT_COLUMNS)
    }


def _areas(unit: tuple, unit_id: int, year: int) -> list[int]:
    kind, start, end, ancestors = unit
    if kind in AdministrativeUnit.COMMUNE_LEVEL_KINDS and _valid_on(
        start, end, datetime.date(year, 12, 31)
    ):
        return [unit_id, *ancestors]
    return [unit_id]


def _counted(rows, units: dict[int, tuple]) -> Counter:
    """(unit id, year, title, holder type, number) rows → key → number."""
    counts: Counter = Counter()
    for unit_id, year, kind, holder_type, n in rows:
        for area_id in _areas(units[unit_id], unit_id, year):
            counts[(area_id, year, kind, holder_type)] += n
    return counts


def keys_of(dossier_ids: Iterable[int]) -> Counter:
    """What these dossiers add to the counts as stored now (two queries, none for no ids)."""
    dossier_ids = list(dossier_ids)
    if not dossier_ids:
        return Counter()
    rows = list(
        Dossier.objects.met()
        .filter(pk__in=dossier_ids)
        .values_list("unit_id", "year", "kind", "holder_type")
    )
    if not rows:
        return Counter()
    units = _units(unit_id for unit_id, *_rest in rows)
    return _counted([(*row, 1) for row in rows], units)


def keys_of_dossier(dossier: Dossier) -> Counter:
    """What this dossier, as it is in memory, adds to the counts (one query if it is met)."""
    if not dossier.is_certified:
        return Counter()
    row = (dossier.unit_id, dossier.year, dossier.kind, dossier.holder_type, 1)
    return _counted([row], _units([dossier.unit_id]))


def apply(before: Counter, after: Counter) -> None:
    """Move the counts from ``before`` to ``after``: a statement to add, one to take away."""
    delta = Counter(after)
    delta.subtract(before)
    apply_deltas(TitleCount, _KEYS, ["holders"], {key: (n,) for key, n in delta.items()})


def compute_all() -> dict[Key, int]:
    """Every count from scratch (rows of zero left out)."""
    rows = (
        Dossier.objects.met()
        .values_list("unit_id", "year", "kind", "holder_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {key: n for key, n in _counted(rows, _units()).items() if n}


def stored_all() -> dict[Key, int]:
    return {
        (area_id, year, kind, holder_type): n
        for area_id, year, kind, holder_type, n in TitleCount.objects.filter(
            holders__gt=0
        ).values_list("area_id", "year", "kind", "holder_type", "holders")
    }


def rebuild() -> int:
    """Replace every count with a fresh recomputation; returns the number of rows."""
    fresh = {key: (n,) for key, n in compute_all().items()}
    return replace_all(TitleCount, _KEYS, ["holders"], fresh, batch_size=_BATCH)
