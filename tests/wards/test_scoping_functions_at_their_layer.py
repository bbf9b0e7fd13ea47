"""wards.scoping called directly: the lookups it builds, the subtree, the ground through the
changes, the per-user cache, each role's view and edit rule, and the in-memory decision of a
loaded unit (issue 14: mutation survivors of wards/scoping.py killed at the rule's own layer)."""

import datetime

import pytest
from django.db.models import Q

from tests.factories import OrganizationFactory, UnitFactory, UserFactory
from wards.models import AdministrativeUnit, Organization, UnitChange, User
from wards.scoping import (
    _NOTHING,
    Ground,
    _evaluate,
    _in_subtree,
    _lookup,
    _lookup_matches,
    _unit_in_scope,
    _user_ground,
    can_edit_unit,
    can_view_unit,
    descendant_pks,
    ground_of,
    on_user_ground,
    scope_q,
    within_q,
)

pytestmark = pytest.mark.django_db
D = datetime.date
CHAIN = ("parent", "parent__parent", "parent__parent__parent")


@pytest.fixture
def tower():
    """Five units, each the parent of the next: level 0 (top) to level 4."""
    units = [UnitFactory(kind="province", slug="lvl-0")]
    for depth in range(1, 5):
        units.append(UnitFactory(slug=f"lvl-{depth}", parent=units[-1]))
    return units


def loaded(unit):
    return AdministrativeUnit.objects.select_related(*CHAIN).get(pk=unit.pk)


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


# _lookup ----------------------------------------------------------------------------------------


def test_lookup_joins_the_path_to_the_unit_and_the_field():
    assert _lookup("", "") == "pk"
    assert _lookup("", "parent") == "parent"
    assert _lookup("unit", "") == "unit"
    assert _lookup("unit", "parent") == "unit__parent"


# descendant_pks / within_q ----------------------------------------------------------------------


def test_descendant_pks_holds_the_unit_and_three_levels_below_it_not_a_fourth(tower):
    subtree = descendant_pks(tower[0])
    assert sorted(row["pk"] for row in subtree) == sorted(u.pk for u in tower[:4])
    assert subtree.descendants_of == tower[0].pk
    # A pk does as well as the unit.
    assert sorted(row["pk"] for row in descendant_pks(tower[1].pk)) == sorted(
        u.pk for u in tower[1:]
    )
    assert descendant_pks(tower[1].pk).descendants_of == tower[1].pk


def test_within_q_follows_the_lookup_to_the_unit(tower):
    inside = OrganizationFactory(unit=tower[2])
    OrganizationFactory(unit=tower[4])
    assert pks(Organization.objects.filter(within_q(tower[0], "unit"))) == {inside.pk}
    assert pks(AdministrativeUnit.objects.filter(within_q(tower[3], ""))) == {
        tower[3].pk,
        tower[4].pk,
    }


# Ground -----------------------------------------------------------------------------------------


def test_ground_q_is_the_roots_subtrees_and_the_extra_units(tower):
    lone = UnitFactory(kind="province", slug="lone")
    other = UnitFactory(kind="province", slug="other")
    roots_only = Ground(roots=frozenset({tower[3].pk}), extra=frozenset())
    assert pks(AdministrativeUnit.objects.filter(roots_only.unit_q())) == {tower[3].pk, tower[4].pk}
    with_extra = Ground(roots=frozenset({tower[3].pk, other.pk}), extra=frozenset({lone.pk}))
    assert pks(AdministrativeUnit.objects.filter(with_extra.unit_q())) == {
        tower[3].pk,
        tower[4].pk,
        other.pk,
        lone.pk,
    }
    org = OrganizationFactory(unit=lone)
    OrganizationFactory(unit=tower[0])
    assert pks(Organization.objects.filter(with_extra.q("unit"))) == {org.pk}
    assert (
        pks(AdministrativeUnit.objects.filter(Ground(frozenset(), frozenset()).unit_q())) == set()
    )


# ground_of ----------------------------------------------------------------------------------------


