"""Issue 9 item 3: titles pages offer only the units of the chosen year and no new work for a
unit that has ended. The clock is frozen on 2 December 2026 (Asia/Ho_Chi_Minh)."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.certifications import services
from campaigns.certifications.models import Award, Dossier, FestivalDay, MovementClassification
from wards import demo as wards_demo
from wards.models import User

pytestmark = pytest.mark.django_db
D = datetime.date
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.datetime(2026, 12, 2, 10, 0, tzinfo=HCM)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def units(db):
    units, _accounts = wards_demo.load()
    return units


def _user(name: str) -> User:
    return User.objects.get(username=name)


def _create_url(holder_slug: str, pk: int, year: int) -> str:
    return (
        reverse("certifications:dossier_create", args=[holder_slug, pk]) + f"?year={year}"
        "&kind=antt_safe"
    )


def test_official_of_an_ended_unit_is_offered_nothing_new(units, login):
    client = login(_user("phuong-1"))
    page = client.get(reverse("certifications:prepare"))
    assert page.status_code == 200
    body = page.content.decode()
    assert page.context["years"] == []
    assert page.context["rows"] == []
    assert "Phường Mỹ Tho" in body  # the successor that takes the work
    assert reverse("certifications:dossier_create", args=["don-vi", units["phuong-1"].pk]) not in (
        body
    )
    # Nor for a year when the unit still existed.
    page = client.get(reverse("certifications:prepare") + "?year=2024")
    assert page.context["rows"] == []
    sheets = client.get(reverse("certifications:classification_list") + "?year=2024")
    assert sheets.context["preparable"] == []


def test_a_post_for_a_dossier_of_an_ended_unit_is_refused(units, login):
    client = login(_user("phuong-1"))
    unit = units["phuong-1"]
    area = unit.residential_areas.first()
    for slug, pk in (("don-vi", unit.pk), ("khu-dan-cu", area.pk)):
        response = client.post(
            _create_url(slug, pk, 2024),
            {"kind": "antt_safe", "year": 2024, "registered_on": "2024-01-15", "note": ""},
        )
        assert response.status_code == 302
        assert response.url == reverse("certifications:prepare")
    assert not Dossier.objects.exists()
    followed = client.get(reverse("certifications:prepare"))
    assert "Phường 1 đã kết thúc" in followed.content.decode()


def test_the_service_refuses_new_work_for_an_ended_unit_even_to_an_administrator(units):
    admin = _user("admin")
    with pytest.raises(ValidationError) as refused:
        services.dossier_create(
            user=admin,
            holder=units["phuong-1"],
            kind="antt_safe",
            year=2024,
            registered_on=D(2024, 1, 15),
        )
    assert refused.value.error_dict["year"][0].code == "unit_closed"
    with pytest.raises(ValidationError):
        services.classification_create(user=admin, holder=units["phuong-3"], year=2024)
    assert not Dossier.objects.exists() and not MovementClassification.objects.exists()


def test_a_post_for_a_scoring_sheet_of_an_ended_unit_is_refused(units, login):
    client = login(_user("phuong-1"))
    url = reverse("certifications:classification_create", args=["don-vi", units["phuong-1"].pk])
    response = client.post(url, {"year": 2024})
    assert response.status_code == 302
    assert not MovementClassification.objects.exists()


def test_official_of_phuong_my_tho_prepares_a_2026_dossier(units, login):
    client = login(_user("phuong-my-tho"))
    ward = units["phuong-my-tho"]
    board = client.get(reverse("certifications:prepare"))
    assert board.context["year"] == 2026
    assert board.context["years"] == [2026, 2025]
    holders = {row.holder.name for _slug, row in board.context["rows"]}
    assert "Phường Mỹ Tho" in holders and "Khu phố 15" in holders
    assert "Trường THPT Nguyễn Đình Chiểu" in holders  # carried over from Phường 1
    assert not any(row.holder.unit_id != ward.pk for _slug, row in board.context["rows"][1:])
    url = _create_url("don-vi", ward.pk, 2026)
    assert url.split("?")[0] in board.content.decode()
    response = client.post(
        url, {"kind": "antt_safe", "year": 2026, "registered_on": "2026-01-15", "note": ""}
    )
    dossier = Dossier.objects.get(holder_unit=ward, year=2026)
    assert response.status_code == 302
    assert response.url == reverse("certifications:dossier_assess", args=[dossier.pk])
    assert dossier.rule_set.code == "tt-124-2021-antt"


def test_a_new_ward_cannot_open_a_dossier_for_a_year_before_it_existed(units, login):
    client = login(_user("phuong-my-tho"))
    ward = units["phuong-my-tho"]
    response = client.post(
        _create_url("don-vi", ward.pk, 2024),
        {"kind": "antt_safe", "year": 2024, "registered_on": "2024-01-15", "note": ""},
    )
    assert response.status_code == 200
    assert "Phường Mỹ Tho không tồn tại trong năm này." in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_open_year_comes_from_the_calendar(units, login):
    with time_machine.travel(datetime.datetime(2027, 1, 5, 8, 0, tzinfo=HCM), tick=False):
        board = login(_user("phuong-my-tho")).get(reverse("certifications:prepare"))
    assert board.context["year"] == 2027
    assert board.context["years"][0] == 2027


def test_filters_offer_the_units_of_the_chosen_year(units, login):
    client = login(_user("admin"))
    dossiers = client.get(reverse("certifications:dossier_list") + "?year=2026")
    offered = {u.slug for u in dossiers.context["form"].fields["unit"].queryset}
    assert offered == {slug for slug, *_ in wards_demo.NEW_WARDS}
    titles = client.get(reverse("certifications:organization_titles") + "?year=2024")
    offered = {u.slug for u in titles.context["form"].fields["unit"].queryset}
    assert len(offered) == 14 and "phuong-3" not in offered and "phuong-1" in offered


def test_festival_and_award_forms_offer_no_ended_unit(units, login):
    client = login(_user("phuong-1"))
    form = client.get(reverse("certifications:festival_create")).context["form"]
    assert list(form.fields["unit"].queryset) == []
    response = client.post(
        reverse("certifications:festival_create"),
        {"unit": units["phuong-1"].pk, "year": 2024, "held_on": "2024-08-19"},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not FestivalDay.objects.exists()

    client = login(_user("admin"))
    form = client.get(reverse("certifications:award_create")).context["form"]
    offered = {u.slug for u in form.fields["recipient_unit"].queryset}
    assert "phuong-my-tho" in offered and "phuong-1" not in offered
    response = client.post(
        reverse("certifications:award_create"),
        {
            "form": "commendation",
            "issuer": "Chủ tịch UBND tỉnh",
            "decision_number": "1/QĐ",
            "decision_date": "2026-08-19",
            "recipient_type": "unit",
            "recipient_unit": units["phuong-1"].pk,
            "period_start_year": 2026,
            "period_end_year": 2026,
            "occasion": "yearly",
        },
    )
    assert response.status_code == 200 and "recipient_unit" in response.context["form"].errors
    assert not Award.objects.exists()
