"""The figures pages read from a real streaming replica; a browser that just wrote reads from
the primary; both give the same figures."""

import time

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mytho_security.routers import PRIMARY_COOKIE
from wards.models import User

PERIOD = {"from": "2015", "to": "2020", "unit": "tp-my-tho"}
PAGES = [
    (reverse("dashboard:dashboard"), PERIOD),
    (reverse("dashboard:indicator_detail", args=["offenders_handled"]), PERIOD),
    (reverse("dashboard:period_report"), PERIOD),
    (reverse("dashboard:period_report"), {**PERIOD, "format": "xlsx"}),
    (reverse("dashboard:period_report"), {**PERIOD, "format": "csv"}),
    ("/api/v1/summary/", PERIOD),
    ("/api/v1/series/", PERIOD),
    ("/api/v1/units/", PERIOD),
]
pytestmark = pytest.mark.usefixtures("live_db")


def _wait_on_replica(sql: str, params: list, timeout: float = 10.0) -> None:
    """Until the replica has replayed the row ``sql`` finds."""
    deadline = time.monotonic() + timeout
    with connections["replica"].cursor() as cursor:
        while True:
            cursor.execute(sql, params)
            if cursor.fetchone():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the replica did not receive {params} in {timeout} s")
            time.sleep(0.05)


def _client(username: str, timeout: float = 10.0) -> Client:
    """A logged-in browser, once the replica serves its session (the login was written to the
    primary a moment ago)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    _wait_on_replica(
        "SELECT 1 FROM django_session WHERE session_key = %s", [client.session.session_key]
    )
    deadline = time.monotonic() + timeout
    while client.get("/api/v1/summary/", PERIOD).status_code != 200:
        assert time.monotonic() < deadline, "the replica never served the new session"
        time.sleep(0.05)
    return client


def _get(client: Client, url: str, params: dict):
    """(response, queries on the primary, queries on the replica)."""
    from django.core.cache import cache

    cache.clear()
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url, params)
    return response, len(primary.captured_queries), len(replica.captured_queries)


def _body(response):
    if response["Content-Type"].startswith("application/json"):
        return response.json()
    if "attachment" in response.get("Content-Disposition", ""):
        return len(response.content) > 0
    return response.status_code


def test_the_replica_is_a_replica():
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True
    assert (
        connections["replica"].settings_dict["PORT"] != connections["default"].settings_dict["PORT"]
    )


def test_figures_pages_read_from_the_replica_and_match_the_primary():
    leader = _client("leader")
    for url, params in PAGES:
        response, on_primary, on_replica = _get(leader, url, params)
        assert response.status_code == 200, url
        assert on_replica > 0 and on_primary == 0, (url, on_primary, on_replica)
        # The same page from the primary (as right after a write) says the same.
        leader.cookies[PRIMARY_COOKIE] = str(time.time() + 60)
        from_primary, on_primary_now, on_replica_now = _get(leader, url, params)
        del leader.cookies[PRIMARY_COOKIE]
        assert on_replica_now == 0 and on_primary_now > 0, url
        assert _body(from_primary) == _body(response), url


def test_other_pages_read_from_the_primary():
    leader = _client("leader")
    response, on_primary, on_replica = _get(leader, "/", {})
    assert response.status_code == 200 and on_replica == 0 and on_primary > 0


def test_an_approver_sees_an_approval_at_once_and_others_after_replication():
    from campaigns.models import UnitReport

    report = (
        # Today's demo: Phường Đạo Thạnh's 2026 report waits for the province; TP. Mỹ Tho's
        # area (the leader's) covers it through the recorded unit changes of 2025.
        UnitReport.objects.filter(status="submitted", unit__slug="phuong-dao-thanh")
        .select_related("unit", "period")
        .order_by("pk")
        .first()
    )
    assert report is not None, "the demo has submitted reports to approve"
    year = report.period.year
    params = {"from": year, "to": year, "unit": "tp-my-tho"}
    admin, leader = _client("admin"), _client("leader")
    first = _get(leader, "/api/v1/summary/", params)[0]
    assert first.status_code == 200, first.content
    before = first.json()["offenders_handled"] or 0
    added = int(report.values.get(indicator__code="offenders_handled").value)

    response = admin.post(
        reverse("campaigns:report_approve", args=[year, report.unit.slug]),
        {"version": report.version},
    )
    assert response.status_code == 302 and PRIMARY_COOKIE in response.cookies

    # The approver's browser reads from the primary for a while: the approval shows at once.
    mine, on_primary, on_replica = _get(admin, "/api/v1/summary/", params)
    assert on_replica == 0 and mine.json()["offenders_handled"] == before + added
    # Everyone else reads from the replica, which has it as soon as it has replayed the commit.
    _wait_on_replica(
        "SELECT 1 FROM campaigns_unitreport WHERE id = %s AND status = 'approved'", [report.pk]
    )
    theirs, on_primary, on_replica = _get(leader, "/api/v1/summary/", params)
    assert on_replica > 0 and theirs.json()["offenders_handled"] == before + added
