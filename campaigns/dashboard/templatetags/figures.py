"""The dashboard pages' filters and tags; ``num`` is :func:`wards.numbers.format_number`."""

import datetime

from django import template
from django.conf import settings
from django.utils import timezone

from campaigns.dashboard import maps
from campaigns.dashboard.permissions import can_see_figures_of
from campaigns.dashboard.selectors import Query, indicator_catalogue, scope_of
from wards.numbers import format_number

register = template.Library()


# The one number format of the project, the same filter as ``campaign_tags``'s.
register.filter("num", format_number)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when missing)."""
    return mapping.get(key) if mapping else None


@register.simple_tag
def unit_page_map(unit, user):
    """The unit page's map: the unit's outline coloured by the default indicator over its last
    full year, rolled up like the dashboard; ``None`` when the user may not see its figures."""
    if not unit.is_commune_level or not can_see_figures_of(user, unit):
        return None
    today = timezone.localdate()
    as_of = min(today, unit.valid_to) if unit.valid_to else today
    year = as_of.year if as_of == datetime.date(as_of.year, 12, 31) else as_of.year - 1
    catalogue = indicator_catalogue()
    if maps.DEFAULT_INDICATOR not in catalogue:
        return None
    query = Query(unit=unit, year_from=year, year_to=year, as_of=as_of)
    return {
        "map": maps.unit_map(query, scope_of(unit, as_of), catalogue, maps.DEFAULT_INDICATOR),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
