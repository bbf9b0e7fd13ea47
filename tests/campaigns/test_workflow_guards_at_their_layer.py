"""The report workflow's guards and its submission, tested where they live: the services.

Written against the mutmut survivors of ``campaigns/services.py`` (``_lock``, ``_check_version``,
``_log``, ``_ensure_year_open``, ``_require_editor``, ``report_submit``, ``_submit_locked``): each
test calls the service or the guard itself and asserts what it writes, says or reads.
"""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns import aggregates, services
from campaigns.models import ReportingPeriod, ReportStatus, ReportTransition, UnitReport
from tests.campaigns.helpers import refused, save_values
from tests.factories import UserFactory
from wards import figures
from wards.models import Notification, YearReopening

pytestmark = pytest.mark.django_db


_saved = save_values


@pytest.fixture
def draft(period, unit_a, catalogue, official_a):
    """Unit A's saved draft: 4 cases, 3 of them solved."""
    return _saved(period, unit_a, official_a, catalogue, cases="4", solved="3")


# --- _check_version --------------------------------------------------------------------------


def test_submit_service_refuses_a_report_changed_since_it_was_opened(draft, official_a):
    error = refused(
        services.ConcurrentEdit,
        services.report_submit,
        report=draft,
        user=official_a,
        expected_version=draft.version - 1,
    )
    assert error.message == (
        "Someone else changed this report after you opened it. Nothing was changed; "
        "reload the page to see the current report."
    )
    assert str(error) == error.message
    assert (error.current_version, error.conflicts) == (draft.version, [])
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    assert not ReportTransition.objects.exists()


def test_submit_service_takes_the_version_the_form_was_opened_at(draft, official_a):
    report = services.report_submit(report=draft, user=official_a, expected_version=draft.version)
    assert report.status == ReportStatus.SUBMITTED


# --- _require_editor ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["official_b", "leader", "anonymous"])
def test_submit_service_refuses_anyone_who_may_not_edit_the_unit(request, draft, who):
    user = request.getfixturevalue(who)
    error = refused(PermissionDenied, services.report_submit, report=draft, user=user)
    assert str(error) == "You may not change this unit's report."
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    assert not ReportTransition.objects.exists()


# --- _lock -------------------------------------------------------------------------------------


def test_lock_reads_the_report_with_its_period_campaign_and_unit_chain(
    draft, django_assert_num_queries
):
    with transaction.atomic():
        with django_assert_num_queries(1):
            report = services._lock(UnitReport(pk=draft.pk))
        with django_assert_num_queries(0):
            assert report.period.campaign.pk == draft.period.campaign_id
            chain = [report.unit, report.unit.parent, report.unit.parent.parent]
            assert [u.kind for u in chain] == ["ward", "city", "province"]
            assert report.unit.parent.parent.parent is None


# --- _log --------------------------------------------------------------------------------------


def test_submit_logs_one_transition_from_the_status_the_report_left(draft, official_a, approver):
    report = services.report_submit(report=draft, user=official_a)
    report = services.report_return(report=report, user=approver, reason="Thiếu số liệu")
    report = services.report_submit(report=UnitReport.objects.get(pk=report.pk), user=official_a)
    rows = list(
        ReportTransition.objects.filter(action="submit")
        .order_by("pk")
        .values_list("report_id", "from_status", "to_status", "actor_id", "reason", "version")
    )
    assert rows == [
        (report.pk, "draft", "submitted", official_a.pk, "", draft.version + 1),
        (report.pk, "returned", "submitted", official_a.pk, "", report.version),
    ]


def test_log_writes_the_audit_row_and_returns_it(draft, official_a):
    draft.status = ReportStatus.SUBMITTED
    with time_machine.travel(datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC), tick=False):
        row = services._log(
            draft,
            action="submit",
            from_status="draft",
            user=official_a,
            update_aggregates=False,
        )
    assert row == ReportTransition.objects.get()
    assert (row.reason, row.created_at) == (
        "",
        datetime.datetime(2026, 3, 4, 5, 6, tzinfo=datetime.UTC),
    )


def test_submit_counts_the_figures_and_bumps_the_cached_figures_version(
    draft, official_a, catalogue
):
    before = figures.current()
    assert aggregates.stored_all() == aggregates.compute_all()
    counted_before = aggregates.stored_all()
    services.report_submit(report=draft, user=official_a)
    assert figures.current() == before + 1
    stored = aggregates.stored_all()
    assert stored == aggregates.compute_all()
    assert stored != counted_before
    submitted = {k: v for k, v in stored.items() if k[2] == catalogue["cases"].pk}
    assert submitted and {total for total, _count, _max in submitted.values()} == {Decimal(4)}


def test_submit_reads_the_report_values_once(draft, official_a):
    """Its own values once (the aggregates take them from the submission), and last year's
    approved values once, for the change checks."""
    with CaptureQueriesContext(connection) as queries:
        services.report_submit(report=draft, user=official_a)
    read = [
        q["sql"] for q in queries.captured_queries if 'FROM "campaigns_reportvalue"' in q["sql"]
    ]
    own = [sql for sql in read if f'"campaigns_reportvalue"."report_id" = {draft.pk} ' in sql]
    assert (len(read), len(own)) == (2, 1)


