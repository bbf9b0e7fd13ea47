"""The kept title counts follow every decision, edit and deletion of a dossier, and the
dashboard reads them instead of counting dossiers."""

import datetime
from collections import Counter

import pytest
from django.contrib import admin
from django.test import RequestFactory

from campaigns.certifications import counts, services
from campaigns.certifications.models import Dossier, Result, TitleCount
from campaigns.certifications.selectors import certified_counts, kept_title_counts

ANTT = "antt_safe"
AREA = "residential_area"
D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(official_a, area_a):
    dossier = services.dossier_create(
        user=official_a, holder=area_a, kind=ANTT, year=2021, registered_on=D(2021, 2, 15)
    )
    dossier.assessments.filter(criterion__kind="yes_no").update(met=True, evidence="Biên bản")
    return services.dossier_submit(dossier=dossier, user=official_a)


def _decide(dossier, approver, result="met"):
    return services.dossier_decide(
        dossier=dossier,
        user=approver,
        result=result,
        decision_number="45/QĐ-UBND",
        decision_date=D(2021, 11, 20),
        issuing_body="Ủy ban nhân dân Phường 1",
        certificate_number="12/GCN" if result == "met" else "",
    )


def _held(area):
    row = TitleCount.objects.filter(area=area, year=2021, kind=ANTT, holder_type=AREA).first()
    return row.holders if row else 0


def test_a_met_decision_counts_the_area_in_its_ward_and_every_area_above(
    submitted, approver, unit_a, city
):
    assert (_held(unit_a), _held(city), _held(city.parent)) == (0, 0, 0)
    _decide(submitted, approver)
    assert (_held(unit_a), _held(city), _held(city.parent)) == (1, 1, 1)
    assert counts.compute_all() == counts.stored_all()


def test_a_not_met_decision_counts_nothing(submitted, approver, unit_a, city):
    _decide(submitted, approver, result="not_met")
    assert TitleCount.objects.filter(holders__gt=0).count() == 0
    assert counts.compute_all() == counts.stored_all() == {}


def test_an_admin_edit_or_deletion_takes_the_title_away(
    submitted, approver, admin_user, unit_a, city
):
    dossier = _decide(submitted, approver)
    model_admin = admin.site._registry[Dossier]
    request = RequestFactory().post("/")
    request.user = admin_user
    dossier.result = Result.NOT_MET
    model_admin.save_model(request, dossier, form=None, change=True)
    assert (_held(unit_a), _held(city)) == (0, 0)
    dossier.result = Result.MET
    model_admin.save_model(request, dossier, form=None, change=True)
    assert (_held(unit_a), _held(city)) == (1, 1)
    model_admin.delete_model(request, dossier)
    assert (_held(unit_a), _held(city)) == (0, 0)
    assert counts.compute_all() == counts.stored_all() == {}


def test_a_ward_gone_before_the_years_end_counts_only_in_its_own_row(
    submitted, approver, unit_a, city
):
    """The dashboard counts the wards that existed on 31/12: one merged away in mid-year does not
    count in the city's figure, only in its own."""
    dossier = _decide(submitted, approver)
    unit_a.valid_to = D(2021, 6, 30)
    unit_a.save()
    dossier.refresh_from_db()
    assert counts.keys_of_dossier(dossier) == Counter({(unit_a.pk, 2021, ANTT, AREA): 1})
    unit_a.valid_to = D(2021, 12, 31)
    unit_a.save()
    assert counts.keys_of_dossier(dossier) == Counter(
        {
            (unit_a.pk, 2021, ANTT, AREA): 1,
            (city.pk, 2021, ANTT, AREA): 1,
            (city.parent_id, 2021, ANTT, AREA): 1,
        }
    )


def test_kept_counts_equal_the_dossiers_counted(submitted, approver, unit_a, unit_b, city):
    _decide(submitted, approver)
    counted = certified_counts(year=2021, unit_ids=[unit_a.pk, unit_b.pk, city.pk])
    assert kept_title_counts(area_id=city.pk, years=[2020, 2021]) == {2020: {}, 2021: counted}
    assert counted == {(ANTT, AREA): 1}


def test_rebuild_replaces_the_counts_with_a_recomputation(submitted, approver, city):
    _decide(submitted, approver)
    TitleCount.objects.update(holders=7)
    assert counts.compute_all() != counts.stored_all()
    assert counts.rebuild() == 3  # the ward, the city and the province
    assert counts.compute_all() == counts.stored_all()


def test_counts_add_up_the_titles_of_several_wards(submitted, approver, official_b, area_b, city):
    """compute_all sums holders per area: two wards' areas make 2 in the city (mutmut: += → =)."""
    _decide(submitted, approver)
    other = services.dossier_create(
        user=official_b, holder=area_b, kind=ANTT, year=2021, registered_on=D(2021, 2, 15)
    )
    other.assessments.filter(criterion__kind="yes_no").update(met=True, evidence="Biên bản")
    _decide(services.dossier_submit(dossier=other, user=official_b), approver)
    assert counts.compute_all()[(city.pk, 2021, ANTT, AREA)] == 2
    assert counts.compute_all() == counts.stored_all()


def test_a_ward_that_starts_on_the_years_last_day_counts_in_the_areas_above(
    submitted, approver, unit_a, city
):
    """The boundary of "existed on 31/12": a unit valid from that very day counts (mutmut: <=)."""
    dossier = _decide(submitted, approver)
    unit_a.valid_from = D(2021, 12, 31)
    unit_a.save()
    assert (city.pk, 2021, ANTT, AREA) in counts.keys_of_dossier(dossier)
