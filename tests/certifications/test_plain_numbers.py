"""Integer parameters and fields of certifications and the registry refuse "²" and other
non-ASCII digits with a 400 or a form error, never a 500 (issue 10)."""

import datetime

import pytest
from django.urls import reverse

from campaigns.certifications.models import Award, Dossier
from models_registry.models import ModelSite, SiteEvaluation
from tests.models_registry.factories import ModelSiteFactory, PreventionModelFactory

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [{"unit": "²"}, {"year": "²"}, {"year": "٢٠٢١"}, {"don-vi": "²"}, {"nam": "٢٠٢١"}],
)
def test_dossier_preparation_refuses_other_digits_with_a_400(login, official_a, params):
    response = login(official_a).get(reverse("certifications:prepare"), params)
    assert response.status_code == 400


def test_dossier_creation_year_refuses_other_digits(login, official_a, area_a):
    response = login(official_a).post(
        reverse("certifications:dossier_create", args=["khu-dan-cu", area_a.pk]),
        {"kind": "antt_safe", "year": "٢٠٢١", "registered_on": "2021-02-15", "note": ""},
    )
    assert response.status_code == 200 and not Dossier.objects.exists()


def test_award_form_refuses_other_digits(login, approver, unit_a):
    client = login(approver)
    for key in ("person", "ca-nhan"):
        assert client.get(reverse("certifications:award_create"), {key: "²"}).status_code == 400
    response = client.post(
        reverse("certifications:award_create"),
        {
            "form": "commendation",
            "issuer": "Chủ tịch UBND",
            "decision_number": "1/QĐ",
            "decision_date": "2021-08-19",
            "recipient_type": "unit",
            "recipient_unit": unit_a.pk,
            "period_start_year": "²⁰²¹",
            "period_end_year": "٢٠٢١",
            "occasion": "yearly",
            "reason": "Thành tích",
        },
    )
    assert response.status_code == 200 and not Award.objects.exists()
    assert "period_start_year" in response.context["form"].errors


def test_model_evaluation_refuses_other_digits(login, official_a, unit_a):
    model = PreventionModelFactory(origin_unit=unit_a, start_date=D(2016, 1, 1))
    site = ModelSiteFactory(model=model, unit=unit_a, start_date=D(2016, 1, 1))
    client = login(official_a)
    url = reverse("models_registry:evaluation_propose", args=[site.pk])
    assert client.get(url, {"year": "²"}).status_code == 400
    response = client.post(
        url,
        {"year": "2021", "grade": "good", "tip_offs": "²", "cases_solved": "٣", "mediations": "0",
         "patrols": "1e3", "notes": ""},
    )  # fmt: skip
    assert response.status_code == 200 and not SiteEvaluation.objects.exists()
    errors = response.context["form"].errors
    assert {"tip_offs", "cases_solved", "patrols"} <= set(errors)


def test_site_form_refuses_other_digits_and_exponents(login, official_a, unit_a):
    model = PreventionModelFactory(origin_unit=unit_a, start_date=D(2016, 1, 1))
    response = login(official_a).post(
        reverse("models_registry:site_create", args=[model.slug]),
        {"start_date": "2021-03-01", "households": "١٢", "members": "1", "teams": "1",
         "cameras": "²", "funding_state": "1e3", "funding_socialized": "0"},
    )  # fmt: skip
    assert response.status_code == 200 and not ModelSite.objects.exists()
    assert {"households", "cameras", "funding_state"} <= set(response.context["form"].errors)
