"""The registry list's filters, at their layer: ``selectors.registry_models``."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from models_registry import selectors
from models_registry.selectors import RegistryFilters, StatusFilter
from tests.models_registry.factories import (
    ModelSiteFactory,
    PreventionModelFactory,
    SiteEvaluationFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def _filters(**chosen) -> RegistryFilters:
    defaults = {"q": "", "category": "", "unit": None, "status": StatusFilter.COUNTED}
    return RegistryFilters(**{**defaults, "grade": "", "year": 2020, **chosen})


def _names(user, **chosen) -> list[str]:
    filters = _filters(**chosen)
    snap = selectors.snapshot(selectors.as_of_for_year(filters.year))
    return [m.name for m in selectors.registry_models(user, filters=filters, snap=snap)]


@pytest.fixture
def retired(unit_b):
    model = PreventionModelFactory(
        name="Đội dân phòng cũ", origin_unit=unit_b, status="retired", retired_on=D(2019, 7, 1)
    )
    ModelSiteFactory(model=model, unit=unit_b, start_date=D(2016, 1, 1))
    return model


def test_running_models_by_default_retired_ones_on_request(leader, model, retired):
    assert _names(leader) == ["Tổ tự quản thử"]
    assert _names(leader, status=StatusFilter.RETIRED) == ["Đội dân phòng cũ"]
    assert _names(leader, status=StatusFilter.ALL) == ["Đội dân phòng cũ", "Tổ tự quản thử"]
    # Counted as of a year before its retirement.
    assert "Đội dân phòng cũ" in _names(leader, year=2018)


def test_search_ignores_diacritics_and_case(leader, model, retired):
    assert _names(leader, q="to tu QUAN", status=StatusFilter.ALL) == ["Tổ tự quản thử"]
    assert _names(leader, q="khong co", status=StatusFilter.ALL) == []


def test_unit_filter_keeps_models_counted_or_ever_sited_there(
    leader, model, retired, unit_a, unit_b
):
    assert _names(leader, unit=unit_a) == ["Tổ tự quản thử"]
    assert _names(leader, unit=unit_b, status=StatusFilter.ALL) == ["Đội dân phòng cũ"]


def test_grade_filter_takes_confirmed_grades_of_the_year_only(leader, model, site_a, retired):
    SiteEvaluationFactory(site=site_a, year=2020, grade="good", status="proposed")
    assert _names(leader, grade="good") == []
    SiteEvaluationFactory(
        site=site_a, year=2019, grade="good", status="confirmed", confirmed_at="2019-12-20T09:00Z"
    )
    assert _names(leader, grade="good") == []
    assert _names(leader, grade="good", year=2019) == ["Tổ tự quản thử"]


def test_a_user_without_a_role_reads_no_model(django_user_model, unit_a, model):
    nobody = django_user_model.objects.create_user(username="nobody", password="x", unit=unit_a)
    assert _names(nobody) == []


def test_one_query_whatever_the_filters(leader, model, retired, unit_a):
    filters = _filters(unit=unit_a, grade="good", q="to", category="self_management")
    snap = selectors.snapshot(selectors.as_of_for_year(2020))
    with CaptureQueriesContext(connection) as captured:
        selectors.registry_models(leader, filters=filters, snap=snap)
    assert len(captured) == 1
