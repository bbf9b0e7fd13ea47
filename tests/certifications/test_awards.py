"""Awards, the once-in-a-lifetime medal, Ngày hội and disqualifying incidents."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns.certifications.models import Award, FestivalDay, Incident, Person
from models_registry.models import ModelSite, PreventionModel
from tests.certifications.factories import decided_dossier

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def person_a(unit_a):
    return Person.objects.create(full_name="Nguyễn Văn A", birth_year=1970, unit=unit_a)


def _award(**overrides):
    data = {
        "form": "commemorative_medal",
        "issuer": "Bộ trưởng Bộ Công an",
        "decision_number": "100/QĐ-BCA",
        "decision_date": "2020-10-01",
        "recipient_type": "person",
        "recipient_person": "",
        "period_start_year": "2020",
        "period_end_year": "2020",
        "occasion": "special",
        "reason": "Đóng góp cho phong trào",
    }
    data.update(overrides)
    return data


def test_approver_records_a_medal_and_a_second_one_for_the_same_person_is_refused(
    login, approver, person_a
):
    client = login(approver)
    url = reverse("certifications:award_create")
    assert client.post(url, _award(recipient_person=person_a.pk)).status_code == 302
    award = Award.objects.get()
    assert award.unit == person_a.unit and award.recipient == person_a
    response = client.post(url, _award(recipient_person=person_a.pk, decision_number="200/QĐ-BCA"))
    assert response.status_code == 200
    assert (
        "Nguyễn Văn A đã được tặng Kỷ niệm chương “Bảo vệ an ninh Tổ quốc”; mỗi người chỉ "
        "được tặng một lần." in response.content.decode()
    )
    assert Award.objects.count() == 1
    # Other forms of award to the same person are fine.
    other = _award(recipient_person=person_a.pk, form="commendation", decision_number="3/QĐ")
    assert client.post(url, other).status_code == 302
    assert Award.objects.count() == 2


def test_the_database_refuses_a_second_medal(person_a, unit_a):
    fields = {
        "form": "commemorative_medal",
        "issuer": "Bộ trưởng Bộ Công an",
        "decision_date": D(2020, 10, 1),
        "recipient_type": "person",
        "recipient_person": person_a,
        "unit": unit_a,
        "period_start_year": 2020,
        "period_end_year": 2020,
        "occasion": "special",
    }
    Award.objects.create(decision_number="1", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(decision_number="2", **fields)
    assert Award.objects.count() == 1


def test_medal_goes_to_a_person_and_recipient_must_match_its_type(login, approver, unit_a):
    response = login(approver).post(
        reverse("certifications:award_create"),
        _award(recipient_type="unit", recipient_unit=unit_a.pk),
    )
    assert "Kỷ niệm chương chỉ tặng cho cá nhân." in response.content.decode()
    response = login(approver).post(
        reverse("certifications:award_create"),
        _award(form="certificate_of_merit", recipient_type="unit"),
    )
    assert "Chọn đối tượng được khen thưởng." in response.content.decode()
    assert not Award.objects.exists()


def test_award_to_a_model_site(login, approver, unit_a):
    model = _prevention_model(unit_a)
    site = ModelSite.objects.create(model=model, unit=unit_a, start_date=D(2016, 3, 1))
    response = login(approver).post(
        reverse("certifications:award_create"),
        _award(
            form="commendation",
            issuer="Chủ tịch UBND TP. Mỹ Tho",
            recipient_type="model_site",
            recipient_model_site=site.pk,
            occasion="festival_day",
        ),
    )
    assert response.status_code == 302
    award = Award.objects.get()
    assert award.recipient == site and award.unit == unit_a
    assert (
        "Camera an ninh"
        in login(approver).get(reverse("certifications:award_list")).content.decode()
    )


def _prevention_model(unit):
    return PreventionModel.objects.create(
        name="Camera an ninh",
        slug="camera-an-ninh-test",
        category="camera",
        lead_organisation="police",
        origin_unit=unit,
        start_date=D(2016, 1, 1),
    )


def test_officials_read_their_units_awards_and_record_none(
    login, official_a, official_b, approver, unit_a, unit_b, person_a
):
    Award.objects.create(
        form="emulation_flag",
        issuer="Chủ tịch UBND tỉnh",
        decision_number="9/QĐ",
        decision_date=D(2019, 12, 26),
        recipient_type="unit",
        recipient_unit=unit_b,
        unit=unit_b,
        period_start_year=2019,
        period_end_year=2019,
        occasion="yearly",
    )
    client = login(official_a)
    assert client.get(reverse("certifications:award_create")).status_code == 403
    assert client.post(reverse("certifications:award_create"), _award()).status_code == 403
    assert client.get(reverse("certifications:person_create")).status_code == 403
    assert "9/QĐ" not in client.get(reverse("certifications:award_list")).content.decode()
    assert "9/QĐ" in login(official_b).get(reverse("certifications:award_list")).content.decode()


def test_official_records_the_units_ngay_hoi_with_showcase_areas(login, official_a, area_a, area_b):
    client = login(official_a)
    url = reverse("certifications:festival_create")
    data = {
        "unit": area_a.unit_id,
        "year": "2020",
        "held_on": "2020-08-19",
        "venue": "Nhà văn hóa",
        "showcase_areas": [area_a.pk],
        "participants": "300",
    }
    assert client.post(url, data).status_code == 302
    festival = FestivalDay.objects.get()
    assert list(festival.showcase_areas.all()) == [area_a]
    # The same unit and year again: refused.
    response = client.post(url, data)
    assert "Đơn vị đã có Ngày hội trong năm này." in response.content.decode()
    # Another unit's residential area is not offered; a date outside the year is refused.
    response = client.post(url, {**data, "year": "2021", "showcase_areas": [area_b.pk]})
    assert "showcase_areas" in response.context["form"].errors
    response = client.post(url, {**data, "year": "2021"})
    assert "Ngày phải thuộc năm đã chọn." in response.content.decode()
    assert FestivalDay.objects.count() == 1
    listing = client.get(reverse("certifications:festival_list")).content.decode()
    assert "Khu phố 1" in listing and "19/08/2020" in listing


def test_incident_flags_the_organisation_at_risk_in_the_list(
    login, official_a, official_b, school_a, enterprise_a
):
    decided_dossier(school_a, year=2020)
    decided_dossier(enterprise_a, year=2020)
    client = login(official_a)
    response = client.post(
        reverse("certifications:incident_create"),
        {
            "organization": school_a.pk,
            "year": "2020",
            "kind": "school_violence",
            "occurred_on": "2020-10-02",
            "description": "Học sinh đánh nhau.",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("certifications:organization_titles") + "?year=2020").content.decode()
    row = page[page.index("Trường THCS Một") :][:600]
    assert "Có nguy cơ" in row
    other_row = page[page.index("Công ty Một") :][:400]
    assert "Có nguy cơ" not in other_row
    only_risk = client.get(
        reverse("certifications:organization_titles") + "?year=2020&at_risk=on"
    ).content.decode()
    assert "Trường THCS Một" in only_risk and "Công ty Một" not in only_risk
    # Another unit cannot record an incident against this organisation.
    response = login(official_b).post(
        reverse("certifications:incident_create"),
        {"organization": school_a.pk, "year": "2020", "kind": "fire_explosion", "description": "x"},
    )
    assert "organization" in response.context["form"].errors
    assert Incident.objects.count() == 1
