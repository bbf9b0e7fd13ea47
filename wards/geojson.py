"""Reading and checking the GeoJSON of a unit's boundary (RFC 7946), with no GIS library.

A boundary is a ``Polygon`` or ``MultiPolygon`` in longitude/latitude (WGS 84). An uploaded
file may hold the geometry itself, a ``Feature`` or a ``FeatureCollection`` of exactly one
feature; what is kept is the geometry. Every problem is a ``ValidationError`` in Vietnamese that
says what is wrong and where.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

POLYGON_TYPES = ("Polygon", "MultiPolygon")
# A ward's outline needs no more; a bigger file is almost surely the wrong one (a whole country).
MAX_POSITIONS = 50_000


def parse_geometry(text: str | bytes) -> dict[str, Any]:
    """The polygon geometry in ``text`` (GeoJSON), checked; raises ``ValidationError``."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(
            _("The file is not valid GeoJSON: %(error)s") % {"error": exc}, code="not_json"
        ) from exc
    return check_geometry(_geometry_of(data))


def _geometry_of(data: Any) -> Any:
    if not isinstance(data, dict):
        raise ValidationError(_("GeoJSON must be an object."), code="not_object")
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise ValidationError(
                _("A FeatureCollection must hold exactly one feature: the unit's boundary."),
                code="feature_count",
            )
        data = features[0]
        kind = data.get("type") if isinstance(data, dict) else None
    if kind == "Feature":
        return data.get("geometry")
    return data


def check_geometry(geometry: Any) -> dict[str, Any]:
    """``geometry`` if it is a well-formed Polygon or MultiPolygon in longitude/latitude."""
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        found = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise ValidationError(
            _("The boundary must be a Polygon or a MultiPolygon, not %(kind)s.") % {"kind": found},
            code="not_polygon",
        )
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The boundary has no coordinates."), code="empty")
    count = 0
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise ValidationError(_("A polygon has no rings."), code="empty_polygon")
        for ring in polygon:
            count += _check_ring(ring)
    if count > MAX_POSITIONS:
        raise ValidationError(
            _("The boundary has %(n)s points; simplify it to at most %(max)s.")
            % {"n": count, "max": MAX_POSITIONS},
            code="too_many_points",
        )
    return {"type": geometry["type"], "coordinates": coordinates}


def _check_ring(ring: Any) -> int:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(
            _("Every ring of a polygon needs at least four points (the first repeated last)."),
            code="short_ring",
        )
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in position)
        ):
            raise ValidationError(
                _("A point must be [longitude, latitude] in numbers: %(point)s")
                % {"point": json.dumps(position)[:60]},
                code="bad_position",
            )
        longitude, latitude = position[0], position[1]
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise ValidationError(
                _(
                    "The point %(point)s is off the globe: write longitude first (−180…180), "
                    "then latitude (−90…90)."
                )
                % {"point": json.dumps(position[:2])},
                code="out_of_range",
            )
    if ring[0][:2] != ring[-1][:2]:
        raise ValidationError(
            _("A ring must end where it starts (the first point repeated last)."),
            code="open_ring",
        )
    return len(ring)


def bounds(geometries: list[dict[str, Any]]) -> list[list[float]] | None:
    """[[south, west], [north, east]] around every geometry (what Leaflet's fitBounds takes)."""
    lons, lats = [], []
    for geometry in geometries:
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            for ring in polygon:
                lons += [p[0] for p in ring]
                lats += [p[1] for p in ring]
    if not lons:
        return None
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