# --- report_submit's notice --------------------------------------------------------------------


def test_on_the_city_report_the_approver_who_submits_is_not_told_of_his_own_submission(
    approver, city, period, catalogue
):
    other = UserFactory(username="approver-2", role="approver", unit=city)
    report = _saved(period, city, approver, catalogue, share="70.5")
    services.report_submit(report=report, user=approver)
    submitted = Notification.objects.filter(kind=Notification.Kind.REPORT_SUBMITTED)
    assert list(submitted.values_list("recipient", flat=True)) == [other.pk]


# --- _submit_locked: status, dates, problems, what it marks ------------------------------------


@pytest.fixture
def submitted(draft, official_a):
    return services.report_submit(report=draft, user=official_a)


def test_submit_service_says_a_submitted_report_waits_for_review(submitted, official_a):
    error = refused(
        services.InvalidTransition, services.report_submit, report=submitted, user=official_a
    )
    assert str(error) == (
        "This report has been submitted and waits for review: its figures cannot be changed."
    )
    assert ReportTransition.objects.count() == 1


def test_submit_service_says_an_approved_report_is_locked(submitted, official_a, approver):
    approved = services.report_approve(report=submitted, user=approver)
    error = refused(
        services.InvalidTransition, services.report_submit, report=approved, user=official_a
    )
    assert str(error) == "This report has been approved and is locked."
    assert ReportTransition.objects.count() == 2


def test_submit_service_refuses_a_draft_before_its_period_opens(period, draft, official_a):
    """The year is not closed (no query: its period closes later), but the period is not open."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    ReportingPeriod.objects.filter(pk=period.pk).update(opens_on=tomorrow)
    error = refused(services.ReportLocked, services.report_submit, report=draft, user=official_a)
    assert str(error) == f"Data entry for {period.year} is closed."
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT
    assert not ReportTransition.objects.exists()


def test_submit_service_lists_the_blocking_problems_only(period, unit_a, catalogue, official_a):
    # 5 solved of 4 cases blocks; 3 deaths in 1 accident only warns.
    report = _saved(
        period, unit_a, official_a, catalogue, cases="4", solved="5", accidents="1", deaths="3"
    )
    error = refused(
        services.SubmissionBlocked, services.report_submit, report=report, user=official_a
    )
    assert str(error) == "The report was not submitted: fix the problems listed."
    assert [(p.severity, p.kind, p.indicator_id) for p in error.problems] == [
        ("block", "rule", catalogue["solved"].pk)
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_submit_marks_the_report_submitted_at_step_zero_with_one_more_version(
    draft, official_a, approver
):
    first = datetime.datetime(2026, 3, 2, 3, 0, tzinfo=datetime.UTC)
    again = datetime.datetime(2026, 3, 9, 4, 0, tzinfo=datetime.UTC)
    version = draft.version
    with time_machine.travel(first, tick=False):
        report = services.report_submit(report=draft, user=official_a)
    report.refresh_from_db()
    assert (report.status, report.approval_step, report.version) == ("submitted", 0, version + 1)
    assert (report.submitted_at, report.submitted_by, report.first_submitted_at) == (
        first,
        official_a,
        first,
    )
    report = services.report_return(report=report, user=approver, reason="Thiếu")
    version = UnitReport.objects.get(pk=report.pk).version
    with time_machine.travel(again, tick=False):
        report = services.report_submit(
            report=UnitReport.objects.get(pk=report.pk), user=official_a
        )
    report.refresh_from_db()
    assert (report.status, report.approval_step, report.version) == ("submitted", 0, version + 1)
    # The first submission's day stays: it says whether the report came in on time.
    assert (report.submitted_at, report.first_submitted_at) == (again, first)


# --- _ensure_year_open -------------------------------------------------------------------------


def _locked(report_pk):
    return UnitReport.objects.select_related("period", "unit").get(pk=report_pk)


def test_a_report_whose_period_closes_today_is_open_without_a_query(
    period, draft, django_assert_num_queries
):
    report = _locked(draft.pk)
    with time_machine.travel(period.closes_on), django_assert_num_queries(0):
        services._ensure_year_open(report)


def _close_the_year(period):
    closed_on = timezone.localdate() - datetime.timedelta(days=1)
    ReportingPeriod.objects.filter(pk=period.pk).update(
        opens_on=min(period.opens_on, closed_on), due_on=closed_on, closes_on=closed_on
    )


def test_a_report_of_a_closed_year_takes_no_transition(period, unit_a, draft, approver):
    _close_the_year(period)
    report = _locked(draft.pk)
    error = refused(services.ReportLocked, services._ensure_year_open, report=report)
    assert str(error) == (
        f"{period.year} is closed for Phường 1: the figures of a closed year no longer change. "
        "An approver can reopen the year for this unit, with a reason."
    )
    YearReopening.objects.create(
        unit=unit_a,
        year=period.year,
        reason="Sai",
        reopened_by=approver,
        reopened_at=timezone.now(),
    )
    services._ensure_year_open(report)
