"""Notifications on today's demo (issue 9): the five wards' officials are reminded and told,
the provincial police hear of their submissions, and the old units' accounts stay quiet."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from campaigns import selectors, services
from campaigns.models import UnitReport
from wards.models import Notification, User

pytestmark = pytest.mark.django_db

TODAYS_WARDS = {
    "phuong-my-tho",
    "phuong-thoi-son",
    "phuong-dao-thanh",
    "phuong-my-phong",
    "phuong-trung-an",
}


def _at(day: str):
    moment = datetime.datetime.fromisoformat(day).replace(
        hour=9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")
    )
    return time_machine.travel(moment, tick=False)


def _run(day: str) -> str:
    out = StringIO()
    call_command("send_reminders", date=day, stdout=out)
    return out.getvalue()


def _told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_reminders_reach_the_officials_of_todays_wards_not_yet_submitted(demo):
    out = _run("2026-12-10")
    # 2026: Mỹ Tho not started, Thới Sơn a draft, Mỹ Phong returned; Đạo Thạnh submitted and
    # Trung An approved. The old wards' officials (read-only since 2025) get nothing.
    assert _told("reminder") == {"phuong-my-tho", "phuong-thoi-son", "phuong-my-phong"}
    assert "3 reminders to officials" in out
    assert sorted(m.to[0] for m in mail.outbox) == [
        "phuong-my-phong@mytho.local",
        "phuong-my-tho@mytho.local",
        "phuong-thoi-son@mytho.local",
    ]
    assert "0 reminders to officials" in _run("2026-12-10")
    assert len(mail.outbox) == 3
    # After the due date the provincial police (who approve the wards from 2025) learn which
    # wards are late; the leaders and the dissolved city police's account do not.
    _run("2026-12-16")
    assert _told("overdue") == {"approver"}
    note = Notification.objects.get(kind="overdue")
    assert "Phường Mỹ Tho" in note.text and "Phường Đạo Thạnh" not in note.text


def test_a_todays_ward_submission_goes_to_the_provincial_police_and_back(demo):
    official = User.objects.get(username="phuong-my-phong")
    approver = User.objects.get(username="approver")
    report = UnitReport.objects.get(period__year=2026, unit__slug="phuong-my-phong")
    with _at("2026-12-07"):
        report = services.report_save_and_submit(
            period=report.period,
            unit=report.unit,
            user=official,
            entries=selectors.entries_of(report),
            expected_version=report.version,
        )
        assert _told("report_submitted") == {"approver"}
        services.report_approve(report=report, user=approver)
    assert _told("report_approved") == {"phuong-my-phong"}
    assert not Notification.objects.filter(recipient__role="leader").exists()


def test_reopening_an_old_report_tells_the_old_wards_official(demo):
    """The provincial police hold the dissolved city police's rights over 2024."""
    report = UnitReport.objects.get(period__year=2024, unit__slug="phuong-1")
    services.report_reopen(
        report=report, user=User.objects.get(username="approver"), reason="Xem lại số liệu."
    )
    assert _told("report_reopened") == {"phuong-1"}
    assert not _told("report_reopened") & TODAYS_WARDS
