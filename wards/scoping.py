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


def within_q(unit, unit_lookup: str) -> Q:
    """Rows whose unit (reached by ``unit_lookup``) is ``unit`` or below it."""
    unit_id = getattr(unit, "pk", unit)
    q = Q(**{_lookup(unit_lookup, ""): unit_id})
    for depth in range(1, _DEPTH + 1):
        q |= Q(**{_lookup(unit_lookup, "__".join(["parent"] * depth)): unit_id})
    return q


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
    q = scope_q(user, "", action)
    in_memory = _evaluate(q, unit)
    if in_memory is not None:
        return in_memory
    from django.apps import apps

    unit_model = apps.get_model("wards", "AdministrativeUnit")
    return unit_model.objects.filter(q, pk=unit.pk).exists()


def _evaluate(q: Q, unit) -> bool | None:
    """``q`` (a :func:`scope_q` filter on units) decided on ``unit`` without a query, when the
    unit's loaded fields and parents answer it; None when only the database can.

    A unit loaded with ``select_related("parent__parent__parent")`` answers every role's rule,
    so the entry page and the services check the scope once each at no cost (issue 13)."""
    results = []
    for child in q.children:
        if isinstance(child, Q):
            result = _evaluate(child, unit)
        else:
            result = _lookup_matches(unit, *child)
        if result is None:
            return None
        results.append(result)
    combined = any(results) if q.connector == Q.OR else all(results)
    return not combined if q.negated else combined


def _lookup_matches(unit, lookup: str, value) -> bool | None:
    if lookup == "pk__in":
        return unit.pk in value
    if lookup in ("pk", "id"):
        return unit.pk == value
    steps = lookup.split("__")
    if any(step != "parent" for step in steps):
        return None
    node = unit
    for _step in steps[:-1]:
        if node.parent_id is None:
            return False  # SQL: a missing ancestor matches nothing
        parent_field = type(node)._meta.get_field("parent")
        if not parent_field.is_cached(node):
            return None
        node = node.parent
    return node.parent_id == value
