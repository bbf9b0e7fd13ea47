"""Notifications journey on the demo data: the official submits → the approver's bell shows it →
the approver returns with a remark on one indicator → the official's bell, and the remark beside
that field → resubmit → approve → the official is notified."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_reports_journey import _csp_errors, _fill_like_last_year, flash

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2026
OFFICIAL, UNIT, SLUG = "phuong-my-tho", "Phường Mỹ Tho", "phuong-my-tho"
REMARK = "Số vụ phạm pháp hình sự khác sổ theo dõi của Công an phường: đối chiếu lại."


def _as(page, sign_in, username):
    page.context.clear_cookies()
    sign_in(username)
    expect(page.locator("h1")).to_contain_text("Xin chào")


def _bell(page):
    return page.locator("#notification-bell")


def test_remark_on_one_indicator_reaches_the_official_beside_its_field(
    page, live_server, demo_data, sign_in, screenshot
):
    csp = _csp_errors(page)
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. Phường Mỹ Tho fills in and submits its report; its bell has nothing yet.
    _as(page, sign_in, OFFICIAL)
    expect(page.locator("#notification-count")).to_have_count(0)
    page.goto(f"{live_server.url}/bao-cao/{YEAR}/{SLUG}/nhap-lieu/")
    _fill_like_last_year(page)
    page.get_by_role("button", name="Lưu và nộp báo cáo").click()
    expect(flash(page)).to_contain_text("đã được nộp")

    # 2. The provincial police approver's bell shows the submission; it leads to the report.
    _as(page, sign_in, "approver")
    expect(page.locator("#notification-count")).to_contain_text("1")
    screenshot("notifications-approver-bell")
    _bell(page).click()
    expect(page.locator("h1")).to_contain_text("Thông báo")
    item = page.locator("#notification-list li", has_text=f"{UNIT} đã nộp báo cáo năm {YEAR}")
    expect(item).to_be_visible()
    screenshot("notifications-approver-list")
    item.locator("a.notification-link").click()
    expect(page).to_have_url(re.compile(rf"/bao-cao/{YEAR}/{SLUG}/$"))
    expect(page.locator("#notification-count")).to_have_count(0)  # read by opening it

    # 3. The approver returns it with a reason and a remark on one indicator.
    page.locator("summary", has_text="Trả lại đơn vị").click()
    page.get_by_label("Lý do").fill("Xem nhận xét ở chỉ tiêu phạm pháp hình sự.")
    row = page.locator("tr", has_text="Phạm pháp hình sự (tội phạm về trật tự xã hội)")
    row.locator("summary", has_text="Nhận xét chỉ tiêu này").click()
    row.locator("textarea").fill(REMARK)
    screenshot("notifications-return-with-remark")
    page.get_by_role("button", name="Trả lại với lý do này").click()
    expect(flash(page)).to_contain_text(f"Đã trả lại báo cáo cho {UNIT}")

    # 4. The official's bell shows the return; the remark sits beside that field.
    _as(page, sign_in, OFFICIAL)
    expect(page.locator("#notification-count")).to_contain_text("1")
    _bell(page).click()
    returned = page.locator("#notification-list li", has_text="bị trả lại")
    expect(returned).to_contain_text("1 nhận xét")
    returned.locator("a.notification-link").click()
    expect(page).to_have_url(re.compile(rf"/bao-cao/{YEAR}/{SLUG}/nhap-lieu/$"))
    remark = page.locator("#remark-criminal_cases")
    expect(remark).to_contain_text(REMARK)
    field_row = page.locator(".entry-row", has=page.locator("#id_v_criminal_cases"))
    expect(field_row.locator(".review-remark")).to_contain_text(REMARK)
    expect(page.locator(".review-remark")).to_have_count(1)
    screenshot("notifications-remark-beside-field")

    # 5. The official corrects and resubmits; the approver approves.
    cases = int(page.locator("#id_v_criminal_cases").input_value())
    page.locator("#id_v_criminal_cases").fill(str(cases - 1))
    page.get_by_label("Ghi chú cho “Phạm pháp hình sự (tội phạm về trật tự xã hội)”").fill(
        "Đã đối chiếu: bớt 1 vụ trùng."
    )
    page.get_by_role("button", name="Lưu và nộp báo cáo").click()
    expect(flash(page)).to_contain_text("đã được nộp")
    _as(page, sign_in, "approver")
    expect(page.locator("#notification-count")).to_contain_text("1")
    page.goto(f"{live_server.url}/bao-cao/{YEAR}/{SLUG}/")
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(flash(page)).to_contain_text(f"Đã duyệt báo cáo năm {YEAR}")

    # 6. The official is told of the approval.
    _as(page, sign_in, OFFICIAL)
    expect(page.locator("#notification-count")).to_contain_text("1")
    _bell(page).click()
    expect(page.locator("#notification-list li").first).to_contain_text(
        f"Báo cáo năm {YEAR} của {UNIT} đã được duyệt."
    )
    screenshot("notifications-official-approved")
    page.get_by_role("button", name="Đánh dấu tất cả đã đọc").click()
    expect(page.locator("#notification-count")).to_have_count(0)
    # The same notifications through the API.
    rows = page.evaluate("() => fetch('/api/v1/notifications/').then(r => r.json())")
    assert [r["kind"] for r in rows] == ["report_approved", "report_returned"]
    assert all(r["read"] for r in rows)
    assert csp == []