def test_ground_of_skips_a_unit_that_continues_itself_and_a_change_without_predecessor():
    province = UnitFactory(kind="province", slug="p")
    ward = UnitFactory(slug="w", parent=province)
    outside = UnitFactory(kind="province", slug="outside")
    new_ward = UnitFactory(slug="w-new", parent=outside)
    split = UnitChange.objects.create(kind="split", effective_date=D(2025, 7, 1))
    split.predecessors.set([ward])
    split.successors.set([ward, new_ward])
    founded = UnitChange.objects.create(kind="merge", effective_date=D(2025, 7, 1))
    founded_ward = UnitFactory(slug="founded", parent=outside)
    founded.successors.set([founded_ward])
    assert ground_of(founded_ward) == Ground(roots=frozenset({founded_ward.pk}), extra=frozenset())
    ground = ground_of(ward)
    assert ground == Ground(roots=frozenset({ward.pk}), extra=frozenset({new_ward.pk}))
    assert ground_of(new_ward.pk) == Ground(
        roots=frozenset({new_ward.pk, ward.pk}), extra=frozenset()
    )


def test_ground_of_closes_over_a_chain_of_changes():
    """A became B, which became C (listed first): the ground of A's city reaches C; C's holds A."""
    city = UnitFactory(kind="city", slug="c")
    a = UnitFactory(slug="a", parent=city)
    elsewhere = UnitFactory(kind="city", slug="e")
    b = UnitFactory(slug="b", parent=elsewhere)
    c = UnitFactory(slug="c2", parent=elsewhere)
    second = UnitChange.objects.create(kind="rename", effective_date=D(2026, 1, 1))
    second.predecessors.set([b])
    second.successors.set([c])
    first = UnitChange.objects.create(kind="rename", effective_date=D(2025, 1, 1))
    first.predecessors.set([a])
    first.successors.set([b])
    assert ground_of(city) == Ground(roots=frozenset({city.pk}), extra=frozenset({b.pk, c.pk}))
    assert ground_of(c).roots == {c.pk, b.pk, a.pk}
    assert ground_of(c).extra == set()


def test_ground_of_adds_no_extra_unit_that_already_lies_under_a_root():
    """A ward renamed inside its own city stays under the city: no extra unit."""
    city = UnitFactory(kind="city", slug="c", parent=UnitFactory(kind="province", slug="p"))
    old = UnitFactory(slug="old", parent=city)
    renamed = UnitFactory(slug="renamed", parent=city)
    change = UnitChange.objects.create(kind="rename", effective_date=D(2025, 7, 1))
    change.predecessors.set([old])
    change.successors.set([renamed])
    assert ground_of(city) == Ground(roots=frozenset({city.pk}), extra=frozenset())


# _user_ground -------------------------------------------------------------------------------------


def test_user_ground_is_read_once_per_user_and_again_when_the_unit_changes(
    approver, city, province, django_assert_num_queries
):
    with django_assert_num_queries(1):
        first = _user_ground(approver)
    with django_assert_num_queries(0):
        assert _user_ground(approver) is first
    assert first.roots == {city.pk}
    approver.unit = province
    with django_assert_num_queries(1):
        assert _user_ground(approver).roots == {province.pk}


def test_in_a_request_that_read_the_figures_version_the_ground_comes_from_the_cache(
    approver, city, rf, django_assert_num_queries
):
    """A page that read the figures version takes the ground from the figures cache: a second
    request (a new user object) reads no ground. Outside a request it is read every time."""
    from wards import figures

    grounds = []

    def view(request):
        figures.current()
        user = User.objects.get(pk=approver.pk)  # each request loads its own user
        with django_assert_num_queries(0 if grounds else 1):
            grounds.append(_user_ground(user))

    figures.RequestVersionMiddleware(view)(rf.get("/"))
    figures.RequestVersionMiddleware(view)(rf.get("/"))
    assert grounds[0] == grounds[1] == Ground(roots=frozenset({city.pk}), extra=frozenset())
    outside = User.objects.get(pk=approver.pk)
    with django_assert_num_queries(1):
        _user_ground(outside)


# on_user_ground -----------------------------------------------------------------------------------


def test_on_user_ground_refuses_everyone_but_an_active_city_role_with_a_unit(
    official_a, no_role_user, inactive_approver, anonymous, admin_user, unit_a, city
):
    approver_without_unit = UserFactory.build(role="approver", unit=None)  # no row may exist
    for user in (
        None,
        anonymous,
        inactive_approver,
        approver_without_unit,
        official_a,
        no_role_user,
        admin_user,
    ):
        assert on_user_ground(user, unit_a) is False, user
        assert on_user_ground(user, city) is False, user


