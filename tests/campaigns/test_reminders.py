"""Scheduled reminders: offsets per period, once per person and reminder, overdue notices,
and the "còn N ngày" / "quá hạn N ngày" countdown on the official's pages."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.models import ReportingPeriod, ReportStatus
from campaigns.reminders import send_reminders
from tests.campaigns.factories import CampaignFactory, PeriodFactory, ReportFactory
from wards.models import Notification

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 12, 15)


@pytest.fixture
def open_period(city, catalogue):
    campaign = CampaignFactory(city=city, slug="antq-2026", name="Phong trào thử", is_demo=False)
    return PeriodFactory(
        campaign=campaign,
        year=2026,
        opens_on=datetime.date(2026, 1, 1),
        due_on=DUE,
        closes_on=datetime.date(2027, 1, 31),
    )


def _run(day: str) -> str:
    out = StringIO()
    call_command("send_reminders", date=day, stdout=out)
    return out.getvalue()


def _reminders(user):
    return list(
        Notification.objects.filter(recipient=user, kind="reminder").values_list("text", "key")
    )


def test_default_offsets_are_data_on_the_period(open_period):
    assert open_period.reminder_days == [14, 7, 3, 1, -1, -7]
    assert open_period.reminder_dates()[0] == (14, datetime.date(2026, 12, 1))
    assert open_period.reminder_dates()[-1] == (-7, datetime.date(2026, 12, 22))


def test_bad_offsets_are_refused_with_a_message(open_period):
    from django.core.exceptions import ValidationError

    open_period.reminder_days = [7, "x"]
    with pytest.raises(ValidationError, match="số nguyên"):
        open_period.clean()
    open_period.reminder_days = [7, 7]
    with pytest.raises(ValidationError, match="hai lần"):
        open_period.clean()


def test_reminds_officials_of_units_not_submitted_once_per_offset(
    open_period, unit_a, unit_b, official_a, official_b, approver
):
    official_a.email = "phuong-1@mytho.local"
    official_a.save()
    ReportFactory(
        period=open_period,
        unit=unit_b,
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
        submitted_by=official_b,
    )
    out = _run("2026-12-10")
    # Phường 1, and the city's own report (filled by the approver); Phường 2 has submitted.
    assert "2 reminders to officials" in out
    assert _reminders(official_a) == [
        (
            "Báo cáo năm 2026 của Phường 1 chưa nộp (còn 5 ngày, hạn 15/12/2026).",
            f"reminder:{open_period.pk}:{unit_a.pk}:7",
        )
    ]
    assert _reminders(official_b) == []  # submitted
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["phuong-1@mytho.local"]
    assert "chưa nộp (còn 5 ngày" in mail.outbox[0].subject

    # A second run the same day, or the next day (same reminder), sends nothing new.
    assert "0 reminders to officials" in _run("2026-12-10")
    assert "0 reminders to officials" in _run("2026-12-11")
    assert len(mail.outbox) == 1
    # The next offset (3 days before) comes on its day.
    _run("2026-12-12")
    assert [k for _t, k in _reminders(official_a)][0].endswith(":3")
    assert Notification.objects.filter(recipient=official_a).count() == 2


def test_after_due_approvers_learn_which_units_are_overdue(
    open_period, unit_a, unit_b, official_a, official_b, approver, leader
):
    result = send_reminders(day=datetime.date(2026, 12, 16))
    assert result.overdue_notices == 1
    note = Notification.objects.get(recipient=approver, kind="overdue")
    assert note.text == (
        "Báo cáo năm 2026: 3 đơn vị quá hạn (quá hạn 1 ngày): Phường 1, Phường 2, TP. Thử."
    )
    assert note.url == reverse("campaigns:completeness", args=[2026])
    assert _reminders(official_a)[0][0].startswith(
        "Báo cáo năm 2026 của Phường 1 chưa nộp (quá hạn"
    )
    assert not Notification.objects.filter(recipient=leader).exists()
    assert send_reminders(day=datetime.date(2026, 12, 17)).overdue_notices == 0


def test_a_returned_report_is_reminded_as_returned(open_period, unit_a, official_a):
    ReportFactory(
        period=open_period,
        unit=unit_a,
        status=ReportStatus.RETURNED,
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
        return_reason="Sửa số vụ",
    )
    send_reminders(day=datetime.date(2026, 12, 14))
    assert "bị trả lại và chưa nộp lại" in _reminders(official_a)[0][0]


def test_offsets_of_the_period_decide_the_days(open_period, unit_a, official_a):
    ReportingPeriod.objects.filter(pk=open_period.pk).update(reminder_days=[2])
    assert send_reminders(day=datetime.date(2026, 12, 10)).reminded == 0
    assert send_reminders(day=datetime.date(2026, 12, 13)).reminded == 1


def test_closed_periods_get_no_reminder(open_period, unit_a, official_a):
    assert send_reminders(day=datetime.date(2027, 2, 1)).reminded == 0


def test_opening_is_announced_once_before_the_due_date(open_period, unit_a, official_a):
    assert send_reminders(day=datetime.date(2026, 1, 2)).opened_notices == 1
    assert send_reminders(day=datetime.date(2026, 1, 3)).opened_notices == 0
    note = Notification.objects.get(recipient=official_a)
    assert note.kind == "period_opened"
    assert note.text == "Đã mở nhập báo cáo năm 2026 cho Phường 1: hạn nộp 15/12/2026."


def test_bad_date_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", date="10/12/2026")


def _at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone()),
        tick=False,
    )


@pytest.mark.parametrize(
    ("day", "phrase"),
    [(datetime.date(2026, 12, 10), "còn 5 ngày"), (datetime.date(2026, 12, 20), "quá hạn 5 ngày")],
)
def test_official_sees_the_countdown_on_home_and_report_list(
    login, client, open_period, unit_a, official_a, day, phrase
):
    with _at(day):
        login(official_a)
        home = client.get(reverse("home")).content.decode()
        listing = client.get(reverse("campaigns:report_list")).content.decode()
    assert phrase in home
    assert phrase in listing
