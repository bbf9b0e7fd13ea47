"""Query counts pinned on the list pages and hooks, constant in the number of models and sites."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UnitFactory
from tests.models_registry.factories import (
    ModelSiteFactory,
    PreventionModelFactory,
    SiteEvaluationFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date

# The registry list and a model's page are pinned exactly, each query named (an official's
# navigation adds their unit on the list); the unit section and the home card keep maxima
# (the unit section 2, the home card at most 5, approvers one more for their ground).
REGISTRY_QUERIES = [
    "session",
    "user",
    "registry years: first site",
    "registry years: last graded year",
    "units existing at the year's end",
    "unit changes up to then (the one-count rule follows them)",
    "sites running then, with their model",
    "the models listed, filtered, with their origin unit",
    "models running then (the headline count)",
    # an official's navigation looks up their unit here: one more
    "unread notifications (the bell)",
    "the unit filter's choices",
]
MODEL_PAGE_QUERIES = [
    "session",
    "user",
    "the model, with its origin unit",
    "registry years: first site",
    "registry years: last graded year",
    "units existing at the year's end",
    "unit changes up to then",
    "sites running then, with their model (coverage, cameras, funding)",
    "the model's sites with unit and residential area",
    "their grades, readable by the user",
    "the official's unit (navigation)",
    "the years it was named exemplary, with who decided",
    "unread notifications (the bell)",
]
UNIT_SECTION_MAX = 3
HOME_CARD_MAX = 6


def _grow(city, *, models: int, sites: int):
    """``models`` models, the first with ``sites`` sites (one per unit), each graded 2018–2020."""
    units = [UnitFactory(parent=city) for _ in range(sites)]
    first = None
    for m in range(models):
        model = PreventionModelFactory(origin_unit=units[0], start_date=D(2015, 1, 1))
        first = first or model
        for unit in units if m == 0 else units[: 1 + m % 3]:
            site = ModelSiteFactory(model=model, unit=unit, start_date=D(2015, 1, 1), cameras=m)
            for year in (2018, 2019, 2020):
                SiteEvaluationFactory(
                    site=site,
                    year=year,
                    grade=("good", "average", "weak")[(year + unit.pk) % 3],
                    status="confirmed" if year < 2020 else "proposed",
                    confirmed_at="2019-12-20T09:00Z" if year < 2020 else None,
                )
    return first, units


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx)


def _measure(login, user, city, url_for, *, models, sites) -> int:
    model, units = _grow(city, models=models, sites=sites)
    return _count(login(user), url_for(model, units))


@pytest.mark.parametrize("who", ["approver", "official_a"])
def test_registry_list_queries_do_not_grow_with_sites(
    login, request, city, unit_a, who, django_assert_num_queries
):
    user = request.getfixturevalue(who)
    url = reverse("models_registry:registry") + "?year=2020"
    small = _measure(login, user, city, lambda m, u: url, models=3, sites=5)
    large = _measure(login, user, city, lambda m, u: url, models=30, sites=40)
    assert small == large, (small, large)
    client = login(user)
    expected = len(REGISTRY_QUERIES) + (1 if who == "official_a" else 0)
    with django_assert_num_queries(expected):
        client.get(url + "&grade=good&category=self_management")


def test_model_page_queries_do_not_grow_with_sites(
    login, official_a, city, django_assert_num_queries
):
    def url(model, units):
        return reverse("models_registry:model_detail", args=[model.slug]) + "?year=2020"

    small = _measure(login, official_a, city, url, models=1, sites=5)
    model, _units = _grow(city, models=1, sites=40)
    assert model.sites.count() == 40
    client = login(official_a)
    with django_assert_num_queries(len(MODEL_PAGE_QUERIES)):
        response = client.get(url(model, None))
    assert len(response.context["grade_rows"]) == 40
    assert _count(login(official_a), url(model, None)) == small


def _render(template_name: str, **context) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        html = render_to_string(template_name, context)
    return html, len(ctx)


def _fresh(user):
    """A user object per measurement, as each request has one (its ground is cached on it)."""
    return type(user).objects.select_related("unit").get(pk=user.pk)


@pytest.mark.parametrize("who", ["approver", "official_a", "official_b"])
def test_unit_section_runs_two_queries_however_many_sites(request, city, unit_a, who):
    user = request.getfixturevalue(who)
    for _ in range(3):
        ModelSiteFactory(model=PreventionModelFactory(origin_unit=unit_a), unit=unit_a)
    _html, few = _render("models_registry/_unit_section.html", unit=unit_a, user=_fresh(user))
    for i in range(20):
        site = ModelSiteFactory(model=PreventionModelFactory(origin_unit=unit_a), unit=unit_a)
        SiteEvaluationFactory(site=site, year=2019 + i % 2, status="proposed")
    html, many = _render("models_registry/_unit_section.html", unit=unit_a, user=_fresh(user))
    assert html.count('href="/mo-hinh/diem/') == 23
    assert few == many <= UNIT_SECTION_MAX


def test_unit_page_with_the_section_does_not_grow(login, approver, city):
    model, units = _grow(city, models=3, sites=3)
    url = reverse("wards:unit_detail", args=[units[0].slug])
    client = login(approver)
    few = _count(client, url)
    for _ in range(20):
        ModelSiteFactory(model=PreventionModelFactory(origin_unit=units[0]), unit=units[0])
    assert _count(client, url) == few


@pytest.mark.parametrize("who", ["approver", "official_a", "leader"])
def test_home_card_queries_do_not_grow(request, city, unit_a, who):
    user = request.getfixturevalue(who)
    for _ in range(2):
        ModelSiteFactory(model=PreventionModelFactory(origin_unit=unit_a), unit=unit_a)
    _html, few = _render("models_registry/_home.html", user=_fresh(user))
    for _ in range(15):
        site = ModelSiteFactory(model=PreventionModelFactory(origin_unit=unit_a), unit=unit_a)
        SiteEvaluationFactory(site=site, year=2020, status="proposed")
    html, many = _render("models_registry/_home.html", user=_fresh(user))
    assert few == many <= HOME_CARD_MAX
    assert 'id="registry-home"' in html


EVALUATION_QUEUE_QUERIES = [
    "session",
    "user",
    "the approver's ground (recorded unit changes)",
    "count of the grades waiting (pagination)",
    "unread notifications (the bell)",
    "the page of grades waiting, with site, unit and model",
]


@pytest.mark.parametrize("sites", [2, 20])
def test_evaluation_queue_queries_do_not_grow(
    login, approver, city, sites, django_assert_num_queries
):
    model = PreventionModelFactory(origin_unit=UnitFactory(parent=city), start_date=D(2015, 1, 1))
    for _ in range(sites):
        site = ModelSiteFactory(
            model=model, unit=UnitFactory(parent=city), start_date=D(2015, 1, 1)
        )
        SiteEvaluationFactory(site=site, year=2020, grade="good", status="proposed")
    client = login(approver)
    url = reverse("models_registry:evaluation_queue")
    client.get(url)  # warm what is loaded once per process
    with django_assert_num_queries(len(EVALUATION_QUEUE_QUERIES)):
        response = client.get(url)
    assert response.content.decode().count("/xac-nhan/") >= sites