def test_on_user_ground_takes_the_roots_the_extra_units_and_three_levels_below(tower):
    leader = UserFactory(role="leader", unit=tower[0])
    moved = UnitFactory(slug="moved", parent=UnitFactory(kind="province", slug="else"))
    change = UnitChange.objects.create(kind="rename", effective_date=D(2025, 7, 1))
    change.predecessors.set([tower[2]])
    change.successors.set([moved])
    assert on_user_ground(leader, tower[0]) is True
    assert on_user_ground(leader, moved) is True
    assert [on_user_ground(leader, loaded(u)) for u in tower] == [True, True, True, True, False]
    approver = UserFactory(role="approver", unit=tower[1])
    assert [on_user_ground(approver, loaded(u)) for u in tower] == [False, True, True, True, True]
    assert on_user_ground(approver, moved.parent) is False


# scope_q, visible_to, editable_by -----------------------------------------------------------------


def test_scope_q_for_each_role_and_action(
    official_a, approver, leader, admin_user, no_role_user, inactive_approver, anonymous, city
):
    unit_a = official_a.unit
    unit_b = UnitFactory(parent=city)
    elsewhere = UnitFactory(kind="city", parent=city.parent)
    every = {city.pk, unit_a.pk, unit_b.pk, elsewhere.pk, city.parent_id}

    def rows(user, action):
        return pks(AdministrativeUnit.objects.filter(scope_q(user, "", action)))

    assert rows(official_a, "view") == rows(official_a, "edit") == {unit_a.pk}
    assert rows(approver, "view") == {city.pk, unit_a.pk, unit_b.pk}
    assert rows(approver, "edit") == {city.pk}
    assert rows(leader, "view") == {city.pk, unit_a.pk, unit_b.pk}
    assert rows(leader, "edit") == set()
    assert rows(admin_user, "view") == rows(admin_user, "edit") == every
    superuser_official = UserFactory(role="official", unit=unit_a, is_superuser=True)
    assert rows(superuser_official, "edit") == every
    for nobody in (None, anonymous, inactive_approver, no_role_user):
        assert rows(nobody, "view") == rows(nobody, "edit") == set()
        assert scope_q(nobody, "", "view") == _NOTHING
    approver_without_unit = UserFactory.build(role="approver", unit=None)  # no row may exist
    assert scope_q(approver_without_unit, "", "view") == _NOTHING


def test_visible_to_and_editable_by_follow_the_queryset_lookup(approver, leader, city, unit_a):
    own = OrganizationFactory(unit=city)
    below = OrganizationFactory(unit=unit_a)
    assert pks(Organization.objects.visible_to(approver)) == {own.pk, below.pk}
    assert pks(Organization.objects.editable_by(approver)) == {own.pk}
    assert pks(Organization.objects.visible_to(leader)) == {own.pk, below.pk}
    assert pks(Organization.objects.editable_by(leader)) == set()


# can_view_unit / can_edit_unit ---------------------------------------------------------------


def test_can_view_and_edit_no_unit_is_false(admin_user):
    assert can_view_unit(admin_user, None) is False
    assert can_edit_unit(admin_user, None) is False


def test_a_unit_without_its_parents_loaded_is_decided_by_one_query(
    approver, official_a, city, unit_a, django_assert_num_queries
):
    _user_ground(approver)
    unloaded = AdministrativeUnit.objects.get(pk=unit_a.pk)
    grandchild = UnitFactory(slug="grandchild", parent=unit_a)
    grandchild = AdministrativeUnit.objects.get(pk=grandchild.pk)
    with django_assert_num_queries(1):
        assert can_view_unit(approver, grandchild) is True
    with django_assert_num_queries(0):
        assert can_view_unit(approver, unloaded) is True  # its parent is the root
    with django_assert_num_queries(0):
        assert can_edit_unit(approver, unloaded) is False
        assert can_edit_unit(official_a, unloaded) is True
    other = AdministrativeUnit.objects.get(pk=UnitFactory(parent=UnitFactory(slug="x")).pk)
    with django_assert_num_queries(1):
        assert can_view_unit(approver, other) is False


# _evaluate, _lookup_matches, _in_subtree ---------------------------------------------------------


def test_evaluate_combines_and_or_and_not_and_leaves_the_unknown_to_the_database(unit_a, city):
    unit = loaded(unit_a)
    yes, no = Q(pk=unit_a.pk), Q(pk=-1)
    assert _evaluate(yes & no, unit) is False
    assert _evaluate(yes | no, unit) is True
    assert _evaluate(yes & yes, unit) is True
    assert _evaluate(no | no, unit) is False
    assert _evaluate(~yes, unit) is False
    assert _evaluate(~no, unit) is True
    assert _evaluate(~(yes & no), unit) is True
    assert _evaluate(Q(), unit) is True
    assert _evaluate(_NOTHING, unit) is False
    unknown = Q(name="x")
    assert _evaluate(unknown | yes, unit) is None
    assert _evaluate(yes | unknown, unit) is None
    assert _evaluate(Q(yes | unknown), unit) is None
    # Nested: a Q inside a Q is decided in memory too.
    assert _evaluate(Q(yes | no), unit) is True
    assert _evaluate((yes | no) & ~no, unit) is True
    assert _evaluate((no | no) | (yes & no), unit) is False


