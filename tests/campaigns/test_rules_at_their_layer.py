"""The reports core's rules tested where they live: the services and selectors, not the views.

Each test here was written against a fault that survived the whole suite when the rule was only
exercised through a view, a form or the database (issue 14): the service itself must refuse.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from campaigns import aggregates, approvals, selectors, services
from campaigns.models import (
    ApprovalLevel,
    ImportBatch,
    ReportingPeriod,
    ReportStatus,
    ReviewRemark,
    UnitReport,
)
from tests.campaigns.factories import (
    CampaignFactory,
    IndicatorFactory,
    PeriodFactory,
    ReportFactory,
)
from tests.campaigns.helpers import refused, submit_values
from tests.factories import UnitFactory, UserFactory
from wards.models import Notification, YearReopening

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def other_city(province):
    return UnitFactory(kind="city", name="TP. Khác", slug="tp-khac", code="C2", parent=province)


@pytest.fixture
def other_approver(other_city):
    """An approver of another city of the same province: another ground."""
    return UserFactory(username="other-approver", role="approver", unit=other_city)


@pytest.fixture
def province_approver(province):
    """Sees the city's wards (they are on the province's ground) but decides no city step."""
    return UserFactory(username="province-approver", role="approver", unit=province)


def _submitted(period, unit, catalogue, official):
    return submit_values(period, unit, official, catalogue, cases=3)


@pytest.fixture
def submitted(period, unit_a, catalogue, official_a):
    return _submitted(period, unit_a, catalogue, official_a)


@pytest.fixture
def approved(submitted, approver):
    return services.report_approve(report=submitted, user=approver)


# --- approver scope on approve / return / reopen -------------------------------------------


@pytest.mark.parametrize("who", ["other_approver", "province_approver"])
def test_approve_service_refuses_an_approver_who_does_not_decide_the_step(request, who, submitted):
    with pytest.raises(PermissionDenied):
        services.report_approve(report=submitted, user=request.getfixturevalue(who))
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED and submitted.approved_by is None


@pytest.mark.parametrize("who", ["other_approver", "province_approver"])
def test_return_service_refuses_an_approver_who_does_not_decide_the_step(request, who, submitted):
    with pytest.raises(PermissionDenied):
        services.report_return(report=submitted, user=request.getfixturevalue(who), reason="Sai")
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED and submitted.return_reason == ""


@pytest.mark.parametrize("who", ["other_approver", "province_approver"])
def test_reopen_service_refuses_an_approver_who_is_not_the_last_level(request, who, approved):
    with pytest.raises(PermissionDenied):
        services.report_reopen(report=approved, user=request.getfixturevalue(who), reason="Sai")
    approved.refresh_from_db()
    assert approved.status == ReportStatus.APPROVED


def test_the_city_approver_may_approve_reopen_and_return(submitted, approver, official_a):
    """The happy path of the three guards above, so that they refuse for the right reason."""
    report = services.report_approve(report=submitted, user=approver)
    assert report.status == ReportStatus.APPROVED
    report = services.report_reopen(report=report, user=approver, reason="Sai số liệu")
    assert report.status == ReportStatus.RETURNED
    report = services.report_submit(report=report, user=official_a)
    report = services.report_return(report=report, user=approver, reason="Thiếu số liệu")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "Thiếu số liệu"


# --- reopening a report that is not approved -------------------------------------------------


@pytest.mark.parametrize("returned", [False, True])
def test_reopen_service_refuses_a_report_that_is_not_approved(returned, submitted, approver):
    if returned:
        submitted = services.report_return(report=submitted, user=approver, reason="Thiếu")
    status, version = submitted.status, submitted.version
    with pytest.raises(services.InvalidTransition):
        services.report_reopen(report=submitted, user=approver, reason="Mở lại")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version) == (status, version)


def test_only_an_approved_report_may_be_reopened_by_its_last_level(submitted, approver):
    assert approvals.may_reopen(approver, submitted) is False
    services.report_approve(report=submitted, user=approver)
    submitted.refresh_from_db()
    assert approvals.may_reopen(approver, submitted) is True


# --- bulk approval scope ---------------------------------------------------------------------


def test_bulk_approve_service_does_not_even_see_a_report_outside_the_approver_scope(
    period, catalogue, approver, other_city, submitted
):
    """Same period, a ward of another city: the report is neither approved nor listed as
    skipped (listing it would name another city's unit to this approver)."""
    outsider = ReportFactory(
        period=period,
        unit=UnitFactory(parent=other_city, name="Phường Ngoài"),
        status=ReportStatus.SUBMITTED,
        version=2,
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
        submitted_by=UserFactory(),
    )
    result = services.reports_bulk_approve(
        period=period,
        user=approver,
        selection={outsider.pk: outsider.version, submitted.pk: submitted.version},
    )
    assert [r.pk for r in result.approved] == [submitted.pk]
    assert result.skipped == []
    outsider.refresh_from_db()
    assert outsider.status == ReportStatus.SUBMITTED


def test_bulk_approve_service_refuses_a_user_who_is_no_approver(period, official_b, submitted):
    with pytest.raises(PermissionDenied):
        services.reports_bulk_approve(
            period=period, user=official_b, selection={submitted.pk: submitted.version}
        )


# --- import batch ownership ------------------------------------------------------------------


def test_import_apply_refuses_a_batch_staged_by_someone_else(
    period, unit_a, catalogue, official_a, approver
):
    batch = ImportBatch.objects.create(
        created_by=approver,
        period=period,
        file_name="so-lieu.xlsx",
        rows=[
            {
                "unit_id": unit_a.pk,
                "indicator_id": catalogue["cases"].pk,
                "value": "5",
                "comment": "",
                "changed": True,
            }
        ],
        versions={},
    )
    with pytest.raises(PermissionDenied):
        services.import_apply(batch=batch, user=official_a)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert not unit_a.reports.exists()


# --- units that existed during the year, not only at its end ---------------------------------


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "expected"),
    [
        (D(2008, 1, 1), D(2025, 6, 30), True),  # merged away mid-year: still reports that year
        (D(2008, 1, 1), D(2025, 1, 1), True),  # its last day is the year's first
        (D(2025, 12, 31), None, True),  # created on the year's last day
        (D(2008, 1, 1), D(2024, 12, 31), False),  # ended the year before
        (D(2026, 1, 1), None, False),  # created the year after
    ],
)
def test_period_for_unit_counts_a_unit_that_existed_at_any_time_in_the_year(
    city, valid_from, valid_to, expected
):
    campaign = CampaignFactory(city=city)
    period = PeriodFactory(campaign=campaign, year=2025)
    unit = UnitFactory(parent=city, valid_from=valid_from, valid_to=valid_to)
    assert (selectors.period_for_unit(unit, 2025) == period) is expected


