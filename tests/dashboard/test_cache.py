"""Cached figures: served from the cache, stale never (every change bumps the version), and
correct with the cache gone (Redis stopped)."""

import pickle
import socket

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services
from campaigns.dashboard.selectors import scope_of
from campaigns.models import UnitReport
from wards import figures
from wards.models import AdministrativeUnit

YEAR_2021 = {"from": "2021", "to": "2021", "unit": "tp-my-tho"}
PAGES = [
    reverse("dashboard:dashboard"),
    reverse("dashboard:period_report"),
    "/api/v1/summary/",
    "/api/v1/series/",
    "/api/v1/units/",
]
REDIS_CLOSED = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/15",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def _offenders(client, params) -> float:
    return client.get("/api/v1/summary/", params).json()["offenders_handled"] or 0


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def _submitted() -> tuple[UnitReport, dict, int]:
    """A submitted demo report with offenders, the period of its unit, and its offenders."""
    report = (
        UnitReport.objects.filter(
            status="submitted",
            values__indicator__code="offenders_handled",
            values__value__gt=0,
        )
        .select_related("unit", "period")
        .order_by("pk")
        .first()
    )
    year = report.period.year
    params = {"from": year, "to": year, "unit": report.unit.slug}
    return report, params, int(report.values.get(indicator__code="offenders_handled").value)


def test_second_request_is_served_from_the_cache(client, demo):
    client.force_login(demo["leader"])
    for url in PAGES:
        cache.clear()
        first = _queries(client, url, YEAR_2021)
        again = _queries(client, url, YEAR_2021)
        assert again < first, url


def test_an_approval_shows_on_the_next_request(client, demo):
    client.force_login(demo["admin"])
    report, params, added = _submitted()
    before = _offenders(client, params)
    page_before = client.get(reverse("dashboard:dashboard"), params).context["summary"]
    version = figures.current()

    services.report_approve(report=report, user=demo["admin"])

    assert figures.current() == version + 1
    assert _offenders(client, params) == before + added
    page_after = client.get(reverse("dashboard:dashboard"), params).context["summary"]
    assert page_after.offenders_handled == (page_before.offenders_handled or 0) + added
    csv = client.get(reverse("dashboard:period_report"), {**params, "format": "csv"})
    assert csv.status_code == 200


def test_a_return_and_a_reopening_change_the_cached_figures_too(client, demo):
    client.force_login(demo["admin"])
    report, params, _added = _submitted()
    services.report_approve(report=report, user=demo["admin"])
    approved = _offenders(client, params)
    services.report_reopen(report=report, user=demo["admin"], reason="Sai số liệu")
    assert _offenders(client, params) < approved


def test_status_changes_and_other_figures_bump_the_version(demo):
    version = figures.current()
    report, _params, _added = _submitted()
    services.report_return(report=report, user=demo["admin"], reason="Thiếu số liệu")
    assert figures.current() == version + 1


def test_the_scope_is_cached_without_its_querysets(demo):
    city = AdministrativeUnit.objects.get(slug="tp-my-tho")
    scope = scope_of(city, city.valid_from.replace(year=2020, month=12, day=31))
    assert scope.sources.count() > 0  # the queryset is built
    with CaptureQueriesContext(connection) as ctx:
        state = pickle.dumps(scope)
    assert ctx.captured_queries == []
    assert pickle.loads(state).unit == city  # noqa: S301 - our own bytes


def test_pages_stay_correct_with_redis_stopped(client, demo):
    client.force_login(demo["admin"])
    report, params, added = _submitted()
    expected = {url: client.get(url, params).status_code for url in PAGES}
    figures_before = _offenders(client, params)
    with override_settings(CACHES=REDIS_CLOSED):  # Django reopens its caches on this
        assert {url: client.get(url, params).status_code for url in PAGES} == expected
        assert _offenders(client, params) == figures_before
        services.report_approve(report=report, user=demo["admin"])
        assert _offenders(client, params) == figures_before + added


def _redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_running(), reason="no Redis on 127.0.0.1:6379")
def test_redis_serves_the_cache_and_an_approval_still_shows(client, demo):
    live = {**REDIS_CLOSED["default"], "LOCATION": "redis://127.0.0.1:6379/15"}
    with override_settings(CACHES={"default": live}):
        cache.clear()  # database 15 is the tests' own
        client.force_login(demo["admin"])
        report, params, added = _submitted()
        url = "/api/v1/summary/"
        first = _queries(client, url, params)
        assert _queries(client, url, params) < first
        before = _offenders(client, params)
        services.report_approve(report=report, user=demo["admin"])
        assert _offenders(client, params) == before + added
        cache.clear()
