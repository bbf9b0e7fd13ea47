import datetime

import pytest
from django.db import IntegrityError, transaction

from tests.factories import OrganizationFactory, ResidentialAreaFactory, UnitFactory
from wards.models import AdministrativeUnit, Organization, UnitChange
from wards.selectors import Succession, predecessors_of, successors_on, units_on

D = datetime.date
pytestmark = pytest.mark.django_db


def _merge(predecessors, successors, day, kind="merge"):
    change = UnitChange.objects.create(kind=kind, effective_date=day, legal_basis="NQ test")
    change.predecessors.set(predecessors)
    change.successors.set(successors)
    return change


def test_unit_valid_on_one_date_and_gone_on_another():
    old = UnitFactory(valid_from=D(2008, 1, 1), valid_to=D(2025, 6, 30))
    new = UnitFactory(valid_from=D(2025, 7, 1))
    assert set(units_on(D(2020, 1, 1))) == {old}
    assert set(units_on(D(2025, 6, 30))) == {old}
    assert set(units_on(D(2025, 7, 1))) == {new}
    assert old.is_valid_on(D(2020, 5, 5)) and not old.is_valid_on(D(2025, 7, 1))


def test_units_on_filters_commune_level_and_within(city, unit_a, unit_b):
    other_city = UnitFactory(kind="city", code="C9", slug="tp-khac")
    UnitFactory(parent=other_city)
    day = D(2020, 1, 1)
    assert set(units_on(day, commune_level=True, within=city)) == {unit_a, unit_b}


def test_merge_is_followed_to_the_successor():
    p1, p2, tan_long = (UnitFactory(valid_to=D(2025, 6, 30)) for _ in range(3))
    my_tho = UnitFactory(valid_from=D(2025, 7, 1))
    _merge([p1, p2, tan_long], [my_tho], D(2025, 7, 1))
    assert successors_on(p1, D(2025, 8, 1)) == [my_tho]
    # Before the change the unit is still itself.
    assert successors_on(p1, D(2020, 1, 1)) == [p1]
    assert set(predecessors_of(my_tho)) == {p1, p2, tan_long}


def test_chain_of_changes_is_followed_through():
    a = UnitFactory(name="A", valid_to=D(2019, 12, 31))
    b = UnitFactory(name="B", valid_from=D(2020, 1, 1), valid_to=D(2025, 6, 30))
    c = UnitFactory(name="C", valid_from=D(2025, 7, 1))
    _merge([a], [b], D(2020, 1, 1), kind="rename")
    _merge([b], [c], D(2025, 7, 1))
    assert successors_on(a, D(2021, 1, 1)) == [b]
    assert successors_on(a, D(2026, 1, 1)) == [c]


def test_split_gives_every_successor_and_absorbing_unit_continues():
    whole = UnitFactory(name="Whole", valid_to=D(2019, 12, 31))
    east = UnitFactory(name="East", valid_from=D(2020, 1, 1))
    west = UnitFactory(name="West", valid_from=D(2020, 1, 1))
    _merge([whole], [east, west], D(2020, 1, 1), kind="split")
    assert successors_on(whole, D(2021, 1, 1)) == [east, west]
    # East absorbs a neighbour in 2023 and goes on existing under its own name.
    neighbour = UnitFactory(name="Neighbour", valid_to=D(2022, 12, 31))
    _merge([east, neighbour], [east], D(2023, 1, 1))
    assert successors_on(neighbour, D(2024, 1, 1)) == [east]
    assert successors_on(whole, D(2024, 1, 1)) == [east, west]


def test_succession_loads_in_constant_queries(django_assert_max_num_queries):
    units = [UnitFactory(valid_to=D(2025, 6, 30)) for _ in range(6)]
    new = UnitFactory(valid_from=D(2025, 7, 1))
    _merge(units[:3], [new], D(2025, 7, 1))
    _merge(units[3:], [new], D(2025, 7, 1))
    with django_assert_max_num_queries(3):
        mapping = Succession.on(D(2026, 1, 1)).mapping([u.pk for u in units])
    assert all(v == {new.pk} for v in mapping.values())


def test_unit_constraints_reject_bad_rows():
    unit = UnitFactory(code="X1")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(code="X1")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(valid_from=D(2020, 1, 1), valid_to=D(2019, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrativeUnit.objects.filter(pk=unit.pk).update(kind="planet")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdministrativeUnit.objects.filter(pk=unit.pk).update(parent=unit)


def test_organization_school_level_only_for_schools():
    OrganizationFactory(kind="school", school_level="primary")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(kind="school", school_level="")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(kind="agency", school_level="primary")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(kind="agency", enterprise_size="small")
    assert Organization.objects.count() == 1


def test_residential_area_name_unique_within_unit():
    area = ResidentialAreaFactory(name="Khu phố 1")
    ResidentialAreaFactory(name="Khu phố 1")  # another unit: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentialAreaFactory(unit=area.unit, name="Khu phố 1")