# --- mutmut survivors of the report workflow (campaigns/services.py) -------------------------


def test_locked_message_says_why_the_figures_cannot_change(period, unit_a):
    report = ReportFactory.build(period=period, unit=unit_a, status=ReportStatus.SUBMITTED)
    with translation.override("en"):
        assert services.locked_message(report) == (
            "This report has been submitted and waits for review: its figures cannot be changed."
        )
        report.status = ReportStatus.APPROVED
        assert services.locked_message(report) == "This report has been approved and is locked."
        report.status = ReportStatus.DRAFT
        assert services.locked_message(report) == f"Data entry for {period.year} is closed."


@pytest.mark.parametrize("user", [AnonymousUser(), None])
def test_bulk_approve_service_refuses_anyone_without_the_approver_role(period, submitted, user):
    with translation.override("en"), pytest.raises(PermissionDenied) as error:
        services.reports_bulk_approve(
            period=period, user=user, selection={submitted.pk: submitted.version}
        )
    assert str(error.value) == "Only the approvers of this report can review it."
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_bulk_approve_service_says_why_each_report_is_skipped(
    period, unit_a, unit_b, submitted, approver
):
    draft = ReportFactory(period=period, unit=unit_b, version=4)
    with translation.override("en"):
        result = services.reports_bulk_approve(
            period=period,
            user=approver,
            selection={submitted.pk: submitted.version - 1, draft.pk: draft.version},
        )
    assert result.approved == []
    assert [(r.pk, reason) for r, reason in result.skipped] == [
        (submitted.pk, "changed since you opened the list"),
        (draft.pk, "not waiting for approval"),
    ]


