"""Report events notify the other side, in the same transaction; remarks on single figures."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.checks import Entry
from campaigns.models import ReportNudge, ReportStatus, ReviewRemark
from campaigns.notifications import due_phrase, report_approvers
from tests.campaigns.helpers import detail_url, entry_url, form_data, submit_values
from tests.factories import UnitFactory, UserFactory
from wards.models import Notification

pytestmark = pytest.mark.django_db


def _submitted(period, unit, user, catalogue, **values):
    values = values or {"cases": "4", "solved": "3"}
    return submit_values(period, unit, user, catalogue, **values)


def _texts(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", "text"))


def test_submission_notifies_the_approvers_of_the_unit_only(
    official_a, official_b, approver, leader, unit_a, period, catalogue
):
    other_city = UnitFactory(kind="city", name="TP. Khác", slug="tp-khac", code="C9")
    other_approver = UserFactory(username="approver-khac", role="approver", unit=other_city)
    _submitted(period, unit_a, official_a, catalogue)
    assert _texts(approver) == [
        ("report_submitted", f"Phường 1 đã nộp báo cáo năm {period.year} để duyệt.")
    ]
    note = Notification.objects.get(recipient=approver)
    assert note.url == detail_url(unit_a, period.year)
    for nobody in (official_a, official_b, leader, other_approver):
        assert _texts(nobody) == []


def test_approvers_told_are_those_of_the_reports_level(
    official_a, unit_a, city, province, approver, period, catalogue
):
    # With no approval level kept for the year, the unit right above the ward decides.
    UserFactory(username="approver-tinh", role="approver", unit=province)
    UserFactory(username="approver-off", role="approver", unit=city, is_active=False)
    report = _submitted(period, unit_a, official_a, catalogue)
    assert report_approvers(report) == [approver]
    assert Notification.objects.filter(kind="report_submitted").count() == 1


def test_blocked_submission_leaves_no_notification(official_a, approver, unit_a, period, catalogue):
    with pytest.raises(services.SubmissionBlocked):
        _submitted(period, unit_a, official_a, catalogue, cases="4", solved="5")
    assert not Notification.objects.exists()


def test_return_approve_and_reopen_notify_the_units_officials(
    official_a, official_b, approver, unit_a, period, catalogue
):
    colleague = UserFactory(username="official-a2", role="official", unit=unit_a)
    report = _submitted(period, unit_a, official_a, catalogue)
    report = services.report_return(report=report, user=approver, reason="Kiểm tra số vụ.")
    report = services.report_submit(report=report, user=official_a)
    report = services.report_approve(report=report, user=approver)
    services.report_reopen(report=report, user=approver, reason="Sai số người.")
    year = period.year
    expected = [
        ("report_reopened", f"Báo cáo năm {year} của Phường 1 đã duyệt được mở lại: Sai số người."),
        ("report_approved", f"Báo cáo năm {year} của Phường 1 đã được duyệt."),
        ("report_returned", f"Báo cáo năm {year} của Phường 1 bị trả lại: Kiểm tra số vụ."),
    ]
    assert _texts(official_a) == expected
    assert _texts(colleague) == expected
    assert _texts(official_b) == []
    # The approver hears of the two submissions, not of their own actions.
    assert [k for k, _t in _texts(approver)] == ["report_submitted", "report_submitted"]


def test_return_with_remarks_shows_each_beside_its_field(
    login, official_a, approver, unit_a, period, catalogue
):
    report = _submitted(period, unit_a, official_a, catalogue)
    cases, fines = catalogue["cases"], catalogue["fines"]
    login(approver).post(
        reverse("campaigns:report_return", args=[period.year, unit_a.slug]),
        {
            "return-version": report.version,
            "return-reason": "Xem nhận xét từng chỉ tiêu.",
            f"remark-{cases.pk}": "Số vụ thấp bất thường so với năm trước.",
            f"remark-{fines.pk}": "   ",
        },
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    remark = ReviewRemark.objects.get()
    assert (remark.indicator, remark.text) == (cases, "Số vụ thấp bất thường so với năm trước.")
    note = Notification.objects.get(recipient=official_a)
    assert "1 nhận xét" in note.details

    body = login(official_a).get(entry_url(unit_a, period.year)).content.decode()
    field_at = body.index(f'id="id_v_{cases.code}"')
    remark_at = body.index(f'id="remark-{cases.code}"')
    label_at = body.index(f'for="id_v_{cases.code}"')
    assert label_at < remark_at < field_at  # in the field's row, before its input
    assert "Số vụ thấp bất thường so với năm trước." in body
    assert f'id="remark-{fines.code}"' not in body

    # Once resubmitted, the remarks are no longer shown as open.
    login(official_a).post(
        entry_url(unit_a, period.year),
        form_data(catalogue, version=report.version, action="submit", cases="4", solved="3"),
    )
    body = login(official_a).get(detail_url(unit_a, period.year)).content.decode()
    assert 'id="remark-' not in body


def test_a_remark_on_an_indicator_not_on_the_report_is_refused(
    official_a, approver, unit_a, period, catalogue
):
    report = _submitted(period, unit_a, official_a, catalogue)
    city_indicator = catalogue["share"]
    with pytest.raises(services.ValidationError):
        services.report_return(
            report=report, user=approver, reason="x", remarks={city_indicator.pk: "không có"}
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert not ReviewRemark.objects.exists()


def test_due_phrase_counts_days_both_ways():
    due = datetime.date(2026, 12, 15)
    assert due_phrase(due, datetime.date(2026, 12, 10)) == "còn 5 ngày"
    assert due_phrase(due, due) == "đến hạn hôm nay"
    assert due_phrase(due, datetime.date(2026, 12, 22)) == "quá hạn 7 ngày"


# --- the approver's "Nhắc nhở" -----------------------------------------------------------


def _nudge_url(period, unit):
    return reverse("campaigns:report_nudge", args=[period.year, unit.slug])


def _after_due(period, days=3):
    return time_machine.travel(
        datetime.datetime.combine(
            period.due_on + datetime.timedelta(days=days),
            datetime.time(9),
            tzinfo=timezone.get_current_timezone(),
        ),
        tick=False,
    )


def test_nudge_reaches_the_late_units_officials_once_a_day(
    login, client, approver, official_a, official_b, unit_a, period, catalogue
):
    with _after_due(period):
        page = login(approver).get(reverse("campaigns:completeness", args=[period.year]))
        # Both wards and the city's own report (filled by the approver) are late.
        assert page.content.decode().count("nudge-button") == 3
        response = client.post(_nudge_url(period, unit_a), follow=True)
        assert "Phường 1 đã được nhắc (1 người nhận)." in response.content.decode()
        assert _texts(official_a) == [
            (
                "reminder",
                f"approver nhắc: báo cáo năm {period.year} của Phường 1 chưa nộp (quá hạn 3 ngày).",
            )
        ]
        response = client.post(_nudge_url(period, unit_a), follow=True)
        assert "Phường 1 đã được nhắc hôm nay." in response.content.decode()
        assert Notification.objects.filter(recipient=official_a).count() == 1
        assert ReportNudge.objects.get().sent_by == approver
        page = client.get(reverse("campaigns:completeness", args=[period.year]))
        assert page.content.decode().count("nudge-button") == 2
        assert _texts(official_b) == []
    with _after_due(period, days=4):
        login(approver).post(_nudge_url(period, unit_a))
        assert Notification.objects.filter(recipient=official_a).count() == 2


def test_nudge_refused_before_due_and_after_submission(
    login, client, approver, official_a, unit_a, period, catalogue
):
    login(approver)
    client.post(_nudge_url(period, unit_a))  # due in a month
    assert not ReportNudge.objects.exists()
    _submitted(period, unit_a, official_a, catalogue)
    with _after_due(period):
        client.post(_nudge_url(period, unit_a))
    assert not ReportNudge.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "official", "leader"])
def test_nudge_is_for_approvers_only(login, client, who, official_a, leader, unit_a, period):
    with _after_due(period):
        if who == "official":
            login(official_a)
        elif who == "leader":
            login(leader)
        response = client.post(_nudge_url(period, unit_a))
    if who == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == 403
    assert not ReportNudge.objects.exists()


def test_nudge_of_a_unit_in_another_city_is_404(login, client, approver, period):
    other_city = UnitFactory(kind="city", name="TP. Khác", slug="tp-khac", code="C9")
    far = UnitFactory(kind="ward", name="Phường Xa", slug="phuong-xa", code="W9", parent=other_city)
    with _after_due(period):
        response = login(approver).post(_nudge_url(period, far))
    assert response.status_code == 404


# --- with main's approval levels (issue 9) and the one-step save-and-submit -----------------


def test_each_level_of_a_two_step_chain_hears_in_turn(
    official_a, approver, leader, unit_a, city, province, period, catalogue
):
    from campaigns.models import ApprovalLevel

    for step, tier in ((1, "district"), (2, "province")):
        ApprovalLevel.objects.create(
            name=f"Cấp {step}",
            reporter="commune_level",
            step=step,
            tier=tier,
            valid_from_year=2015,
        )
    province_approver = UserFactory(username="approver-tinh", role="approver", unit=province)
    report = _submitted(period, unit_a, official_a, catalogue)
    # The first step's approvers are told of the submission; the province not yet.
    assert [k for k, _t in _texts(approver)] == ["report_submitted"]
    assert _texts(province_approver) == []
    report = services.report_approve(report=report, user=approver)
    assert report.status == ReportStatus.SUBMITTED
    # The city's approval passes the report on: the province hears, the unit not yet.
    ((kind, text),) = _texts(province_approver)
    assert kind == "report_submitted"
    assert text.startswith(f"Báo cáo năm {period.year} của Phường 1 đã được Công an TP. ")
    assert _texts(official_a) == []
    services.report_approve(report=report, user=province_approver)
    assert _texts(official_a) == [
        ("report_approved", f"Báo cáo năm {period.year} của Phường 1 đã được duyệt.")
    ]
    assert [k for k, _t in _texts(approver)] == ["report_submitted"]
    assert _texts(leader) == []


def test_save_and_submit_in_one_step_notifies_the_approvers(
    official_a, approver, unit_a, period, catalogue
):
    entries = {catalogue["cases"].pk: Entry(Decimal(4)), catalogue["solved"].pk: Entry(Decimal(3))}
    services.report_save_and_submit(
        period=period, unit=unit_a, user=official_a, entries=entries, expected_version=0
    )
    assert _texts(approver) == [
        ("report_submitted", f"Phường 1 đã nộp báo cáo năm {period.year} để duyệt.")
    ]


def test_remark_fields_are_named_by_the_plain_indicator_id(
    login, official_a, approver, unit_a, period, catalogue
):
    """Ids of 1000 and more must not be grouped ("remark-1.234"): the view reads plain digits.
    PostgreSQL's sequences reach such ids once the demo has been loaded a few times."""
    from tests.campaigns.factories import IndicatorFactory

    IndicatorFactory(id=12345, code="big_id", name_vi="Chỉ tiêu có mã lớn")
    report = _submitted(period, unit_a, official_a, catalogue)
    page = login(approver).get(detail_url(unit_a, period.year)).content.decode()
    assert 'name="remark-12345"' in page and 'id="remark-input-12345"' in page
    assert "remark-12.345" not in page
    assert report.status == ReportStatus.SUBMITTED
