"""The leaders' weekly summary on the demo data: figures, completeness, changes, once a week."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from campaigns.dashboard.digest import summary_lines
from wards.models import Notification

pytestmark = pytest.mark.django_db

DAY = "2026-12-07"


def test_leader_gets_one_weekly_summary_by_email_with_a_link_to_the_dashboard(demo):
    out = StringIO()
    call_command("send_digest", date=DAY, stdout=out)
    # The Mỹ Tho area's leader and the provincial leader.
    assert "2 weekly summaries for 2 leaders" in out.getvalue()
    assert "E-mails: 2 sent" in out.getvalue()
    note = Notification.objects.get(recipient=demo["leader"])
    assert note.kind == "weekly_summary"
    assert note.url == "/tong-quan/"
    assert note.text == "Tóm tắt tuần của TP. Mỹ Tho, đến ngày 07/12/2026"
    (message,) = [m for m in mail.outbox if m.to == ["leader@mytho.local"]]
    assert message.subject == "[ANTQ Mỹ Tho] " + note.text
    assert "Đối tượng vi phạm pháp luật bị phát hiện, xử lý: " in message.body
    assert "Báo cáo năm 2026: đã nộp " in message.body
    # Main's completeness travels into the summary: the open year's figures are marked partial.
    assert "SỐ LIỆU CHƯA ĐẦY ĐỦ — năm 2026 chưa đầy đủ: 1/5 báo cáo đã duyệt" in message.body
    assert "Trong bảy ngày qua:" in message.body
    assert "/tong-quan/" in message.body
    # Only leaders get it, and a second run in the same week sends nothing.
    assert set(Notification.objects.values_list("recipient__role", flat=True)) == {"leader"}
    call_command("send_digest", date="2026-12-09", stdout=StringIO())
    assert Notification.objects.count() == 2 and len(mail.outbox) == 2


def test_summary_lists_the_weeks_changes(demo):
    from campaigns import services
    from campaigns.models import UnitReport

    report = UnitReport.objects.filter(period__year=2026, status="submitted").first()
    if report is None:
        pytest.fail("the demo has no submitted 2026 report to approve")
    services.report_approve(report=report, user=demo["approver"])
    today = datetime.date.today()
    lines = summary_lines(demo["leader"], today)
    assert any(report.unit.name in line and "2026: đã duyệt" in line for line in lines)
