"""The kept aggregates always equal a fresh recomputation, through every workflow step."""

import random
import threading
from decimal import Decimal

import pytest
from django.db import connection

from campaigns import services
from campaigns.aggregates import (
    compute_all,
    compute_report_counts,
    stored_all,
    stored_report_counts,
)
from campaigns.checks import Entry
from campaigns.models import IndicatorAggregate, ReportCount, UnitReport
from tests.factories import UserFactory


def _agg(area, indicator, basis):
    row = IndicatorAggregate.objects.filter(area=area, indicator=indicator, basis=basis).first()
    return row.total if row else None


def _reports(area, basis):
    row = ReportCount.objects.filter(area=area, basis=basis, city_level=False).first()
    return row.reports if row else 0


def _fill(period, unit, user, catalogue, cases, offenders, fines="12.5"):
    report = services.report_save_values(
        period=period,
        unit=unit,
        user=user,
        entries={
            catalogue["cases"].pk: Entry(Decimal(cases)),
            catalogue["solved"].pk: Entry(Decimal(cases // 2)),
            catalogue["offenders"].pk: Entry(Decimal(offenders)),
            catalogue["accidents"].pk: Entry(Decimal(3)),
            catalogue["deaths"].pk: Entry(Decimal(1)),
            catalogue["fines"].pk: Entry(Decimal(fines)),
        },
        expected_version=0,
    ).report
    return services.report_submit(report=report, user=user, expected_version=report.version)


@pytest.mark.django_db
def test_aggregates_follow_submit_approve_reopen(
    period, catalogue, city, unit_a, unit_b, official_a, official_b, approver
):
    offenders = catalogue["offenders"]
    report_a = _fill(period, unit_a, official_a, catalogue, cases=10, offenders=40)
    assert _agg(city, offenders, "submitted") == 40
    assert _agg(city, offenders, "approved") is None
    assert compute_all() == stored_all()

    report_b = _fill(period, unit_b, official_b, catalogue, cases=6, offenders=25)
    services.report_approve(report=report_a, user=approver)
    assert _agg(city, offenders, "approved") == 40
    assert _agg(city, offenders, "submitted") == 65
    assert compute_all() == stored_all()
    assert (_reports(city, "approved"), _reports(city, "submitted")) == (1, 2)
    assert _reports(city.parent, "submitted") == 2  # the province above counts them too
    assert compute_report_counts() == stored_report_counts()

    services.report_return(report=report_b, user=approver, reason="Thiếu số liệu")
    assert _agg(city, offenders, "submitted") == 40
    assert compute_all() == stored_all()

    services.report_reopen(report=report_a, user=approver, reason="Sai số liệu")
    assert _agg(city, offenders, "approved") is None
    assert compute_all() == stored_all()
    # The reports counted follow the same steps: report A reopened (a draft), B returned.
    assert (_reports(city, "approved"), _reports(city, "submitted")) == (0, 0)
    assert compute_report_counts() == stored_report_counts() == {}
    # The province above the city sees the same figures.
    assert _agg(city.parent, offenders, "submitted") is None


@pytest.mark.django_db
def test_random_workflow_keeps_aggregates_exact(period, catalogue, city, approver):
    """Submit, approve one by one or in bulk, return, reopen, in a seeded random order: after
    every step the kept rows (sum, count and maximum, decimals too) equal a recomputation."""
    from tests.factories import UnitFactory

    rng = random.Random(7)
    units = [UnitFactory(parent=city) for _ in range(6)]
    officials = [UserFactory(role="official", unit=u) for u in units]
    reports = [
        _fill(
            period,
            u,
            o,
            catalogue,
            rng.randint(1, 30),
            rng.randint(1, 90),
            fines=f"{rng.randint(0, 9999) / 100:.2f}",
        )
        for u, o in zip(units, officials, strict=True)
    ]
    for _step in range(30):
        i = rng.randrange(len(reports))
        report = reports[i]
        report.refresh_from_db()
        if report.status == "submitted":
            action = rng.choice(["approve", "return", "bulk"])
            if action == "approve":
                reports[i] = services.report_approve(report=report, user=approver)
            elif action == "bulk":
                waiting = UnitReport.objects.filter(period=period, status="submitted")
                result = services.reports_bulk_approve(
                    period=period, user=approver, selection={r.pk: r.version for r in waiting}
                )
                assert result.approved
            else:
                reports[i] = services.report_return(report=report, user=approver, reason="Kiểm tra")
        elif report.status == "approved":
            reports[i] = services.report_reopen(report=report, user=approver, reason="Mở lại")
        else:
            reports[i] = services.report_submit(
                report=report, user=officials[i], expected_version=report.version
            )
        assert compute_all() == stored_all(), f"step {_step}"
        assert compute_report_counts() == stored_report_counts(), f"step {_step}"
    assert IndicatorAggregate.objects.filter(indicator=catalogue["fines"]).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent transactions need PostgreSQL's row locks (SQLite has one writer; CI runs "
    "this on PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_approvals_in_one_city_all_succeed(period, catalogue, city, approver):
    from tests.factories import UnitFactory

    units = [UnitFactory(parent=city) for _ in range(20)]
    reports = [
        _fill(period, u, UserFactory(role="official", unit=u), catalogue, 10 + n, 20 + n)
        for n, u in enumerate(units)
    ]
    barrier = threading.Barrier(len(reports))
    outcomes: list[str] = []

    def approve(report):
        try:
            barrier.wait()
            services.report_approve(report=report, user=approver)
            outcomes.append("approved")
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(r,)) for r in reports]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes == ["approved"] * 20
    offenders = catalogue["offenders"]
    assert _agg(city, offenders, "approved") == sum(20 + n for n in range(20))
    assert _agg(city.parent, offenders, "approved") == sum(20 + n for n in range(20))
    assert compute_all() == stored_all()
    assert _reports(city, "approved") == 20
    assert compute_report_counts() == stored_report_counts()
