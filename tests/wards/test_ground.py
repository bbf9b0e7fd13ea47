"""The ground of a unit follows the recorded changes: a city that ended keeps its wards'
successors, a province that absorbed another holds its units, officials keep their own unit."""

import datetime

import pytest

from tests.factories import UnitFactory, UserFactory
from wards.models import AdministrativeUnit, ReportingArea, UnitChange
from wards.scoping import can_edit_unit, can_view_unit, ground_of

pytestmark = pytest.mark.django_db
D = datetime.date
MERGER = D(2025, 7, 1)


@pytest.fixture
def world():
    """Old province › city › wards A, B (until 30/6/2025) → new province › ward AB."""
    old_province = UnitFactory(kind="province", slug="old-p", valid_to=D(2025, 6, 30))
    new_province = UnitFactory(kind="province", slug="new-p", valid_from=MERGER)
    other_province = UnitFactory(kind="province", slug="other-p")
    city = UnitFactory(kind="city", slug="city", parent=old_province, valid_to=D(2025, 6, 30))
    a = UnitFactory(slug="a", parent=city, valid_to=D(2025, 6, 30))
    b = UnitFactory(slug="b", parent=city, valid_to=D(2025, 6, 30))
    ab = UnitFactory(slug="ab", parent=new_province, valid_from=MERGER)
    UnitFactory(slug="elsewhere", parent=new_province, valid_from=MERGER)
    far = UnitFactory(slug="far", parent=other_province)
    wards = UnitChange.objects.create(kind="merge", effective_date=MERGER)
    wards.predecessors.set([a, b])
    wards.successors.set([ab])
    provinces = UnitChange.objects.create(kind="merge", effective_date=MERGER)
    provinces.predecessors.set([old_province])
    provinces.successors.set([new_province])
    return {u.slug: u for u in AdministrativeUnit.objects.all()} | {"_far": far}


def test_an_ended_city_keeps_the_ground_its_wards_became(world):
    ground = ground_of(world["city"])
    assert ground.roots == {world["city"].pk}
    assert ground.extra == {world["ab"].pk}
    leader = UserFactory(role="leader", unit=world["city"])
    visible = set(AdministrativeUnit.objects.visible_to(leader).values_list("slug", flat=True))
    assert visible == {"city", "a", "b", "ab"}
    assert not can_view_unit(leader, world["elsewhere"])


def test_a_province_that_absorbed_another_holds_its_units(world):
    ground = ground_of(world["new-p"])
    assert ground.roots == {world["new-p"].pk, world["old-p"].pk}
    approver = UserFactory(role="approver", unit=world["new-p"])
    visible = set(AdministrativeUnit.objects.visible_to(approver).values_list("slug", flat=True))
    assert visible == {"new-p", "old-p", "city", "a", "b", "ab", "elsewhere"}
    assert not can_view_unit(approver, world["far"])
    # Seeing is not editing: an approver edits its own unit's report only.
    assert can_edit_unit(approver, world["new-p"]) and not can_edit_unit(approver, world["ab"])


def test_officials_keep_their_own_unit_only(world):
    new_official = UserFactory(role="official", unit=world["ab"])
    old_official = UserFactory(role="official", unit=world["a"])
    assert set(AdministrativeUnit.objects.visible_to(new_official)) == {world["ab"]}
    assert set(AdministrativeUnit.objects.visible_to(old_official)) == {world["a"]}
    assert not can_view_unit(new_official, world["a"])
    assert not can_view_unit(old_official, world["ab"])


def test_a_reporting_area_follows_the_changes_without_a_list(world):
    area = ReportingArea.objects.create(name="Khu vực thành phố", slug="kv", root=world["city"])
    assert {u.slug for u in area.members_on(D(2020, 12, 31))} == {"a", "b"}
    assert {u.slug for u in area.members_on(D(2026, 12, 2))} == {"ab"}
    # A change recorded later is followed at once: no list to keep.
    split = UnitChange.objects.create(kind="split", effective_date=D(2026, 1, 1))
    ab2 = UnitFactory(slug="ab-2", parent=world["new-p"], valid_from=D(2026, 1, 1))
    split.predecessors.set([world["ab"]])
    split.successors.set([world["ab"], ab2])
    assert {u.slug for u in area.members_on(D(2026, 12, 2))} == {"ab", "ab-2"}


def test_the_ground_is_read_in_one_query(world, django_assert_num_queries):
    # The successors of every change with both sides' ancestors, in one join.
    with django_assert_num_queries(1):
        ground_of(world["new-p"])