def test_bulk_approve_service_keeps_to_the_period_it_is_given(
    period, last_period, unit_a, submitted, approver, official_a
):
    earlier = ReportFactory(
        period=last_period,
        unit=unit_a,
        status=ReportStatus.SUBMITTED,
        version=2,
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
        submitted_by=official_a,
    )
    result = services.reports_bulk_approve(
        period=period,
        user=approver,
        selection={earlier.pk: earlier.version, submitted.pk: submitted.version},
    )
    assert [r.pk for r in result.approved] == [submitted.pk]
    assert result.skipped == []
    earlier.refresh_from_db()
    assert earlier.status == ReportStatus.SUBMITTED


def test_bulk_approve_service_approves_only_the_selected_reports(
    period, unit_b, catalogue, official_b, submitted, approver
):
    """A clean report of the same period that was not ticked stays waiting."""
    other = _submitted(period, unit_b, catalogue, official_b)
    result = services.reports_bulk_approve(
        period=period, user=approver, selection={submitted.pk: submitted.version}
    )
    assert [r.pk for r in result.approved] == [submitted.pk]
    assert result.skipped == []
    other.refresh_from_db()
    assert other.status == ReportStatus.SUBMITTED and other.approved_by is None
    # The batch feeds the aggregates once: the kept figures equal a recomputation.
    assert aggregates.compute_all() == aggregates.stored_all()


def _bulk_skipped(period, user, report):
    with translation.override("en"):
        result = services.reports_bulk_approve(
            period=period, user=user, selection={report.pk: report.version}
        )
    assert result.approved == []
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.approved_by is None
    return [(r.pk, reason) for r, reason in result.skipped]


def test_bulk_approve_service_skips_a_report_the_approver_submitted(period, submitted, approver):
    UnitReport.objects.filter(pk=submitted.pk).update(submitted_by=approver)
    assert _bulk_skipped(period, approver, submitted) == [(submitted.pk, "submitted by you")]


def test_bulk_approve_service_skips_a_report_of_a_closed_year(period, submitted, approver):
    _close_the_year(period)
    assert _bulk_skipped(period, approver, submitted) == [(submitted.pk, "its year is closed")]


def test_bulk_approve_service_leaves_a_step_decided_at_another_level(
    period, submitted, province_approver
):
    assert _bulk_skipped(period, province_approver, submitted) == [
        (submitted.pk, "approved at another level")
    ]


def test_reopen_service_needs_a_reason(approved, approver):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.report_reopen(report=approved, user=approver, reason="  ")
    assert error.value.message_dict == {"reason": ["Say why the approved report is reopened."]}
    approved.refresh_from_db()
    assert approved.status == ReportStatus.APPROVED


def _refused(exc_type, service, **kwargs) -> str:
    """The message of ``service``'s refusal, in English."""
    return str(refused(exc_type, service, **kwargs))


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("other_approver", "Only the approvers of this report can review it."),
        ("province_approver", "Only the last approval level of this report can reopen it."),
    ],
)
def test_reopen_service_says_who_may_reopen(request, approved, who, message):
    user = request.getfixturevalue(who)
    refused = _refused(
        PermissionDenied, services.report_reopen, report=approved, user=user, reason="Sai"
    )
    assert refused == message


def test_reopen_service_says_only_an_approved_report_reopens(submitted, approver):
    refused = _refused(
        services.InvalidTransition,
        services.report_reopen,
        report=submitted,
        user=approver,
        reason="Mở lại",
    )
    assert refused == "Only an approved report can be reopened."


def _close_the_year(period):
    closed_on = timezone.localdate() - datetime.timedelta(days=1)
    ReportingPeriod.objects.filter(pk=period.pk).update(
        opens_on=min(period.opens_on, closed_on), due_on=closed_on, closes_on=closed_on
    )
    period.refresh_from_db()


