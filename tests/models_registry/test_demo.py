"""The demo data behind ``make run``: what the registry shows by default."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from models_registry import demo as registry_demo
from models_registry import selectors
from models_registry.models import ModelSite, PreventionModel, SiteEvaluation
from wards import demo as wards_demo
from wards.models import User

pytestmark = pytest.mark.django_db
D = datetime.date


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


def test_demo_is_graded_2015_2020_with_a_few_retirements_and_a_queue(demo):
    years = set(SiteEvaluation.objects.values_list("year", flat=True))
    assert years == set(range(2015, 2021))
    assert set(SiteEvaluation.objects.values_list("grade", flat=True)) == {
        "good",
        "average",
        "weak",
        "unclassified",
    }
    assert SiteEvaluation.objects.filter(status="proposed").count() == 3
    assert PreventionModel.objects.filter(status="retired").count() == 4
    # Sites retired while their model goes on; Camera an ninh keeps every site.
    assert ModelSite.objects.filter(status="retired", model__status="active").count() == 3
    assert not ModelSite.objects.filter(model__slug="camera-an-ninh", status="retired").exists()
    # Every camera site has cameras and xã hội hóa funding.
    camera_sites = ModelSite.objects.filter(model__slug="camera-an-ninh")
    assert all(s.cameras > 0 and s.funding_socialized > 0 for s in camera_sites)


def test_registry_default_view_shows_37_models_as_of_2020(demo, client):
    client.force_login(User.objects.get(username="leader"))
    response = client.get(reverse("models_registry:registry"))
    assert response.context["as_of"] == D(2020, 12, 31)
    assert response.context["model_count"] == 37
    assert len(response.context["rows"]) == 37 == response.context["page"].paginator.count
    content = response.content.decode()
    assert re.search(r'id="model-count">37<', content)
    assert "mô hình tính đến ngày 31/12/2020" in content
    camera = next(r for r in response.context["rows"] if r["model"].slug == "camera-an-ninh")
    assert (camera["coverage"].covered, camera["coverage"].unit_total) == (17, 17)


def test_model_page_default_view_shows_camera_an_ninh_at_17_of_17(demo, client):
    client.force_login(User.objects.get(username="phuong-2"))
    response = client.get(reverse("models_registry:model_detail", args=["camera-an-ninh"]))
    content = response.content.decode()
    assert re.search(r'id="coverage">17/17 đơn vị<', content)
    assert (
        response.context["totals"].cameras
        == selectors.funding_totals(
            D(2020, 12, 31), models=[PreventionModel.objects.get(slug="camera-an-ninh").pk]
        ).cameras
    )
    assert len(response.context["grade_rows"]) == 17
    assert response.context["years"] == list(range(2016, 2021))


def test_load_demo_command_prints_the_registry_line(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Mô hình phòng, chống tội phạm: 37 mô hình tính đến 31/12/2020" in out.getvalue()
