"""The choropleth map of the units of a scope: outlines from :mod:`wards` and the figures from
:func:`campaigns.dashboard.selectors.by_member`, so the map rolls units up "as of" a date exactly
like the comparison table and the API do.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format

from campaigns.dashboard.selectors import OFFENDERS, Query, Scope, by_member
from campaigns.models import Indicator
from wards.geojson import bounds
from wards.models import AdministrativeUnit
from wards.selectors import boundaries_on

DEFAULT_INDICATOR = OFFENDERS
# Sequential blues (light = low); dark enough at the top for the outline to stay visible.
PALETTE = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
NO_DATA = "#e9ecef"
# More units than this (a whole province or country) make no readable map in one page.
MAX_UNITS = 400


def label(value: Decimal | None) -> str:
    """A figure the Vietnamese way (1.816; 70,5), "—" for none."""
    if value is None:
        return "—"
    places = 0 if value == value.to_integral_value() else 1
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@dataclass
class LegendClass:
    low: Decimal
    high: Decimal
    index: int  # into PALETTE, and the CSS class map-c<index> of the legend swatch

    @property
    def colour(self) -> str:
        return PALETTE[self.index]

    @property
    def text(self) -> str:
        if self.low == self.high:
            return label(self.low)
        return f"{label(self.low)} – {label(self.high)}"


@dataclass
class MapUnit:
    unit: AdministrativeUnit
    value: Decimal | None
    colour_index: int | None
    geometry: dict[str, Any] | None
    illustrative: bool = False

    @property
    def colour(self) -> str:
        return NO_DATA if self.colour_index is None else PALETTE[self.colour_index]

    @property
    def value_label(self) -> str:
        return label(self.value)


@dataclass
class UnitMap:
    query: Query
    indicator: Indicator
    units: list[MapUnit]
    legend: list[LegendClass]
    too_many: bool = False
    missing: list[AdministrativeUnit] = field(default_factory=list)

    @property
    def period(self) -> str:
        """ "2020" or "2015–2020"."""
        q = self.query
        return str(q.year_to) if q.year_from == q.year_to else f"{q.year_from}–{q.year_to}"

    @property
    def illustrative(self) -> bool:
        return any(u.illustrative for u in self.units)

    @property
    def has_outlines(self) -> bool:
        return any(u.geometry for u in self.units)

    def feature_collection(self) -> dict[str, Any]:
        """GeoJSON (RFC 7946) with each unit's figure in ``properties``; a unit with no outline
        on that date keeps its figure with a null geometry."""
        return {
            "type": "FeatureCollection",
            "bbox": self._bbox(),
            "properties": {
                "indicator": self.indicator.code,
                "indicator_name": self.indicator.name,
                "unit_of_measure": self.indicator.unit_of_measure,
                "scope": self.query.unit.slug,
                "from": self.query.year_from,
                "to": self.query.year_to,
                "as_of": self.query.as_of.isoformat(),
                "basis": str(self.query.basis),
                "illustrative": self.illustrative,
                "legend": [
                    {"from": _plain(c.low), "to": _plain(c.high), "colour": c.colour}
                    for c in self.legend
                ],
            },
            "features": [
                {
                    "type": "Feature",
                    "id": u.unit.slug,
                    "geometry": u.geometry,
                    "properties": {
                        "unit": u.unit.slug,
                        "name": u.unit.name,
                        "value": _plain(u.value),
                        "label": u.value_label,
                        "colour": u.colour,
                        "illustrative": u.illustrative,
                    },
                }
                for u in self.units
            ],
        }

    def _bbox(self) -> list[float] | None:
        box = bounds([u.geometry for u in self.units if u.geometry])
        return [box[0][1], box[0][0], box[1][1], box[1][0]] if box else None


def _plain(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(round(value, 2))


def classes(values: list[Decimal]) -> list[LegendClass]:
    """Up to five equal-width classes between the lowest and highest figure (whole numbers
    stay whole); one class when every unit has the same figure."""
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:
        return [LegendClass(low, high, len(PALETTE) - 1)]
    whole = all(v == v.to_integral_value() for v in values)
    count = min(len(PALETTE), len(set(values)))
    step = (high - low) / count
    result, start = [], low
    for index in range(count):
        end = high if index == count - 1 else low + step * (index + 1)
        if whole and index < count - 1:
            end = end.to_integral_value()
        shade = round(index * (len(PALETTE) - 1) / max(count - 1, 1))
        result.append(LegendClass(start, end, shade))
        start = end + 1 if whole else end
    return [c for c in result if c.low <= c.high]


def shade_of(value: Decimal | None, legend: list[LegendClass]) -> int | None:
    if value is None or not legend:
        return None
    for cls in legend:
        if value <= cls.high:
            return cls.index
    return legend[-1].index


def unit_map(
    query: Query,
    scope: Scope,
    catalogue: dict[str, Indicator],
    code: str,
    values: dict[int, dict[str, Decimal | None]] | None = None,
) -> UnitMap:
    """The scope's units on ``query.as_of``, coloured by ``code`` over the period.

    ``values`` may carry figures already computed by :func:`by_member` for the same scope;
    otherwise one grouped query reads them. The outlines cost one more query.
    """
    indicator = catalogue[code]
    members = scope.members
    if len(members) > MAX_UNITS:
        return UnitMap(query, indicator, [], [], too_many=True)
    if values is None or any(code not in values.get(m.pk, {code: None}) for m in members):
        values = by_member(query, scope, catalogue, [code])
    figures = {m.pk: values.get(m.pk, {}).get(code) for m in members}
    legend = classes([v for v in figures.values() if v is not None])
    outlines = boundaries_on(query.as_of, [m.pk for m in members])
    units = []
    for member in members:
        outline = outlines.get(member.pk)
        units.append(
            MapUnit(
                unit=member,
                value=figures[member.pk],
                colour_index=shade_of(figures[member.pk], legend),
                geometry=outline.geometry if outline else None,
                illustrative=bool(outline and outline.is_illustrative),
            )
        )
    return UnitMap(
        query,
        indicator,
        units,
        legend,
        missing=[u.unit for u in units if u.geometry is None],
    )
