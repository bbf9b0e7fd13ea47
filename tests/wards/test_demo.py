import datetime

import pytest
from django.core.management import call_command

from wards.models import AdministrativeUnit, ResidentialArea, UnitChange, User
from wards.selectors import successors_on, units_on

pytestmark = pytest.mark.django_db
D = datetime.date


def test_demo_loader_builds_mytho_and_is_idempotent():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    city = AdministrativeUnit.objects.get(slug="tp-my-tho")
    in_2020 = units_on(D(2020, 12, 31), commune_level=True, within=city)
    assert in_2020.count() == 17
    assert in_2020.filter(kind="ward").count() == 11
    assert in_2020.filter(kind="commune").count() == 6
    # By 2025, Phường 3, 7, 8 had gone: 8 wards and 6 communes.
    assert units_on(D(2025, 3, 1), commune_level=True, within=city).count() == 14
    assert UnitChange.objects.filter(effective_date=D(2025, 7, 1)).count() == 6
    assert ResidentialArea.objects.filter(unit__parent=city).count() >= 17 * 3
    # One official per unit of 2015–2020 and per ward of today, named by its slug.
    assert User.objects.filter(role="official").count() == 17 + 5
    assert User.objects.get(username="phuong-my-tho").unit.slug == "phuong-my-tho"
    assert set(User.objects.exclude(role="official").values_list("username", flat=True)) == {
        "admin",
        "leader",
        "leader-tinh",
        "approver",
        "approver-tp",
    }
    assert User.objects.get(username="approver").unit.slug == "dong-thap"
    assert not User.objects.get(username="approver-tp").is_active


def test_demo_reorganisation_rolls_old_units_into_five_wards():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    unit = AdministrativeUnit.objects.get
    after = D(2025, 7, 1)
    assert [u.slug for u in successors_on(unit(slug="tan-long"), after)] == ["phuong-my-tho"]
    assert [u.slug for u in successors_on(unit(slug="thoi-son"), after)] == ["phuong-thoi-son"]
    assert units_on(after, commune_level=True).filter(parent__slug="dong-thap").count() == 5
    inferred = UnitChange.objects.get(successors__slug="phuong-dao-thanh")
    assert inferred.note.startswith("[I]")
    assert UnitChange.objects.get(successors__slug="phuong-my-tho").note.startswith("[V]")
