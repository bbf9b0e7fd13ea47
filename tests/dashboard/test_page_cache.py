"""The figures pages cached whole per viewer (issue 13): what stays per request, and what a
change in the admin makes stale at once."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from campaigns.certifications.models import Award, Dossier, FestivalDay, MovementClassification
from campaigns.models import Campaign, Indicator, IndicatorSection, ReportingPeriod
from models_registry.models import ExemplaryYear, ModelSite, PreventionModel, SiteEvaluation
from tests.factories import UserFactory
from wards import figures
from wards.models import (
    AdministrativeUnit,
    Organization,
    ReportingArea,
    ResidentialArea,
    UnitBoundary,
    UnitChange,
)

DASHBOARD = reverse("dashboard:dashboard")
REVIEW = reverse("dashboard:period_report")


def test_a_request_reads_the_figures_version_once(db, rf, django_assert_num_queries):
    """Inside a request the version is read once (the scope check and the page share it);
    a bump in the request makes the next read go to the database again."""
    seen = []

    def view(request):
        with django_assert_num_queries(1):
            first = figures.current()
            assert figures.current() == first
            assert figures.version_read() == first
        # One UPDATE, then one read of the new value.
        with django_assert_num_queries(2):
            figures.bump()
            seen.append((first, figures.current()))
        return None

    figures.RequestVersionMiddleware(view)(rf.get("/"))
    first, after_bump = seen[0]
    assert after_bump == first + 1


def test_outside_a_request_every_read_goes_to_the_database(db, django_assert_num_queries):
    """Services and commands run outside a request: they never read a remembered version."""
    assert figures.version_read() is None
    with django_assert_num_queries(2):
        figures.current()
        figures.current()
    assert figures.version_read() is None


def test_a_cached_page_is_not_served_to_a_viewer_outside_its_scope(client, demo):
    """The page is cached per viewer after the scope check: the official of another ward is
    refused the page the leader has just cached, and gets his own ward's page for his own."""
    params = {"from": 2015, "to": 2020, "unit": "phuong-1"}
    client.force_login(demo["leader"])
    assert client.get(DASHBOARD, params).status_code == 200
    assert client.get(REVIEW, params).status_code == 200
    client.force_login(demo["phuong-2"])
    assert client.get(DASHBOARD, params).status_code == 403
    assert client.get(REVIEW, params).status_code == 403
    client.force_login(demo["phuong-1"])
    page = client.get(DASHBOARD, params).content.decode()
    # The leader's picker offers the city; the official's (same parameters) only his ward.
    assert 'value="phuong-1" selected' in page
    assert 'value="tp-my-tho"' not in page


def test_a_ward_moved_in_the_admin_leaves_the_leaders_scope_on_the_next_request(client, demo, rf):
    """The unit, the leader's ground and the page are cached per figures version; the admin's
    save bumps it, so a ward moved to another city is refused at once, not an hour later."""
    params = {"from": 2015, "to": 2020, "unit": "phuong-1"}
    client.force_login(demo["leader"])
    assert client.get(DASHBOARD, params).status_code == 200
    assert client.get(DASHBOARD, params).status_code == 200  # from the cache

    ward = AdministrativeUnit.objects.get(slug="phuong-1")
    elsewhere = AdministrativeUnit.objects.create(
        kind="city",
        name="TP. Khác",
        slug="tp-khac",
        code="CX",
        parent=ward.parent.parent,
        valid_from="2008-01-01",
    )
    ward.parent = elsewhere
    request = rf.post("/")
    request.user = demo["admin"]
    admin.site._registry[AdministrativeUnit].save_model(request, ward, form=None, change=True)

    assert client.get(DASHBOARD, params).status_code == 403
    assert client.get(REVIEW, params).status_code == 403


