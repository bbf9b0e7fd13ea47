"""Cached pages keep main's completeness marks (issue 10) and lose them, or gain them, on the
next request after whatever changes a completeness fact: a status change, a new reporting year,
an exemplary model (issue 13's figures version)."""

import datetime
import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services
from campaigns.models import ReportingPeriod, UnitReport
from models_registry.models import PreventionModel
from models_registry.services import designate_exemplary
from wards import figures
from wards.models import User

PARTIAL = {"from": "2025", "to": "2026", "unit": "tp-my-tho"}
ONE_OF_FIVE = "năm 2026 chưa đầy đủ: 1/5 báo cáo đã duyệt"
TWO_OF_FIVE = "năm 2026 chưa đầy đủ: 2/5 báo cáo đã duyệt"
DRILL_DOWN = reverse("dashboard:indicator_detail", args=["offenders_handled"])
HTML_PAGES = [reverse("dashboard:dashboard"), reverse("dashboard:period_report"), DRILL_DOWN]


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _cached_text(client, url, params) -> str:
    """The page's text, asked twice from an empty cache: the second answer from the cache."""
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        client.get(url, params)
    with CaptureQueriesContext(connection) as again:
        response = client.get(url, params)
    assert response.status_code == 200
    assert len(again.captured_queries) < len(first.captured_queries), url
    return _text(response)


def _csv_title(client, params) -> str:
    csv = client.get(reverse("dashboard:period_report"), {**params, "format": "csv"})
    return csv.content.decode("utf-8-sig").splitlines()[0]


def _approve_fully(report: UnitReport, user) -> UnitReport:
    """Through every approval level of the year (each step a status change of its own)."""
    while report.status == "submitted":
        report = services.report_approve(report=report, user=user)
    return report


def test_cached_pages_keep_the_completeness_marks(client, demo):
    client.force_login(demo["leader"])
    cache.clear()
    for url in HTML_PAGES:
        assert ONE_OF_FIVE in _cached_text(client, url, PARTIAL), url
    for url in ["/api/v1/summary/", "/api/v1/series/", "/api/v1/units/"]:
        client.get(url, PARTIAL)
        data = client.get(url, PARTIAL).json()  # from the cache
        assert data["completeness"]["2026"]["approved"] == 1, url
        assert data["completeness"]["2026"]["complete"] is False, url
    client.get(reverse("dashboard:period_report"), {**PARTIAL, "format": "csv"})
    assert ONE_OF_FIVE in _csv_title(client, PARTIAL)  # the cached file's title row


def test_an_approval_and_a_reopening_move_the_cached_marks(client, demo):
    client.force_login(demo["admin"])
    cache.clear()
    for url in HTML_PAGES:
        assert ONE_OF_FIVE in _cached_text(client, url, PARTIAL), url
    assert ONE_OF_FIVE in _csv_title(client, PARTIAL)
    # The demo's one submitted report of 2026 (a ward on TP. Mỹ Tho's ground since 2025).
    report = UnitReport.objects.get(period__year=2026, status="submitted")

    report = _approve_fully(report, demo["admin"])

    for url in HTML_PAGES:
        body = _text(client.get(url, PARTIAL))
        assert TWO_OF_FIVE in body and ONE_OF_FIVE not in body, url
    assert TWO_OF_FIVE in _csv_title(client, PARTIAL)
    series = client.get("/api/v1/series/", PARTIAL).json()
    assert series["completeness"]["2026"]["approved"] == 2

    services.report_reopen(report=report, user=demo["admin"], reason="Sai số liệu")

    for url in HTML_PAGES:
        assert ONE_OF_FIVE in _text(client.get(url, PARTIAL)), url
    units = client.get("/api/v1/units/", PARTIAL).json()
    assert units["completeness"]["2026"]["approved"] == 1


def test_opening_a_reporting_year_bumps_the_version_once(demo):
    latest = ReportingPeriod.objects.order_by("-year").values_list("year", flat=True).first()
    version = figures.current()
    created = services.open_reporting_year(today=datetime.date(latest + 1, 1, 2))
    assert created and figures.current() == version + 1
    assert services.open_reporting_year(today=datetime.date(latest + 1, 1, 3)) == []
    assert figures.current() == version + 1  # nothing opened, nothing made stale


def test_a_model_named_exemplary_shows_in_the_cached_review(client, demo):
    client.force_login(demo["leader"])
    review = {"from": "2019", "to": "2019", "unit": "tp-my-tho"}
    model = PreventionModel.objects.get(slug="to-hoa-giai")
    named = f"mô hình tiêu biểu: “{model.name}”"
    assert named not in _cached_text(client, reverse("dashboard:period_report"), review)
    approver = User.objects.filter(role="approver", is_active=True).first()

    designate_exemplary(user=approver, model=model, year=2019)

    assert named in _text(client.get(reverse("dashboard:period_report"), review))
