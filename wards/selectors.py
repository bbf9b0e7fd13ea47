"""Read-side questions about units over time."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from wards.models import AdministrativeUnit, UnitBoundary, UnitChange


def units_on(day: datetime.date, *, commune_level: bool = False, within=None):
    """Units that existed on ``day``, optionally only wards/communes and only below ``within``."""
    qs = AdministrativeUnit.objects.valid_on(day)
    if commune_level:
        qs = qs.commune_level()
    if within is not None:
        qs = qs.within(within)
    return qs


@dataclass
class Succession:
    """Every change up to a date, loaded once, to resolve what units became."""

    day: datetime.date
    # predecessor id -> [(effective date, change id, successor ids)], oldest first
    _moves: dict[int, list[tuple[datetime.date, int, tuple[int, ...]]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @classmethod
    def on(cls, day: datetime.date) -> "Succession":
        """Load the changes effective on or before ``day`` (two queries)."""
        succession = cls(day=day)
        changes = (
            UnitChange.objects.filter(effective_date__lte=day)
            .order_by("effective_date", "pk")
            .prefetch_related("predecessors", "successors")
        )
        for change in changes:
            successor_ids = tuple(sorted(u.pk for u in change.successors.all()))
            for predecessor in change.predecessors.all():
                succession._moves[predecessor.pk].append(
                    (change.effective_date, change.pk, successor_ids)
                )
        return succession

    def resolve(self, unit_id: int) -> set[int]:
        """Ids of the units that ``unit_id`` had become by ``day``, through chains of changes.

        A unit not touched by any change is its own answer; a unit that continues after a
        change (it is among its own successors) goes on from that change's date.
        """
        result: set[int] = set()
        frontier: list[tuple[int, datetime.date | None]] = [(unit_id, None)]
        seen: set[tuple[int, datetime.date | None]] = set()
        while frontier:
            current, since = frontier.pop()
            if (current, since) in seen:
                continue
            seen.add((current, since))
            nxt = next(
                (m for m in self._moves.get(current, []) if since is None or m[0] > since),
                None,
            )
            if nxt is None:
                result.add(current)
                continue
            effective, _change_id, successor_ids = nxt
            frontier.extend((s, effective) for s in successor_ids)
        return result

    def moved_unit_ids(self) -> set[int]:
        """Units that some change up to ``day`` turned into others (or merged others into)."""
        return set(self._moves)

    def mapping(self, unit_ids) -> dict[int, set[int]]:
        return {uid: self.resolve(uid) for uid in unit_ids}


def successors_on(unit: AdministrativeUnit, day: datetime.date) -> list[AdministrativeUnit]:
    """What ``unit`` had become on ``day``: itself if unchanged, else its successors.

    Units with no known successor that no longer exist on ``day`` are left out, so an empty
    list means "dissolved, and what it became is not recorded".
    """
    ids = Succession.on(day).resolve(unit.pk)
    return list(AdministrativeUnit.objects.filter(pk__in=ids).valid_on(day).order_by("name"))


def predecessors_of(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """Units that directly became ``unit`` (one step back)."""
    return list(
        AdministrativeUnit.objects.filter(changes_as_predecessor__successors=unit)
        .exclude(pk=unit.pk)
        .distinct()
        .order_by("name")
    )


def boundaries_on(day: datetime.date, unit_ids: list[int]) -> dict[int, UnitBoundary]:
    """unit id → its boundary valid on ``day`` (one query; units with none are left out)."""
    found: dict[int, UnitBoundary] = {}
    for boundary in UnitBoundary.objects.valid_on(day).filter(unit_id__in=unit_ids):
        found.setdefault(boundary.unit_id, boundary)
    return found
