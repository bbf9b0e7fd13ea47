"""The scoping rules at their own layer (issue 14, mutmut survivors of ``wards/scoping.py``):
``on_user_ground`` (the approval levels' check for a unit that ended) and the in-memory scope
check of a unit loaded with its parents (``can_view_unit`` without a query), at each depth."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import OrganizationFactory, UnitFactory, UserFactory
from wards.models import AdministrativeUnit, Organization, UnitChange, User
from wards.scoping import Ground, can_view_unit, ground_of, on_user_ground

pytestmark = pytest.mark.django_db

WITH_PARENTS = "parent__parent__parent"


@pytest.fixture
def tree(province, city, unit_a):
    """country › province › city › ward A (the shared personas' units), and another province's
    city and ward; ward A also has a unit below it, four levels under the country."""
    country = UnitFactory(kind="country", name="Cả nước", slug="ca-nuoc", code="VN")
    AdministrativeUnit.objects.filter(pk=province.pk).update(parent=country)
    other_province = UnitFactory(
        kind="province", name="Tỉnh Khác", slug="tinh-khac", parent=country
    )
    other_city = UnitFactory(kind="city", name="TP. Khác", slug="tp-khac", parent=other_province)
    other_ward = UnitFactory(kind="ward", name="Phường Khác", slug="phuong-khac", parent=other_city)
    # Not a kind the app makes, but a depth the rules must stop at (three levels below a root).
    below_ward = UnitFactory(kind="ward", name="Dưới phường", slug="duoi-phuong", parent=unit_a)
    return {
        "country": country,
        "province": province,
        "city": city,
        "ward": unit_a,
        "other_ward": other_ward,
        "below_ward": below_ward,
    }


def _loaded(unit, depth=WITH_PARENTS):
    return AdministrativeUnit.objects.select_related(depth).get(pk=unit.pk)


def test_on_user_ground_refuses_anyone_who_is_not_an_active_city_role_with_a_unit(
    tree, official_a, inactive_approver, anonymous
):
    ward = tree["ward"]
    # The database refuses an approver without a unit (wards_user_scoped_role_has_unit); the
    # rule refuses one too, as it stands in memory.
    no_unit = User(username="approver-no-unit", role=User.Role.APPROVER, unit=None)
    assert on_user_ground(None, ward) is False
    assert on_user_ground(anonymous, ward) is False
    assert on_user_ground(AnonymousUser(), ward) is False
    assert on_user_ground(inactive_approver, ward) is False
    assert on_user_ground(no_unit, ward) is False
    # An official's own ward is not "ground": only city roles have one.
    assert on_user_ground(official_a, ward) is False


def test_on_user_ground_holds_the_users_unit_and_every_unit_up_to_three_levels_below(
    tree, approver, leader
):
    for user in (approver, leader):
        assert on_user_ground(user, tree["city"]) is True
        assert on_user_ground(user, tree["ward"]) is True
        assert on_user_ground(user, tree["below_ward"]) is True
        assert on_user_ground(user, tree["other_ward"]) is False
        assert on_user_ground(user, tree["province"]) is False
    country_leader = UserFactory(username="leader-vn", role="leader", unit=tree["country"])
    # ward A is three levels below the country: the deepest the rule looks.
    assert on_user_ground(country_leader, _loaded(tree["ward"])) is True
    assert on_user_ground(country_leader, _loaded(tree["other_ward"])) is True
    # four levels below: outside, as descendant_pks (the SQL twin) says.
    assert on_user_ground(country_leader, _loaded(tree["below_ward"])) is False
    assert not AdministrativeUnit.objects.filter(pk=tree["below_ward"].pk).visible_to(
        country_leader
    )


def test_on_user_ground_holds_a_unit_that_the_users_unit_became(tree, leader, unit_b):
    """A unit outside the subtree that a unit of it became (ground's ``extra``)."""
    successor = UnitFactory(kind="ward", name="Phường Mới", slug="phuong-moi")
    change = UnitChange.objects.create(kind="merge", effective_date=datetime.date(2025, 7, 1))
    change.predecessors.add(unit_b)
    change.successors.add(successor)
    assert on_user_ground(leader, successor) is True
    assert on_user_ground(leader, tree["other_ward"]) is False


def test_a_unit_loaded_with_its_parents_is_checked_in_memory_at_every_depth(
    tree, leader, django_assert_num_queries
):
    """``can_view_unit`` on a unit loaded with three levels of parents decides without a query:
    inside (one to three levels below the root) or outside (another province)."""
    country_leader = UserFactory(username="leader-vn", role="leader", unit=tree["country"])
    province_leader = UserFactory(username="leader-p", role="leader", unit=tree["province"])
    cases = [
        (leader, tree["ward"], True),
        (leader, tree["other_ward"], False),
        (province_leader, tree["ward"], True),
        (province_leader, tree["other_ward"], False),
        (country_leader, tree["ward"], True),
        (country_leader, tree["other_ward"], True),
    ]
    for user, unit, expected in cases:
        unit = _loaded(unit)
        # The users' grounds first (one query each), then nothing more.
        on_user_ground(user, unit)
        with django_assert_num_queries(0):
            assert can_view_unit(user, unit) is expected, (user.username, unit.slug)


def test_an_outside_unit_loaded_two_levels_up_is_refused_without_a_query(
    tree, django_assert_num_queries
):
    """Another province's ward, loaded with its city and province only: three levels are
    enough to say it is not below this province (its great-grandparent is not needed)."""
    province_leader = UserFactory(username="leader-p", role="leader", unit=tree["province"])
    unit = _loaded(tree["other_ward"], "parent__parent")
    on_user_ground(province_leader, tree["ward"])  # the ground, once
    with django_assert_num_queries(0):
        assert can_view_unit(province_leader, unit) is False


def _change(predecessors, successors, kind="merge"):
    change = UnitChange.objects.create(kind=kind, effective_date=datetime.date(2025, 7, 1))
    change.predecessors.add(*predecessors)
    change.successors.add(*successors)
    return change


def test_rows_of_a_unit_the_ground_gained_are_visible_through_their_unit(tree, leader, unit_b):
    """``Ground.q`` filters rows by their unit (``unit__in``), not by their own id: an
    organisation of the ward that ward B became is the city leader's to see."""
    successor = UnitFactory(kind="ward", name="Phường Mới", slug="phuong-moi")
    _change([unit_b], [successor])
    gained = OrganizationFactory(unit=successor)
    elsewhere = OrganizationFactory(unit=tree["other_ward"])
    visible = set(Organization.objects.visible_to(leader))
    assert gained in visible
    assert elsewhere not in visible


def test_the_ground_of_a_unit_that_became_another_holds_that_unit(tree, city, leader):
    """A city that itself became a unit elsewhere (not one of its wards): that unit is on the
    ground, as the wards a city's wards became are."""
    successor = UnitFactory(kind="city", name="TP. Mới", slug="tp-moi", parent=tree["country"])
    _change([city], [successor])
    assert ground_of(city).extra == frozenset({successor.pk})
    assert on_user_ground(leader, successor) is True


def test_a_change_inside_the_city_adds_nothing_outside_it(tree, city, unit_a):
    """Ward A split into two wards of the same city: both lie within the city's subtree, so
    the ground has nothing outside it (and the kept aggregates give its figures)."""
    first = UnitFactory(kind="ward", name="Phường 1A", slug="phuong-1a", parent=city)
    second = UnitFactory(kind="ward", name="Phường 1B", slug="phuong-1b", parent=city)
    _change([unit_a], [first, second], kind="split")
    assert ground_of(city) == Ground(roots=frozenset({city.pk}), extra=frozenset())


def test_a_change_that_records_no_predecessor_adds_nothing(tree, city, unit_a):
    """A change with successors only (a unit established): nothing is absorbed or gained, and
    the changes recorded after it still count."""
    _change([], [city])
    assert ground_of(city) == Ground(roots=frozenset({city.pk}), extra=frozenset())
    assert ground_of(tree["province"]).roots == frozenset({tree["province"].pk})
    successor = UnitFactory(kind="ward", name="Phường Sau", slug="phuong-sau")
    _change([unit_a], [successor])
    assert ground_of(city) == Ground(roots=frozenset({city.pk}), extra=frozenset({successor.pk}))


def test_the_ground_follows_absorptions_recorded_oldest_first(tree):
    """Province 1 absorbed province 2, which had absorbed province 3, which had absorbed
    province 4, recorded in that order of time (the oldest change first): the closure keeps
    going until nothing moves, so all three are roots of province 1's ground."""
    country = tree["country"]
    p1, p2, p3, p4 = (
        UnitFactory(kind="province", name=f"Tỉnh {n}", slug=f"tinh-{n}", parent=country)
        for n in (1, 2, 3, 4)
    )
    _change([p4], [p3])
    _change([p3], [p2])
    _change([p2], [p1])
    assert ground_of(p1).roots == frozenset({p1.pk, p2.pk, p3.pk, p4.pk})
    assert ground_of(p3).roots == frozenset({p3.pk, p4.pk})