def test_reopening_a_report_of_a_closed_year_reopens_that_year_for_its_unit(
    period, unit_a, unit_b, approved, approver
):
    _close_the_year(period)
    report = services.report_reopen(report=approved, user=approver, reason="Sai số liệu")
    assert report.status == ReportStatus.RETURNED
    reopening = YearReopening.objects.get()
    assert (reopening.unit, reopening.year, reopening.reason) == (
        unit_a,
        period.year,
        "Sai số liệu",
    )


# --- report_return: its reason, its remarks, its version and status checks -------------------


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_return_service_needs_a_reason(submitted, approver, reason):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.report_return(report=submitted, user=approver, reason=reason)
    assert error.value.message_dict == {
        "reason": ["Say why the report goes back, so the unit knows what to fix."]
    }
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_return_service_takes_a_remark_on_every_indicator_of_the_form(
    period, unit_a, submitted, approver
):
    on_form = [i.pk for i in selectors.indicators_for(unit_a, period.year)]
    remarks = {pk: f"Xem lại {n}" for n, pk in enumerate(on_form)}
    services.report_return(report=submitted, user=approver, reason="Thiếu", remarks=remarks)
    assert dict(ReviewRemark.objects.values_list("indicator_id", "text")) == remarks


def test_return_service_drops_a_blank_remark(period, unit_a, submitted, approver):
    first, second = [i.pk for i in selectors.indicators_for(unit_a, period.year)][:2]
    remarks = {first: "   ", second: " Xem lại "}
    services.report_return(report=submitted, user=approver, reason="Thiếu", remarks=remarks)
    assert dict(ReviewRemark.objects.values_list("indicator_id", "text")) == {second: "Xem lại"}


def test_return_service_refuses_a_remark_on_an_indicator_not_on_the_form(
    submitted, approver, catalogue
):
    stranger = IndicatorFactory(reporter="city")  # on the city's form, not the ward's
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.report_return(
            report=submitted, user=approver, reason="Thiếu", remarks={stranger.pk: "Sai"}
        )
    assert error.value.code == "unknown_indicator"
    assert error.value.messages == ["A remark is on an indicator that is not on this report."]
    assert not ReviewRemark.objects.exists()


def test_return_service_refuses_a_report_changed_since_it_was_opened(submitted, approver):
    with pytest.raises(services.ConcurrentEdit):
        services.report_return(
            report=submitted,
            user=approver,
            reason="Thiếu",
            expected_version=submitted.version - 1,
        )
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_return_service_says_only_a_submitted_report_goes_back(approved, approver):
    refused = _refused(
        services.InvalidTransition,
        services.report_return,
        report=approved,
        user=approver,
        reason="Thiếu",
    )
    assert refused == "Only a submitted report can be returned."


# --- report_approve ---------------------------------------------------------------------------


def test_approve_service_says_only_a_submitted_report_is_approved(approved, approver):
    refused = _refused(
        services.InvalidTransition, services.report_approve, report=approved, user=approver
    )
    assert refused == "Only a submitted report can be approved."


def test_approve_service_refuses_a_report_changed_since_it_was_opened(submitted, approver):
    with pytest.raises(services.ConcurrentEdit):
        services.report_approve(
            report=submitted, user=approver, expected_version=submitted.version - 1
        )
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED and submitted.approved_by is None


def test_bulk_approve_service_reads_the_approval_levels_once(
    period, unit_a, unit_b, catalogue, official_a, official_b, approver
):
    reports = [
        _submitted(period, unit_a, catalogue, official_a),
        _submitted(period, unit_b, catalogue, official_b),
    ]
    with CaptureQueriesContext(connection) as queries:
        result = services.reports_bulk_approve(
            period=period, user=approver, selection={r.pk: r.version for r in reports}
        )
    assert sorted(r.pk for r in result.approved) == sorted(r.pk for r in reports)
    read = [q for q in queries.captured_queries if 'FROM "campaigns_approvallevel"' in q["sql"]]
    assert len(read) == 1


def test_approve_service_reads_the_approval_levels_once(submitted, approver):
    with CaptureQueriesContext(connection) as queries:
        services.report_approve(report=submitted, user=approver)
    read = [q for q in queries.captured_queries if 'FROM "campaigns_approvallevel"' in q["sql"]]
    assert len(read) == 1


