"""Who may see and edit which unit's data: the one mechanism every view and queryset uses.

Deny by default: an anonymous or inactive user, or an account without a role, gets nothing.

==========  ==========================================  ===============================
role        sees                                        edits
==========  ==========================================  ===============================
official    own unit                                    own unit
approver    own unit (the city) and every unit below    the city's own data
leader      own unit (the city) and every unit below    nothing
admin       everything                                  everything
==========  ==========================================  ===============================
"""

from typing import Literal

from django.db import models
from django.db.models import Q

Action = Literal["view", "edit"]

_NOTHING = Q(pk__in=[])

# The hierarchy is at most province › district/city › ward/commune, so three steps cover it.
_DEPTH = 3


def _lookup(prefix: str, suffix: str) -> str:
    if not prefix:
        return suffix or "pk"
    return f"{prefix}__{suffix}" if suffix else prefix


def descendant_pks(unit) -> models.QuerySet:
    """The pks of ``unit`` and of every unit up to three levels below it, as a subquery.

    One branch per level (``parent_id = X``, ``parent.parent_id = X``...), each an index scan
    from the unit down: a city's scope costs the same whatever the size of the rest of the
    country (an ``OR`` over joined parents would scan the whole unit table).
    """
    from django.apps import apps

    unit_model = apps.get_model("wards", "AdministrativeUnit")
    unit_id = getattr(unit, "pk", unit)
    levels = [unit_model.objects.filter(pk=unit_id)] + [
        unit_model.objects.filter(**{"__".join(["parent"] * depth): unit_id})
        for depth in range(1, _DEPTH + 1)
    ]
    first, *rest = [level.order_by().values("pk") for level in levels]
    return first.union(*rest, all=True)


def within_q(unit, unit_lookup: str) -> Q:
    """Rows whose unit (reached by ``unit_lookup``) is ``unit`` or below it."""
    return Q(**{f"{_lookup(unit_lookup, '')}__in": descendant_pks(unit)})


def scope_q(user, unit_lookup: str, action: Action) -> Q:
    """Filter for the rows ``user`` may ``view`` or ``edit``; ``unit_lookup`` leads to the unit."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOTHING
    if user.is_superuser or user.role == "admin":
        return Q()
    if not user.unit_id:
        return _NOTHING
    own_unit = Q(**{_lookup(unit_lookup, ""): user.unit_id})
    if user.role == "official":
        return own_unit
    if user.role == "approver":
        return within_q(user.unit_id, unit_lookup) if action == "view" else own_unit
    if user.role == "leader":
        return within_q(user.unit_id, unit_lookup) if action == "view" else _NOTHING
    return _NOTHING


class ScopedQuerySet(models.QuerySet):
    """A queryset of rows that belong to a unit; subclasses set ``unit_lookup``."""

    unit_lookup = "unit"

    def visible_to(self, user):
        return self.filter(scope_q(user, self.unit_lookup, "view"))

    def editable_by(self, user):
        return self.filter(scope_q(user, self.unit_lookup, "edit"))


def can_view_unit(user, unit) -> bool:
    """Whether ``user`` may see data of ``unit``: one query through :func:`scope_q`."""
    return _unit_in_scope(user, unit, "view")


def can_edit_unit(user, unit) -> bool:
    return _unit_in_scope(user, unit, "edit")


def _unit_in_scope(user, unit, action: Action) -> bool:
    if unit is None:
        return False
    from django.apps import apps

    unit_model = apps.get_model("wards", "AdministrativeUnit")
    return unit_model.objects.filter(scope_q(user, "", action), pk=unit.pk).exists()