@pytest.mark.parametrize(
    "model",
    [
        AdministrativeUnit,
        UnitBoundary,
        UnitChange,
        ReportingArea,
        ResidentialArea,
        Organization,
        Campaign,
        ReportingPeriod,
        IndicatorSection,
        Indicator,
        PreventionModel,
        ModelSite,
        SiteEvaluation,
        ExemplaryYear,
        Dossier,
        MovementClassification,
        Award,
        FestivalDay,
    ],
    ids=lambda model: model.__name__,
)
def test_the_admin_of_what_the_cached_pages_show_bumps_the_figures_version(demo, model):
    """Saving or deleting in the admin of any of these bumps the version (FiguresAdminMixin)."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().post("/")
    request.user = demo["admin"]
    before = figures.current()
    model_admin.delete_queryset(request, model.objects.none())
    assert figures.current() == before + 1


def test_an_unknown_review_format_is_refused_with_the_formats_to_choose(client, demo):
    client.force_login(demo["leader"])
    response = client.get(REVIEW, {"from": 2015, "to": 2020, "format": "exe"})
    assert response.status_code == 400
    assert "Không có định dạng “exe”: chọn một trong xlsx, csv, pdf." in response.content.decode()


def test_each_city_roles_ground_is_its_own_in_the_cache(client, demo):
    """Grounds are cached per unit: a second city's leader, after the first city's leader has
    filled the cache, still sees his own city and not the first one."""
    province = AdministrativeUnit.objects.get(slug="dong-thap")
    other_city = AdministrativeUnit.objects.create(
        kind="city", name="TP. Khác", slug="tp-khac", code="CK", parent=province,
        valid_from="2008-01-01",
    )  # fmt: skip
    other_leader = UserFactory(username="leader-khac", role="leader", unit=other_city)
    client.force_login(demo["leader"])
    assert client.get(DASHBOARD, {"unit": "tp-my-tho"}).status_code == 200
    client.force_login(other_leader)
    assert client.get(DASHBOARD, {"unit": "tp-khac"}).status_code == 200
    assert client.get(DASHBOARD, {"unit": "tp-my-tho"}).status_code == 403


def test_a_reorganisation_recorded_in_the_admin_widens_the_ground_on_the_next_request(
    client, demo, rf
):
    """The cached ground follows the figures version: a change recorded in the admin (a ward of
    the city became a unit elsewhere) shows in the leader's scope at once."""
    successor = AdministrativeUnit.objects.create(
        kind="ward", name="Phường Kế Tục", slug="phuong-ke-tuc", code="PK",
        parent=AdministrativeUnit.objects.get(slug="dong-thap"), valid_from="2026-01-01",
    )  # fmt: skip
    client.force_login(demo["leader"])
    assert client.get(DASHBOARD, {"unit": "tp-my-tho"}).status_code == 200  # ground cached
    assert client.get(DASHBOARD, {"unit": "phuong-ke-tuc"}).status_code == 403

    change = UnitChange.objects.create(kind="merge", effective_date="2026-01-01")
    change.predecessors.add(AdministrativeUnit.objects.get(slug="phuong-1"))
    change.successors.add(successor)
    request = rf.post("/")
    request.user = demo["admin"]
    admin.site._registry[UnitChange].save_model(request, change, form=None, change=True)

    assert client.get(DASHBOARD, {"unit": "phuong-ke-tuc"}).status_code == 200


def test_a_page_asked_with_a_parameter_it_does_not_read_is_answered_but_not_stored(client, demo):
    """Junk in the query string (a fuzzer, a mistyped link) is answered like the page without
    it, and stores nothing: the cache holds only pages of the parameters the page reads."""
    from django.core.cache import cache

    client.force_login(demo["leader"])
    params = {"from": 2015, "to": 2020, "unit": "tp-my-tho"}
    cache.clear()
    assert client.get(DASHBOARD, {**params, "junk": "1"}).status_code == 200
    assert client.get(REVIEW, {**params, "x": "y"}).status_code == 200
    page_keys = [k for k in cache._cache if ":dashboard-page:" in k or ":review-page:" in k]
    assert page_keys == []
    assert not [k for k in cache._cache if ":dashboard-html:" in k]
    assert client.get(DASHBOARD, params).status_code == 200
    assert [k for k in cache._cache if ":dashboard-page:" in k]
