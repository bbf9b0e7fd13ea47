"""The demo data behind ``make run``: what the registry shows by default."""

import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from models_registry import demo as registry_demo
from models_registry import selectors
from models_registry.models import ModelSite, PreventionModel, SiteEvaluation
from wards import demo as wards_demo
from wards.models import User

pytestmark = pytest.mark.django_db
D = datetime.date
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def test_loader_is_idempotent_and_reports_the_article_figures():
    units, _accounts = wards_demo.load()
    first = registry_demo.load(units)
    counts = (
        PreventionModel.objects.count(),
        ModelSite.objects.count(),
        SiteEvaluation.objects.count(),
    )
    second = registry_demo.load(units)
    assert first == second
    assert "37 mô hình tính đến 31/12/2020" in first and "Camera an ninh 17/17" in first
    assert counts == (
        PreventionModel.objects.count(),
        ModelSite.objects.count(),
        SiteEvaluation.objects.count(),
    )


def test_demo_is_graded_every_year_with_a_few_retirements_and_a_queue(demo):
    years = set(SiteEvaluation.objects.values_list("year", flat=True))
    assert years == set(range(2015, 2027))
    assert set(SiteEvaluation.objects.values_list("grade", flat=True)) == {
        "good",
        "average",
        "weak",
        "unclassified",
    }
    assert SiteEvaluation.objects.filter(status="proposed", year=2020).count() == 3
    assert PreventionModel.objects.filter(status="retired").count() == 4
    # Sites retired while their model goes on (before the reorganisations); Camera an ninh
    # keeps every site until its unit is reorganised.
    before = D(2024, 1, 1)
    assert (
        ModelSite.objects.filter(
            status="retired", model__status="active", retired_on__lt=before
        ).count()
        == 3
    )
    camera = ModelSite.objects.filter(model__slug="camera-an-ninh")
    assert not camera.filter(status="retired", retired_on__lt=before).exists()
    # Every camera site has cameras and xã hội hóa funding.
    camera_sites = ModelSite.objects.filter(model__slug="camera-an-ninh")
    assert all(s.cameras > 0 and s.funding_socialized > 0 for s in camera_sites)


def test_demo_carries_the_sites_over_to_the_five_wards_and_grades_2025_2026(demo):
    new_slugs = [slug for slug, *_ in wards_demo.NEW_WARDS]
    camera = PreventionModel.objects.get(slug="camera-an-ninh")
    coverage = selectors.model_coverage(camera, D(2026, 12, 31))
    assert (coverage.covered, coverage.unit_total) == (5, 5)
    assert selectors.model_coverage(camera, D(2024, 12, 31)).unit_total == 14
    # Phường Mỹ Tho runs the camera model with the cameras of Phường 1, 2 and Tân Long.
    old = camera.sites.filter(unit__slug__in=["phuong-1", "phuong-2", "tan-long"])
    new = camera.sites.get(unit__slug="phuong-my-tho")
    assert new.cameras == sum(s.cameras for s in old) and new.start_date == D(2025, 7, 1)
    assert {(s.status, s.retired_on) for s in old} == {("retired", D(2025, 7, 1))}
    # Phường 3, 7, 8 had no recorded successor: their sites stopped on 1/12/2024.
    assert set(
        camera.sites.filter(unit__slug__in=["phuong-3", "phuong-7", "phuong-8"]).values_list(
            "retired_on", flat=True
        )
    ) == {D(2024, 12, 1)}
    graded = SiteEvaluation.objects.filter(site__unit__slug__in=new_slugs)
    assert not graded.filter(year=2025).exclude(status="confirmed").exists()
    assert set(graded.filter(year=2026).values_list("status", flat=True)) == {
        "confirmed",
        "proposed",
    }
    assert graded.filter(year=2026).count() < graded.filter(year=2025).count()
    assert not SiteEvaluation.objects.filter(
        year__gte=2025, site__unit__slug__in=registry_demo.UNIT_SLUGS
    ).exists()


def test_registry_opens_on_the_current_year(demo, client):
    client.force_login(User.objects.get(username="leader"))
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, tzinfo=HCM), tick=False):
        response = client.get(reverse("models_registry:registry"))
    assert response.context["as_of"] == D(2026, 12, 2)
    assert response.context["model_count"] == 36  # "Tổ xe ôm tự quản" retired in 2022
    camera = next(r for r in response.context["rows"] if r["model"].slug == "camera-an-ninh")
    assert (camera["coverage"].covered, camera["coverage"].unit_total) == (5, 5)


def test_registry_view_shows_37_models_as_of_2020(demo, client):
    client.force_login(User.objects.get(username="leader"))
    response = client.get(reverse("models_registry:registry") + "?year=2020")
    assert response.context["as_of"] == D(2020, 12, 31)
    assert response.context["model_count"] == 37
    assert len(response.context["rows"]) == 37 == response.context["page"].paginator.count
    content = response.content.decode()
    assert re.search(r'id="model-count">37<', content)
    assert "mô hình tính đến ngày 31/12/2020" in content
    camera = next(r for r in response.context["rows"] if r["model"].slug == "camera-an-ninh")
    assert (camera["coverage"].covered, camera["coverage"].unit_total) == (17, 17)


def test_model_page_shows_camera_an_ninh_at_17_of_17_in_2020(demo, client):
    client.force_login(User.objects.get(username="phuong-2"))
    response = client.get(
        reverse("models_registry:model_detail", args=["camera-an-ninh"]) + "?year=2020"
    )
    content = response.content.decode()
    assert re.search(r'id="coverage">17/17 đơn vị<', content)
    assert (
        response.context["totals"].cameras
        == selectors.funding_totals(
            D(2020, 12, 31), models=[PreventionModel.objects.get(slug="camera-an-ninh").pk]
        ).cameras
    )
    # The 17 sites of 2016–2025 and the 5 that continue them in today's wards.
    assert len(response.context["grade_rows"]) == 22
    assert response.context["years"] == list(range(2016, 2027))


def test_load_demo_command_prints_the_registry_line(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Mô hình phòng, chống tội phạm: 37 mô hình tính đến 31/12/2020" in out.getvalue()
    assert "Năm 2026: 36 mô hình" in out.getvalue()
    assert "Camera an ninh 5/5" in out.getvalue()
