"""Submit → return (with a reason) → resubmit → approve → locked → reopen, with the audit."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from campaigns import services
from campaigns.models import ReportStatus, ReportTransition, UnitReport
from tests.campaigns.helpers import detail_url, entry_url, form_data, save_values
from tests.factories import UserFactory
from wards.models import Notification

pytestmark = pytest.mark.django_db


_save = save_values


def _submitted(period, unit, user, catalogue):
    report = _save(period, unit, user, catalogue, cases="4", solved="3")
    return services.report_submit(report=report, user=user)


def test_full_cycle_through_the_pages(
    login, client, official_a, approver, unit_a, period, catalogue
):
    # The official fills in and submits.
    login(official_a).post(
        entry_url(unit_a, period.year),
        form_data(catalogue, action="submit", cases="4", solved="5"),
    )
    assert not UnitReport.objects.exists()  # blocked: solved > cases
    login(official_a).post(
        entry_url(unit_a, period.year),
        form_data(catalogue, action="submit", cases="4", solved="3"),
    )
    report = UnitReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED

    # The approver returns it with a reason.
    approver_client = login(approver)
    url = reverse("campaigns:report_return", args=[period.year, unit_a.slug])
    approver_client.post(url, {"return-version": report.version, "return-reason": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED  # no reason, no return
    approver_client.post(
        url, {"return-version": report.version, "return-reason": "Kiểm tra lại số vụ."}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    # The official sees the reason on the entry page, fixes and resubmits.
    official = login(official_a)
    body = official.get(entry_url(unit_a, period.year)).content.decode()
    assert "Kiểm tra lại số vụ." in body
    official.post(
        entry_url(unit_a, period.year),
        form_data(catalogue, version=report.version, action="submit", cases="5", solved="3"),
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    # The approver approves; the report is locked for the official.
    login(approver).post(
        reverse("campaigns:report_approve", args=[period.year, unit_a.slug]),
        {"version": report.version},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.approved_by == approver
    official = login(official_a)
    assert official.get(entry_url(unit_a, period.year)).status_code == 302
    official.post(
        entry_url(unit_a, period.year),
        form_data(catalogue, version=report.version, cases="50", solved="3"),
    )
    report.refresh_from_db()
    assert report.values.get(indicator=catalogue["cases"]).value == 5

    # The history shows every step with who, when and why.
    actions = list(
        ReportTransition.objects.filter(report=report).values_list("action", "actor__username")
    )
    assert actions == [
        ("submit", "official-a"),
        ("return", "approver"),
        ("submit", "official-a"),
        ("approve", "approver"),
    ]
    body = official.get(detail_url(unit_a, period.year)).content.decode()
    for label in ["Đã nộp", "Bị trả lại", "Đã duyệt", "Kiểm tra lại số vụ."]:
        assert label in body


def test_return_needs_a_reason(approver, official_a, unit_a, period, catalogue):
    report = _submitted(period, unit_a, official_a, catalogue)
    with pytest.raises(ValidationError):
        services.report_return(report=report, user=approver, reason="   ")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_only_a_submitted_report_can_be_approved_or_returned(
    approver, official_a, unit_a, period, catalogue
):
    report = _save(period, unit_a, official_a, catalogue, cases="1")
    with pytest.raises(services.InvalidTransition):
        services.report_approve(report=report, user=approver)
    with pytest.raises(services.InvalidTransition):
        services.report_return(report=report, user=approver, reason="x")


def test_official_cannot_approve_own_report(official_a, unit_a, period, catalogue):
    report = _submitted(period, unit_a, official_a, catalogue)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, user=official_a)


def test_leader_cannot_edit_or_approve(leader, official_a, unit_a, period, catalogue):
    report = _submitted(period, unit_a, official_a, catalogue)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, user=leader)
    with pytest.raises(PermissionDenied):
        _save(period, unit_a, leader, catalogue, version=report.version, cases="9")


def test_approver_cannot_edit_values_of_a_submitted_report(
    login, approver, official_a, unit_a, period, catalogue
):
    report = _submitted(period, unit_a, official_a, catalogue)
    with pytest.raises(PermissionDenied):
        _save(period, unit_a, approver, catalogue, version=report.version, cases="9")
    response = login(approver).post(
        entry_url(unit_a, period.year),
        form_data(catalogue, version=report.version, cases="9"),
    )
    assert response.status_code == 403
    assert report.values.get(indicator=catalogue["cases"]).value == 4


def test_submitted_report_is_locked_even_for_its_editor(official_a, unit_a, period, catalogue):
    report = _submitted(period, unit_a, official_a, catalogue)
    with pytest.raises(services.ReportLocked):
        _save(period, unit_a, official_a, catalogue, version=report.version, cases="9")


def test_city_report_is_filled_by_the_approver_and_approved_by_someone_else(
    approver, admin_user, city, period, catalogue
):
    report = _save(period, city, approver, catalogue, share="70.5")
    report = services.report_submit(report=report, user=approver)
    # Four eyes: the approver who submitted it cannot approve it…
    with pytest.raises(services.InvalidTransition):
        services.report_approve(report=report, user=approver)
    # …another approver or an administrator can.
    other = UserFactory(username="approver-2", role="approver", unit=city)
    report = services.report_approve(report=report, user=other)
    assert report.status == ReportStatus.APPROVED
    services.report_reopen(report=report, user=admin_user, reason="Sai tỷ lệ.")
    report = services.report_submit(report=UnitReport.objects.get(pk=report.pk), user=approver)
    report = services.report_approve(report=report, user=admin_user)
    assert report.values.get().value == Decimal("70.5")


def test_ward_indicator_is_not_accepted_on_the_city_report(approver, city, period, catalogue):
    with pytest.raises(ValidationError):
        _save(period, city, approver, catalogue, cases="3")


def test_reopen_needs_a_reason_and_sends_the_report_back(
    approver, official_a, unit_a, period, catalogue
):
    report = services.report_approve(
        report=_submitted(period, unit_a, official_a, catalogue), user=approver
    )
    with pytest.raises(ValidationError):
        services.report_reopen(report=report, user=approver, reason="")
    report = services.report_reopen(report=report, user=approver, reason="Bổ sung số liệu.")
    assert report.status == ReportStatus.RETURNED
    assert report.return_reason == "Bổ sung số liệu."
    assert report.approved_at is None
    # The unit can change it again.
    report = _save(period, unit_a, official_a, catalogue, version=report.version, cases="6")
    assert report.values.get(indicator=catalogue["cases"]).value == 6


def test_reopen_page_action(login, approver, official_a, unit_a, period, catalogue):
    services.report_approve(report=_submitted(period, unit_a, official_a, catalogue), user=approver)
    url = reverse("campaigns:report_reopen", args=[period.year, unit_a.slug])
    login(official_a).post(url, {"reopen-version": 3, "reopen-reason": "x"})
    assert UnitReport.objects.get().status == ReportStatus.APPROVED
    login(approver).post(url, {"reopen-version": 3, "reopen-reason": "Sửa số vụ."})
    assert UnitReport.objects.get().status == ReportStatus.RETURNED


def test_closed_period_takes_no_change_until_the_year_is_reopened_for_the_unit(
    approver, official_a, official_b, unit_a, unit_b, period, catalogue
):
    """Issue 10: a closed year is closed, a report sent back included, until an approver
    reopens that year for the unit (with a reason)."""
    from wards import services as ward_services

    report = _submitted(period, unit_a, official_a, catalogue)
    services.report_return(report=report, user=approver, reason="Sửa.")
    period.closes_on = period.opens_on
    period.due_on = period.opens_on
    period.save()
    report = UnitReport.objects.get()
    with pytest.raises(services.ReportLocked):
        _save(period, unit_a, official_a, catalogue, version=report.version, cases="7")
    ward_services.year_reopen(unit=unit_a, year=period.year, user=approver, reason="Sửa số liệu")
    report = _save(period, unit_a, official_a, catalogue, version=report.version, cases="7")
    assert report.values.get(indicator=catalogue["cases"]).value == 7
    with pytest.raises(services.ReportLocked):  # reopened for unit A only
        _save(period, unit_b, official_b, catalogue, cases="1")
    assert not UnitReport.objects.filter(unit=unit_b).exists()


def test_report_page_query_count_does_not_grow_with_history_or_indicators(
    login, approver, official_a, unit_a, period, catalogue, django_assert_max_num_queries
):
    from tests.campaigns.factories import IndicatorFactory, SectionFactory

    report = _submitted(period, unit_a, official_a, catalogue)
    client = login(approver)
    with django_assert_max_num_queries(20) as few:
        assert client.get(detail_url(unit_a, period.year)).status_code == 200
    services.report_return(report=report, user=approver, reason="Sửa.")
    for n in range(5):
        report = UnitReport.objects.get()
        report = _save(
            period, unit_a, official_a, catalogue, version=report.version, cases=str(n + 5)
        )
    section = SectionFactory(code="more")
    for n in range(20):
        IndicatorFactory(code=f"more_{n}", section=section)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(detail_url(unit_a, period.year)).status_code == 200


def test_on_the_city_report_the_approver_who_acts_is_not_told_of_his_own_decision(
    approver, city, period, catalogue
):
    """The city's approvers are the editors of its own report: the one who approves, returns or
    reopens it is left out of the notice, the one who filled it is told (mutmut: actor=None)."""
    other = UserFactory(username="approver-2", role="approver", unit=city)

    def notices(user, kind):
        return Notification.objects.filter(recipient=user, kind=kind).count()

    report = services.report_submit(
        report=_save(period, city, approver, catalogue, share="70.5"), user=approver
    )
    report = services.report_return(report=report, user=other, reason="Thiếu số liệu.")
    kind = Notification.Kind
    assert (notices(approver, kind.REPORT_RETURNED), notices(other, kind.REPORT_RETURNED)) == (1, 0)
    report = services.report_submit(report=UnitReport.objects.get(pk=report.pk), user=approver)
    report = services.report_approve(report=report, user=other)
    assert (notices(approver, kind.REPORT_APPROVED), notices(other, kind.REPORT_APPROVED)) == (1, 0)
    services.report_reopen(report=report, user=other, reason="Sai tỷ lệ.")
    assert (notices(approver, kind.REPORT_REOPENED), notices(other, kind.REPORT_REOPENED)) == (1, 0)
