"""Keep :class:`~models_registry.models.CountedSiteChange` exact: the registry's counts by area.

A site counts at the end of year Y (the dashboard's "as of 31/12") when it and its model run on
that day and its ward or commune exists then. That is a range of years: from the latest of the
three starts to the earliest end, so a site adds ``+1`` (and its cameras) to the row of the first
year and ``-1`` to the row of the year it stops counting, in each area above its unit. Every
write that can move that range (a site created, corrected, retired or carried over, a model
corrected or retired, the admin) reads the contributions of the sites it touches before and
after, inside its transaction and after its row locks, and applies the difference
(:func:`wards.counters.apply_deltas`). Bulk loaders call :func:`rebuild`;
``rebuild_aggregates --check`` compares :func:`stored_all` with :func:`compute_all`.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models import Q

from models_registry.models import CountedSiteChange, ModelSite
from wards.counters import apply_deltas, replace_all
from wards.models import AdministrativeUnit

Key = tuple[int, int, int]  # (area id, year, model id)
_KEYS = ["area_id", "year", "model_id"]
_COLUMNS = (
    "model_id",
    "start_date",
    "retired_on",
    "cameras",
    "model__start_date",
    "model__retired_on",
    "unit__kind",
    "unit__valid_from",
    "unit__valid_to",
    "unit__parent_id",
    "unit__parent__parent_id",
    "unit__parent__parent__parent_id",
)
_BATCH = 5000


def _first_year_off(day: datetime.date | None) -> int | None:
    """The first year whose 31 December is on or after ``day``, a first day off (retirement)."""
    return None if day is None else day.year


def _first_year_gone(valid_to: datetime.date | None) -> int | None:
    """The first year whose 31 December the unit does not reach (``valid_to`` is its last day)."""
    if valid_to is None:
        return None
    return valid_to.year + 1 if (valid_to.month, valid_to.day) == (12, 31) else valid_to.year


def _contributions(rows) -> dict[Key, list[int]]:
    changes: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for model_id, start, retired, cameras, m_start, m_retired, kind, u_from, u_to, *areas in rows:
        if kind not in AdministrativeUnit.COMMUNE_LEVEL_KINDS:
            continue
        first = max(start.year, m_start.year, u_from.year)
        ends = [
            y
            for y in (_first_year_off(retired), _first_year_off(m_retired), _first_year_gone(u_to))
            if y is not None
        ]
        last = min(ends) if ends else None
        if last is not None and last <= first:
            continue
        for area_id in areas:
            if area_id is None:
                continue
            changes[(area_id, first, model_id)][0] += 1
            changes[(area_id, first, model_id)][1] += cameras
            if last is not None:
                changes[(area_id, last, model_id)][0] -= 1
                changes[(area_id, last, model_id)][1] -= cameras
    return changes


def contributions(
    *, model_ids: Iterable[int] = (), site_ids: Iterable[int] = ()
) -> dict[Key, list[int]]:
    """What these sites (every site of ``model_ids``, and ``site_ids``) add, as stored now: one
    query, none for no ids."""
    model_ids, site_ids = list(model_ids), list(site_ids)
    if not model_ids and not site_ids:
        return {}
    sites = ModelSite.objects.filter(Q(model_id__in=model_ids) | Q(pk__in=site_ids))
    return _contributions(sites.values_list(*_COLUMNS))


def apply(before: dict[Key, list[int]], after: dict[Key, list[int]]) -> None:
    """Move the kept changes from ``before`` to ``after``: one upsert, none if nothing moves."""
    delta = {
        key: (
            after.get(key, (0, 0))[0] - before.get(key, (0, 0))[0],
            after.get(key, (0, 0))[1] - before.get(key, (0, 0))[1],
        )
        for key in before.keys() | after.keys()
    }
    apply_deltas(CountedSiteChange, _KEYS, ["sites", "cameras"], delta, signed=True)


class Tracked:
    """The sites a write touches; a write adds the ones it creates (:meth:`add`)."""

    def __init__(self, model_ids: Iterable[int], site_ids: Iterable[int]):
        self.model_ids, self.site_ids = list(model_ids), list(site_ids)

    def add(self, site: ModelSite) -> None:
        self.site_ids.append(site.pk)


@contextmanager
def kept(*, model_ids: Iterable[int] = (), site_ids: Iterable[int] = ()) -> Iterator[Tracked]:
    """Around a write (inside its transaction, after its locks): the counts follow whatever it
    does to these sites. Two queries and one upsert."""
    tracked = Tracked(model_ids, site_ids)
    before = contributions(model_ids=tracked.model_ids, site_ids=tracked.site_ids)
    yield tracked
    apply(before, contributions(model_ids=tracked.model_ids, site_ids=tracked.site_ids))


def compute_all() -> dict[Key, tuple[int, int]]:
    """Every kept change from scratch (rows of zero left out)."""
    rows = ModelSite.objects.values_list(*_COLUMNS).iterator(chunk_size=_BATCH)
    return {key: tuple(d) for key, d in _contributions(rows).items() if any(d)}


def stored_all() -> dict[Key, tuple[int, int]]:
    return {
        (area_id, year, model_id): (sites, cameras)
        for area_id, year, model_id, sites, cameras in CountedSiteChange.objects.exclude(
            sites=0, cameras=0
        ).values_list("area_id", "year", "model_id", "sites", "cameras")
    }


def rebuild() -> int:
    """Replace every kept change with a fresh recomputation; returns the number of rows."""
    columns = ["sites", "cameras"]
    return replace_all(CountedSiteChange, _KEYS, columns, compute_all(), batch_size=_BATCH)


def totals(*, area_id: int, year: int) -> tuple[int, int, int]:
    """(models, sites, cameras) counted in ``area`` on 31 December of ``year``: one query."""
    by_model: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for model_id, sites, cameras in CountedSiteChange.objects.filter(
        area_id=area_id, year__lte=year
    ).values_list("model_id", "sites", "cameras"):
        by_model[model_id][0] += sites
        by_model[model_id][1] += cameras
    counted = [pair for pair in by_model.values() if pair[0] > 0]
    return len(counted), sum(p[0] for p in counted), sum(p[1] for p in counted)
