"""Approval levels are data: the chain of a report comes from its year, a second level keeps
the report submitted until the last approves, and each level's approvers act only there."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from campaigns import approvals, services
from campaigns.models import ApprovalLevel, ReportStatus, ReportTransition
from tests.campaigns.helpers import submit_values
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _submitted(period, unit, user, catalogue):
    return submit_values(period, unit, user, catalogue, cases=4, solved=3)


@pytest.fixture
def province_approver(province):
    return UserFactory(username="approver-tinh", role="approver", unit=province)


def _level(year_from, tier, step=1, reporter="commune_level", year_to=None, name=None):
    return ApprovalLevel.objects.create(
        name=name or f"{tier} {step}",
        reporter=reporter,
        step=step,
        tier=tier,
        valid_from_year=year_from,
        valid_to_year=year_to,
    )


def test_without_levels_the_unit_above_approves(unit_a, city, period):
    chain = approvals.chain_for(unit_a, period.year)
    assert [(s.number, s.unit) for s in chain] == [(1, city)]


def test_the_year_decides_the_level(unit_a, city, province, period):
    _level(2015, "district", year_to=period.year - 1, name="Công an thành phố")
    _level(period.year, "province", name="Công an tỉnh")
    assert [s.unit for s in approvals.chain_for(unit_a, period.year - 1)] == [city]
    assert [s.unit for s in approvals.chain_for(unit_a, period.year)] == [province]
    assert approvals.chain_for(unit_a, period.year)[0].level.name == "Công an tỉnh"


def test_a_city_approver_cannot_approve_at_the_province_level(
    unit_a, province, period, catalogue, official_a, approver, province_approver
):
    _level(period.year, "province")
    report = _submitted(period, unit_a, official_a, catalogue)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, user=approver)
    with pytest.raises(PermissionDenied):
        services.report_return(report=report, user=approver, reason="Sai số liệu.")
    report = services.report_approve(report=report, user=province_approver)
    assert report.status == ReportStatus.APPROVED and report.approval_step == 1
    assert approvals.approvers_for(report) == []  # nothing pending any more


def test_a_second_level_keeps_the_report_submitted_until_it_approves(
    unit_a, city, province, period, catalogue, official_a, approver, province_approver
):
    _level(2015, "district", step=1, name="Công an thành phố")
    _level(2015, "province", step=2, name="Công an tỉnh")
    report = _submitted(period, unit_a, official_a, catalogue)
    assert approvals.approvers_for(report) == [approver]
    # The province cannot skip the city's step.
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, user=province_approver)
    report = services.report_approve(report=report, user=approver)
    assert (report.status, report.approval_step) == (ReportStatus.SUBMITTED, 1)
    assert approvals.approvers_for(report) == [province_approver]
    # The first level has spoken: it cannot approve the second step.
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, user=approver)
    report = services.report_approve(report=report, user=province_approver)
    assert (report.status, report.approval_step) == (ReportStatus.APPROVED, 2)
    actions = list(ReportTransition.objects.filter(report=report).values_list("action", flat=True))
    assert actions == ["submit", "approve_step", "approve"]
    # Reopening belongs to the last level; a return at the second level starts again.
    with pytest.raises(PermissionDenied):
        services.report_reopen(report=report, user=approver, reason="Xem lại.")
    report = services.report_reopen(report=report, user=province_approver, reason="Xem lại.")
    assert (report.status, report.approval_step) == (ReportStatus.RETURNED, 0)


def test_bulk_approval_skips_reports_of_another_level(
    unit_a, unit_b, province, period, catalogue, official_a, official_b, approver
):
    _level(period.year, "province")
    a = _submitted(period, unit_a, official_a, catalogue)
    b = _submitted(period, unit_b, official_b, catalogue)
    result = services.reports_bulk_approve(
        period=period, user=approver, selection={a.pk: a.version, b.pk: b.version}
    )
    assert result.approved == []
    assert {r.pk for r, _reason in result.skipped} == {a.pk, b.pk}
    a.refresh_from_db()
    assert a.status == ReportStatus.SUBMITTED


def test_the_report_page_names_the_level_and_offers_review_only_to_it(
    login, unit_a, province, period, catalogue, official_a, approver, province_approver
):
    _level(period.year, "province", name="Cấp tỉnh duyệt")
    _submitted(period, unit_a, official_a, catalogue)
    url = reverse("campaigns:report_detail", args=[period.year, unit_a.slug])
    city_page = login(approver).get(url)
    assert "Công an Tỉnh Thử" in city_page.content.decode()
    assert city_page.context["can_review"] is False
    assert login(province_approver).get(url).context["can_review"] is True
    response = login(approver).post(
        reverse("campaigns:report_approve", args=[period.year, unit_a.slug]),
        {"version": city_page.context["report"].version},
    )
    assert response.status_code == 403


def test_an_ended_approving_unit_passes_its_rights_to_the_ground_that_holds_it(
    unit_a, city, province, period, catalogue, official_a, approver
):
    """The city police were dissolved: the approvers whose ground holds the city decide."""
    import datetime

    from tests.factories import UnitFactory
    from wards.models import UnitChange

    report = _submitted(period, unit_a, official_a, catalogue)
    successor = UnitFactory(kind="province", slug="tinh-moi")
    change = UnitChange.objects.create(kind="merge", effective_date=datetime.date(2025, 7, 1))
    change.predecessors.set([province])
    change.successors.set([successor])
    heir = UserFactory(username="approver-moi", role="approver", unit=successor)
    with pytest.raises(PermissionDenied):  # the city still exists: its approvers decide
        services.report_approve(report=report, user=heir)
    city.valid_to = datetime.date(2025, 6, 30)
    city.save()
    report = services.report_approve(report=report, user=heir)
    assert report.status == ReportStatus.APPROVED
