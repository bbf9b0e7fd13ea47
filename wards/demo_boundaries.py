"""Illustrative map outlines for the demo: the 17 units of 2015–2020 and the 5 wards of 2025.

These are NOT surveyed boundaries. The Mỹ Tho area is drawn as five bands, one per ward of
2025, each cut into the older units it absorbed (domain.md §2; Phường 3, 7 and 8, merged away
before 2025 into units not recorded, are put in a band for the picture only). Every row is
marked ``is_illustrative`` and says so in its source, and the map shows that warning.
Idempotent: running it again rewrites the same rows.
"""

import math

from django.db import transaction

from wards.models import AdministrativeUnit, UnitBoundary

SOURCE = "Minh họa cho dữ liệu demo, không phải ranh giới đo đạc."
WEST, EAST, SOUTH, NORTH = 106.30, 106.42, 10.33, 10.40

# West to east: (ward of 2025, [(older unit, relative height), north to south]).
BANDS = [
    ("phuong-trung-an", [("trung-an", 3), ("phuoc-thanh", 2), ("phuong-10", 1.5)]),
    (
        "phuong-dao-thanh",
        [("dao-thanh", 3), ("phuong-8", 1), ("phuong-5", 1.2), ("phuong-4", 1.2)],
    ),
    ("phuong-my-tho", [("phuong-3", 1), ("phuong-2", 1), ("phuong-1", 1.2), ("tan-long", 2)]),
    ("phuong-thoi-son", [("phuong-7", 1.2), ("phuong-6", 1.5), ("thoi-son", 3)]),
    ("phuong-my-phong", [("my-phong", 3), ("phuong-9", 1.2), ("tan-my-chanh", 2.5)]),
]


def _edge_x(index: int, latitude: float) -> float:
    """Longitude of the line between band ``index - 1`` and band ``index``, wavy like a canal."""
    width = (EAST - WEST) / len(BANDS)
    wobble = 0.0025 if 0 < index < len(BANDS) else 0.0012
    return WEST + width * index + wobble * math.sin(150 * latitude + 1.7 * index)


def _cuts(weights: list[float]) -> list[float]:
    """Latitudes, north to south, where a band is cut into its rows."""
    total, acc, cuts = sum(weights), 0.0, [NORTH]
    for weight in weights:
        acc += weight
        cuts.append(NORTH - (NORTH - SOUTH) * acc / total)
    cuts[-1] = SOUTH
    return cuts


def outlines() -> dict[str, dict]:
    """slug → Polygon geometry for every demo unit (old units and 2025 wards)."""
    band_cuts = [[round(y, 6) for y in _cuts([w for _, w in rows])] for _, rows in BANDS]
    # Every cut of every band is a vertex of every band's sides, so neighbours share edges.
    # Extra levels every ~0.0025° make the wavy sides smooth.
    steps = 28
    grid = {round(SOUTH + (NORTH - SOUTH) * i / steps, 6) for i in range(steps + 1)}
    levels = sorted(grid | {round(y, 6) for cuts in band_cuts for y in cuts}, reverse=True)

    def piece(index: int, top: float, bottom: float) -> dict:
        ys = [y for y in levels if bottom - 1e-9 <= y <= top + 1e-9]
        left = [[round(_edge_x(index, y), 5), round(y, 5)] for y in ys]
        right = [[round(_edge_x(index + 1, y), 5), round(y, 5)] for y in reversed(ys)]
        ring = left + right
        return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}

    shapes: dict[str, dict] = {}
    for index, ((ward, rows), cuts) in enumerate(zip(BANDS, band_cuts, strict=True)):
        shapes[ward] = piece(index, NORTH, SOUTH)
        for (slug, _weight), top, bottom in zip(rows, cuts, cuts[1:], strict=False):
            shapes[slug] = piece(index, top, bottom)
    return shapes


@transaction.atomic
def load_boundaries() -> int:
    """Write the illustrative outline of every demo unit present; returns how many."""
    shapes = outlines()
    units = AdministrativeUnit.objects.filter(slug__in=list(shapes))
    for unit in units:
        UnitBoundary.objects.update_or_create(
            unit=unit,
            valid_from=unit.valid_from,
            defaults={
                "valid_to": unit.valid_to,
                "geometry": shapes[unit.slug],
                "source": SOURCE,
                "is_illustrative": True,
            },
        )
    return len(units)
