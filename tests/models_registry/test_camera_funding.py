"""The "cameras per unit" page shows the funding of camera sites, not of all the unit's models
(issue 10: Phường 1 showed 151.120.000 ₫ where its camera site had 117.000.000 ₫)."""

import datetime

import pytest
from django.urls import reverse

from tests.models_registry.factories import ModelSiteFactory, PreventionModelFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def test_camera_page_adds_the_funding_of_camera_sites_only(login, official_a, unit_a, unit_b):
    camera = PreventionModelFactory(category="camera", origin_unit=unit_a, start_date=D(2016, 1, 1))
    patrol = PreventionModelFactory(origin_unit=unit_a, start_date=D(2016, 1, 1))
    ModelSiteFactory(
        model=camera,
        unit=unit_a,
        start_date=D(2016, 1, 1),
        cameras=12,
        funding_state=0,
        funding_socialized=117_000_000,
    )
    ModelSiteFactory(
        model=patrol,
        unit=unit_a,
        start_date=D(2016, 1, 1),
        cameras=0,
        funding_state=10_000_000,
        funding_socialized=34_120_000,
    )
    response = login(official_a).get(reverse("models_registry:camera_totals") + "?year=2020")
    rows = {unit.slug: totals for unit, totals in response.context["rows"]}
    assert rows["phuong-1"].camera_funding_socialized == 117_000_000
    assert rows["phuong-1"].camera_funding_state == 0
    content = response.content.decode()
    assert "117.000.000\xa0₫" in content
    assert "151.120.000" not in content and "34.120.000" not in content
    assert response.context["totals"].camera_funding_socialized == 117_000_000
