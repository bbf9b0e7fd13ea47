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

"Below" follows the recorded reorganisations (:func:`ground_of`): a city that ended keeps
its ground in the units it became (TP. Mỹ Tho → its five wards of 2025), and a province that
absorbed another holds the absorbed one's units too. So a leader or approver whose unit ended
keeps seeing the same ground, and nothing is kept in a hand-made list.
"""

from dataclasses import dataclass
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
    subquery = first.union(*rest, all=True)
    # What the subquery means, for deciding a loaded unit in memory (_evaluate) without it.
    subquery.descendants_of = unit_id
    return subquery


def within_q(unit, unit_lookup: str) -> Q:
    """Rows whose unit (reached by ``unit_lookup``) is ``unit`` or below it."""
    return Q(**{f"{_lookup(unit_lookup, '')}__in": descendant_pks(unit)})


@dataclass(frozen=True)
class Ground:
    """The ground of a unit over time: whole subtrees (``roots``) and single units (``extra``).

    ``roots`` are the unit and every unit it absorbed (backwards through the changes, e.g.
    Tiền Giang for Đồng Tháp); ``extra`` are the units that units of those subtrees became
    and that lie outside them (the five wards of 2025 for TP. Mỹ Tho).
    """

    roots: frozenset[int]
    extra: frozenset[int]

    def q(self, unit_lookup: str) -> Q:
        """Rows whose unit (reached by ``unit_lookup``) lies on this ground."""
        q = Q(pk__in=[]) if not self.extra else Q(**{f"{_lookup(unit_lookup, '')}__in": self.extra})
        for root in sorted(self.roots):
            q |= within_q(root, unit_lookup)
        return q

    def unit_q(self) -> Q:
        return self.q("")


def ground_of(unit) -> Ground:
    """The ground of ``unit`` through every recorded change: one query.

    Reads each (successor, predecessor) pair of the changes with both units' ancestors, then
    closes backwards (what the unit absorbed becomes a root) and forwards (what units of the
    ground became is added) until nothing moves.
    """
    from django.apps import apps

    unit_id = getattr(unit, "pk", unit)
    change_model = apps.get_model("wards", "UnitChange")
    chain = ["parent", "parent__parent", "parent__parent__parent"]
    rows = change_model.successors.through.objects.values_list(
        "administrativeunit_id",
        *[f"administrativeunit__{p}" for p in chain],
        "unitchange__predecessors",
        *[f"unitchange__predecessors__{p}" for p in chain],
    )
    edges = []
    for row in rows:
        successor, s_up, predecessor, p_up = row[0], row[1:4], row[4], row[5:8]
        if predecessor is None or predecessor == successor:
            continue
        edges.append((successor, set(filter(None, s_up)), predecessor, set(filter(None, p_up))))
    roots, extra = {unit_id}, set()

    def on_ground(node: int, ancestors: set[int]) -> bool:
        return node in roots or node in extra or bool(ancestors & roots)

    moved = True
    while moved:
        moved = False
        for successor, s_up, predecessor, p_up in edges:
            if successor in roots and predecessor not in roots:
                roots.add(predecessor)
                moved = True
            if on_ground(predecessor, p_up) and not on_ground(successor, s_up):
                extra.add(successor)
                moved = True
    return Ground(roots=frozenset(roots), extra=frozenset(extra - roots))


def _user_ground(user) -> Ground:
    """The ground of the user's unit, computed once per user object (once per request).

    On a page that has read the figures version (the dashboard, the review, the API), it comes
    from the figures cache: every change of the units or their reorganisations bumps that
    version (``wards.admin``), so a cached ground is never stale."""
    cached = user.__dict__.get("_scope_ground")
    if cached is None or cached[0] != user.unit_id:
        from wards import figures

        unit_id = user.unit_id
        version = figures.version_read()
        if version is None:
            ground = ground_of(unit_id)
        else:
            ground = figures.cached(
                "ground", (unit_id,), lambda: ground_of(unit_id), version=version
            )
        cached = (unit_id, ground)
        user.__dict__["_scope_ground"] = cached
    return cached[1]


def on_user_ground(user, unit) -> bool:
    """Whether ``unit`` lies on the ground an approver or leader sees, without a query when
    the unit's ancestors are loaded (``select_related``); the ground itself is cached."""
    if user is None or not user.is_authenticated or not user.is_active or not user.unit_id:
        return False
    if not user.is_city_role:
        return False
    ground = _user_ground(user)
    if unit.pk in ground.extra or unit.pk in ground.roots:
        return True
    current, depth = unit, 0
    while depth < _DEPTH and current.parent_id is not None:
        if current.parent_id in ground.roots:
            return True
        current, depth = current.parent, depth + 1
    return False


def scope_q(user, unit_lookup: str, action: Action) -> Q:
    """Filter for the rows ``user`` may ``view`` or ``edit``; ``unit_lookup`` leads to the unit.

    Any other action is a mistake in the caller, not a third rule: it raises."""
    if action not in ("view", "edit"):
        raise ValueError(f"Unknown action {action!r}: a scope is to view or to edit.")
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOTHING
    if user.is_admin_role:
        return Q()
    if not user.unit_id:
        return _NOTHING
    own_unit = Q(**{_lookup(unit_lookup, ""): user.unit_id})
    if user.is_official:
        return own_unit
    if user.is_approver:
        return _user_ground(user).q(unit_lookup) if action == "view" else own_unit
    if user.is_leader:
        return _user_ground(user).q(unit_lookup) if action == "view" else _NOTHING
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
        # A list of ids decides here, and so does a subtree (descendant_pks) when the unit's
        # parents are loaded; any other subquery is left to the database.
        if isinstance(value, list | tuple | set | frozenset):
            return unit.pk in value
        root = getattr(value, "descendants_of", None)
        return None if root is None else _in_subtree(unit, root)
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


def _in_subtree(unit, root: int) -> bool | None:
    """Whether ``unit`` is ``root`` or up to three levels below it, as :func:`descendant_pks`
    says; None when a parent that would decide it is not loaded."""
    if unit.pk == root:
        return True
    node = unit
    for depth in range(_DEPTH):
        if node.parent_id is None:
            return False  # SQL: a missing ancestor matches nothing
        if node.parent_id == root:
            return True
        if depth == _DEPTH - 1:
            break
        if not type(node)._meta.get_field("parent").is_cached(node):
            return None
        node = node.parent
    return False
