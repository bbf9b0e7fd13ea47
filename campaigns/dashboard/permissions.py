"""Whose figures a user may see on the dashboard, the period review, the exports and the API
(the shared questions are :mod:`wards.permissions`).

The figures of a unit are everyone's who may see the unit (:mod:`wards.scoping`): an official
its own ward or commune, the city roles their ground, an administrator every unit.
"""

from wards.models import AdministrativeUnit
from wards.scoping import can_view_unit

SCOPE_KINDS = [
    AdministrativeUnit.Kind.COUNTRY,
    AdministrativeUnit.Kind.PROVINCE,
    AdministrativeUnit.Kind.CITY,
    AdministrativeUnit.Kind.DISTRICT,
    *AdministrativeUnit.COMMUNE_LEVEL_KINDS,
]


def scope_units(user):
    """Units the user may pick as a scope: what they can see, cities and wards/communes."""
    return AdministrativeUnit.objects.visible_to(user).filter(kind__in=SCOPE_KINDS)


def can_see_figures_of(user, unit: AdministrativeUnit) -> bool:
    """Whether ``user`` may see the figures over ``unit``: one of :func:`scope_units`. No
    query when ``unit`` was loaded with its parents (``parent__parent__parent``), else one."""
    return unit.kind in SCOPE_KINDS and can_view_unit(user, unit)


def viewer_key(user) -> tuple:
    """What decides which units ``user`` sees: two users with the same key see the same units,
    so the cached pieces that depend on the viewer (the progress line, the unit picker) are
    kept per key rather than per user."""
    return (user.role, user.unit_id, user.is_superuser)