def test_lookup_matches_decides_ids_parents_and_subtrees(tower):
    unit = loaded(tower[3])
    assert _lookup_matches(unit, "pk__in", [tower[3].pk]) is True
    assert _lookup_matches(unit, "pk__in", (tower[2].pk,)) is False
    assert _lookup_matches(unit, "pk__in", {tower[3].pk}) is True
    assert _lookup_matches(unit, "pk__in", frozenset({tower[3].pk})) is True
    assert _lookup_matches(unit, "pk__in", descendant_pks(tower[0])) is True
    assert _lookup_matches(unit, "pk__in", descendant_pks(tower[4])) is False
    assert _lookup_matches(unit, "pk__in", AdministrativeUnit.objects.values("pk")) is None
    assert _lookup_matches(unit, "pk", tower[3].pk) is True
    assert _lookup_matches(unit, "id", tower[3].pk) is True
    assert _lookup_matches(unit, "pk", tower[2].pk) is False
    assert _lookup_matches(unit, "id", tower[2].pk) is False
    assert _lookup_matches(unit, "parent", tower[2].pk) is True
    assert _lookup_matches(unit, "parent", tower[1].pk) is False
    assert _lookup_matches(unit, "parent__parent", tower[1].pk) is True
    assert _lookup_matches(unit, "parent__parent__parent", tower[0].pk) is True
    assert _lookup_matches(unit, "parent__parent__parent", tower[1].pk) is False
    assert _lookup_matches(unit, "name", unit.name) is None
    assert _lookup_matches(unit, "parent__name", unit.parent.name) is None
    # A missing ancestor matches nothing, as in SQL.
    top = loaded(tower[1])
    assert _lookup_matches(top, "parent__parent__parent", tower[0].pk) is False
    # An ancestor that is not loaded is left to the database.
    bare = AdministrativeUnit.objects.get(pk=tower[3].pk)
    assert _lookup_matches(bare, "parent", tower[2].pk) is True
    assert _lookup_matches(bare, "parent__parent", tower[1].pk) is None


def test_in_subtree_goes_three_levels_up_and_says_when_it_cannot_tell(tower):
    bottom = loaded(tower[4])
    assert _in_subtree(bottom, tower[4].pk) is True
    assert _in_subtree(bottom, tower[3].pk) is True
    assert _in_subtree(bottom, tower[2].pk) is True
    assert _in_subtree(bottom, tower[1].pk) is True
    assert _in_subtree(bottom, tower[0].pk) is False  # four levels up: outside descendant_pks
    assert _in_subtree(bottom, -1) is False
    top = loaded(tower[1])
    assert _in_subtree(top, tower[4].pk) is False  # the ancestors run out
    assert _in_subtree(loaded(tower[0]), tower[1].pk) is False
    bare = AdministrativeUnit.objects.get(pk=tower[4].pk)
    assert _in_subtree(bare, tower[3].pk) is True
    assert _in_subtree(bare, tower[2].pk) is None
    half = AdministrativeUnit.objects.select_related("parent").get(pk=tower[4].pk)
    assert _in_subtree(half, tower[2].pk) is True
    assert _in_subtree(half, tower[1].pk) is None
    # Three parents looked at, the third need not be loaded: the fourth level up is outside.
    two = AdministrativeUnit.objects.select_related("parent__parent").get(pk=tower[4].pk)
    assert _in_subtree(two, tower[0].pk) is False


@pytest.mark.parametrize("action", ["", "EDIT", "XXeditXX", None, "delete"])
def test_an_unknown_action_raises_for_every_user(action, official_a, admin_user, anonymous):
    """Only ``view`` and ``edit`` are rules; anything else is the caller's mistake and raises,
    even for a user who would get nothing (or everything) either way."""
    for user in (official_a, admin_user, anonymous):
        with pytest.raises(ValueError, match="Unknown action"):
            scope_q(user, "unit", action)
    with pytest.raises(ValueError, match="Unknown action"):
        _unit_in_scope(official_a, official_a.unit, action)
