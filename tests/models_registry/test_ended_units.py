"""Issue 9 items 3 and 4 in the registry: no site or grade for an ended unit; sites of merged
units carried over to the successor ward. The clock is frozen on 2 December 2026."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from models_registry import services
from models_registry.models import ModelSite, SiteEvaluation
from tests.models_registry.factories import ModelSiteFactory, PreventionModelFactory
from wards import demo as wards_demo
from wards.models import UnitChange, User

pytestmark = pytest.mark.django_db
D = datetime.date
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=HCM), tick=False):
        yield


@pytest.fixture
def units(db):
    units, _accounts = wards_demo.load()
    return units


@pytest.fixture
def model(units):
    return PreventionModelFactory(
        name="Camera thử",
        slug="camera-thu",
        origin_unit=units["phuong-1"],
        start_date=D(2016, 1, 1),
    )


def _user(name: str) -> User:
    return User.objects.get(username=name)


SITE_POST = {
    "start_date": "2026-03-01",
    "households": 40,
    "members": 8,
    "teams": 1,
    "cameras": 4,
    "funding_state": "0",
    "funding_socialized": "2.000.000",
}


def test_official_of_an_ended_unit_cannot_register_a_site(units, model, login):
    client = login(_user("phuong-1"))
    detail = client.get(reverse("models_registry:model_detail", args=[model.slug]))
    assert detail.context["can_add_own_site"] is False
    url = reverse("models_registry:site_create", args=[model.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {**SITE_POST, "start_date": "2024-03-01"}).status_code == 403
    assert not ModelSite.objects.exists()


def test_official_of_an_ended_unit_cannot_grade_its_old_site(units, model, login):
    site = ModelSiteFactory(model=model, unit=units["phuong-1"], start_date=D(2016, 6, 1))
    client = login(_user("phuong-1"))
    page = client.get(reverse("models_registry:site_detail", args=[site.pk]))
    assert page.context["can_propose"] is False
    url = reverse("models_registry:evaluation_propose", args=[site.pk])
    response = client.post(url, {"year": 2024, "grade": "good"})
    assert response.status_code == 403
    assert not SiteEvaluation.objects.exists()


def test_official_of_phuong_my_tho_registers_a_site(units, model, login):
    client = login(_user("phuong-my-tho"))
    detail = client.get(reverse("models_registry:model_detail", args=[model.slug]))
    assert detail.context["can_add_own_site"] is True
    response = client.post(reverse("models_registry:site_create", args=[model.slug]), SITE_POST)
    site = ModelSite.objects.get()
    assert response.status_code == 302 and response.url == site.get_absolute_url()
    assert site.unit == units["phuong-my-tho"] and site.start_date == D(2026, 3, 1)


def test_the_approver_is_offered_only_todays_wards(units, model, login):
    client = login(_user("admin"))
    url = reverse("models_registry:site_create", args=[model.slug])
    offered = {u.slug for u in client.get(url).context["form"].fields["unit"].queryset}
    assert offered == {slug for slug, *_ in wards_demo.NEW_WARDS}
    response = client.post(url, {**SITE_POST, "unit": units["phuong-1"].pk})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not ModelSite.objects.exists()
    register = client.get(reverse("models_registry:model_register")).context["form"]
    assert "phuong-1" not in {u.slug for u in register.fields["origin_unit"].queryset}


def test_registry_filter_offers_the_units_of_the_chosen_year(units, model, login):
    client = login(_user("leader"))
    for year, expected in ((2026, 5), (2024, 14), (2020, 17)):
        page = client.get(reverse("models_registry:registry") + f"?year={year}")
        assert page.context["form"].fields["unit"].queryset.count() == expected, year


def test_sites_of_merged_units_are_carried_over_to_the_successor_ward(units, model):
    approver = _user("approver")
    one = ModelSiteFactory(model=model, unit=units["phuong-1"], households=100, cameras=10)
    two = ModelSiteFactory(model=model, unit=units["phuong-2"], households=50, cameras=5)
    ModelSiteFactory(
        model=model,
        unit=units["tan-long"],
        status="retired",
        retired_on=D(2019, 1, 1),
        households=999,
    )
    change = UnitChange.objects.get(successors=units["phuong-my-tho"])
    [carried] = services.carry_over_sites(user=approver, change=change)
    assert carried.unit == units["phuong-my-tho"] and carried.start_date == D(2025, 7, 1)
    assert (carried.households, carried.cameras) == (150, 15)
    assert "Phường 1 (2016), Phường 2 (2016)" in carried.note
    for old in (one, two):
        old.refresh_from_db()
        assert (old.status, old.retired_on) == ("retired", D(2025, 7, 1))
        assert "Phường Mỹ Tho" in old.retire_reason
    # Running it again finds nothing left to carry; a province merger carries nothing.
    assert services.carry_over_sites(user=approver, change=change) == []
    province = UnitChange.objects.get(successors=units["dong-thap"])
    assert services.carry_over_sites(user=approver, change=province) == []
    assert ModelSite.objects.filter(unit=units["phuong-my-tho"]).count() == 1


def test_only_the_approver_carries_sites_over(units, model):
    change = UnitChange.objects.get(successors=units["phuong-my-tho"])
    with pytest.raises(services.PermissionDenied):
        services.carry_over_sites(user=_user("phuong-my-tho"), change=change)