def test_approve_service_refuses_the_approver_who_submitted_the_report(submitted, approver):
    UnitReport.objects.filter(pk=submitted.pk).update(submitted_by=approver)
    refused = _refused(
        services.InvalidTransition, services.report_approve, report=submitted, user=approver
    )
    assert refused == (
        "You submitted this report yourself: another approver or an administrator approves it."
    )


def test_each_approval_moves_the_report_one_step_and_one_version(
    period, submitted, approver, province_approver
):
    for step, tier, name in [
        (1, "district", "Đội"),
        (2, "district", "Lãnh đạo"),
        (3, "province", "Tỉnh"),
    ]:
        ApprovalLevel.objects.create(
            name=name, reporter="commune_level", step=step, tier=tier, valid_from_year=period.year
        )
    version = submitted.version
    with translation.override("en"):
        report = services.report_approve(report=submitted, user=approver)
        assert (report.status, report.approval_step, report.version) == (
            "submitted",
            1,
            version + 1,
        )
        # The next step is his too: the one who acted is not told to act.
        assert not Notification.objects.filter(recipient=approver).exists()
        report = services.report_approve(report=report, user=approver)
        assert (report.status, report.approval_step, report.version) == (
            "submitted",
            2,
            version + 2,
        )
        report = services.report_approve(report=report, user=province_approver)
    assert (report.status, report.approval_step, report.version) == ("approved", 3, version + 3)
    reasons = list(
        report.transitions.filter(action="approve_step")
        .order_by("pk")
        .values_list("reason", flat=True)
    )
    # A step is named after the unit that decides it.
    assert reasons == [
        "Approved by Police of TP. Thử; waits for Police of TP. Thử.",
        "Approved by Police of TP. Thử; waits for Police of Tỉnh Thử.",
    ]


def test_approval_clears_the_reason_the_report_was_once_returned(submitted, approver, official_a):
    returned = services.report_return(report=submitted, user=approver, reason="Thiếu số liệu")
    resubmitted = services.report_submit(report=returned, user=official_a)
    report = services.report_approve(report=resubmitted, user=approver)
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (ReportStatus.APPROVED, "")


@pytest.mark.parametrize("service", [services.report_approve, services.report_return])
def test_approve_and_return_name_the_level_that_decides_the_step(
    submitted, province_approver, service
):
    kwargs = {"reason": "Thiếu"} if service is services.report_return else {}
    refused = _refused(
        PermissionDenied, service, report=submitted, user=province_approver, **kwargs
    )
    assert refused == "This report is approved at another level: Police of TP. Thử."


@pytest.mark.parametrize("who", ["official_a", "anonymous"])
@pytest.mark.parametrize("service", [services.report_approve, services.report_return])
def test_approve_and_return_refuse_anyone_who_is_no_approver_of_the_report(
    request, submitted, who, service
):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    kwargs = {"reason": "Thiếu"} if service is services.report_return else {}
    refused = _refused(PermissionDenied, service, report=submitted, user=user, **kwargs)
    assert refused == "Only the approvers of this report can review it."
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED


def test_submit_service_asks_to_save_a_report_first(period, unit_a, official_a):
    blank = selectors.report_or_blank(period, unit_a)
    refused = _refused(
        services.InvalidTransition, services.report_submit, report=blank, user=official_a
    )
    assert refused == "Save the report before submitting it."
    assert not UnitReport.objects.exists()


def test_return_at_a_later_step_starts_the_chain_again_with_one_more_version(
    period, submitted, approver, province_approver
):
    for step, tier in [(1, "district"), (2, "province")]:
        ApprovalLevel.objects.create(
            name=tier, reporter="commune_level", step=step, tier=tier, valid_from_year=period.year
        )
    report = services.report_approve(report=submitted, user=approver)
    version = report.version
    report = services.report_return(report=report, user=province_approver, reason="Thiếu")
    report.refresh_from_db()
    assert (report.status, report.approval_step, report.version) == ("returned", 0, version + 1)


def test_reopen_adds_one_version(approved, approver):
    version = approved.version
    report = services.report_reopen(report=approved, user=approver, reason="Sai số liệu")
    report.refresh_from_db()
    assert (report.status, report.version) == (ReportStatus.RETURNED, version + 1)
