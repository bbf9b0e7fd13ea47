"""Yearly report journey on the demo data of today (the clock frozen on 2/12/2026): a ward of
2025 fills and submits its 2026 report → the provincial police return it with a reason → fixed
and resubmitted → approved → locked, with every step in the history → the leader sees the
change on the 2015–2026 dashboard; and an import from Excel."""

import datetime
import io
import re
import zoneinfo

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import expect

from campaigns.models import ReportStatus, UnitReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2026
UNIT, UNIT_NAME = "phuong-my-tho", "Phường Mỹ Tho"
REASON = "Số vụ phạm pháp hình sự chưa khớp sổ theo dõi; đề nghị kiểm tra lại."


def flash(page, level: str = "success"):
    """The message shown after an action (not the status boxes of the page)."""
    return page.locator(f".alert-{level}.alert-dismissible")


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    return errors


@pytest.fixture(autouse=True)
def frozen_clock():
    """2 December 2026 in Mỹ Tho: the 2026 reports are due on 15/12."""
    at = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(at, tick=True):
        yield


def _sign_out_and_in(page, sign_in, username):
    page.context.clear_cookies()
    sign_in(username)
    expect(page.locator("h1")).to_contain_text("Xin chào")


def _fill_like_last_year(page):
    """Type last year's figure in every field (0 % change), the way a person would."""
    inputs = page.locator("input[data-value-input]")
    for index in range(inputs.count()):
        field = inputs.nth(index)
        last = field.get_attribute("data-last")
        if last:
            number = float(last)
            text = str(int(number)) if number.is_integer() else f"{number:.1f}".replace(".", ",")
            field.fill(text)


def test_official_submits_approver_returns_official_fixes_approver_approves(
    page, live_server, demo_data, sign_in, screenshot
):
    csp = _csp_errors(page)
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. Phường Mỹ Tho opens its 2026 report from the home page and fills it in.
    sign_in(UNIT)
    due = page.locator("main .list-group-item", has_text=f"Báo cáo năm {YEAR}")
    expect(due).to_contain_text("Chưa bắt đầu")
    due.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/bao-cao/{YEAR}/{UNIT}/nhap-lieu/$"))
    expect(page.locator("h1")).to_contain_text(f"Báo cáo năm {YEAR} — {UNIT_NAME}")
    expect(page.locator(".demo-badge").first).to_be_visible()
    _fill_like_last_year(page)
    original_cases = int(page.locator("#id_v_criminal_cases").input_value())
    # A letter is refused next to the field, and nothing is saved.
    page.locator("#id_v_arrests").fill("năm")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("#id_v_arrests_error")).to_contain_text("Nhập một số")
    assert not UnitReport.objects.filter(unit__slug=UNIT, period__year=YEAR).exists()
    screenshot("reports-entry-error")
    arrests = page.locator("#id_v_arrests")
    arrests.fill(str(int(float(arrests.get_attribute("data-last")))))
    page.get_by_role("button", name="Lưu nháp").click()
    expect(flash(page)).to_contain_text("Đã lưu nháp")
    screenshot("reports-entry-draft")
    page.get_by_role("button", name="Lưu và nộp báo cáo").click()
    expect(flash(page)).to_contain_text(
        f"Báo cáo năm {YEAR} của {UNIT_NAME} đã được nộp cho Công an Tỉnh Đồng Tháp"
    )
    expect(page.locator("main")).to_contain_text("Đã nộp")
    expect(page.locator("#approval-chain")).to_contain_text("Công an Tỉnh Đồng Tháp")
    screenshot("reports-submitted")

    # 2. The provincial police's approver returns it with a reason.
    _sign_out_and_in(page, sign_in, "approver")
    page.goto(f"{live_server.url}/duyet-bao-cao/{YEAR}/")
    row = page.locator("tr", has_text=UNIT_NAME).first
    expect(row).to_contain_text("Đã nộp")
    screenshot("reports-worklist")
    row.get_by_role("link", name="Mở").click()
    expect(page.locator("h1")).to_contain_text(UNIT_NAME)
    page.locator("summary", has_text="Trả lại đơn vị").click()
    page.get_by_label("Lý do").fill(REASON)
    page.get_by_role("button", name="Trả lại với lý do này").click()
    expect(flash(page)).to_contain_text(f"Đã trả lại báo cáo cho {UNIT_NAME}")
    expect(page.locator("#return-reason")).to_contain_text(REASON)

    # 3. Phường Mỹ Tho sees the reason, fixes the figure and submits again.
    _sign_out_and_in(page, sign_in, UNIT)
    expect(page.locator("main")).to_contain_text(REASON)
    page.locator("main .list-group-item a", has_text=f"Báo cáo năm {YEAR}").click()
    expect(page.locator("#return-reason")).to_contain_text(REASON)
    screenshot("reports-returned-entry")
    page.locator("#id_v_criminal_cases").fill(str(original_cases - 1))
    page.get_by_label("Ghi chú cho “Phạm pháp hình sự (tội phạm về trật tự xã hội)”").fill(
        "Đã đối chiếu sổ theo dõi: bớt 1 vụ trùng."
    )
    page.get_by_role("button", name="Lưu và nộp báo cáo").click()
    expect(flash(page)).to_contain_text("đã được nộp cho Công an Tỉnh Đồng Tháp")

    # 4. The leader notes the area's offenders of the year, then the approver approves.
    _sign_out_and_in(page, sign_in, "leader")
    page.goto(f"{live_server.url}/tong-quan/?from=2015&to={YEAR}")
    expect(page.locator("h1")).to_contain_text("Khu vực TP. Mỹ Tho")
    before = page.locator("[data-kpi=offenders_handled] .kpi-value").inner_text()
    _sign_out_and_in(page, sign_in, "approver")
    page.goto(f"{live_server.url}/bao-cao/{YEAR}/{UNIT}/")
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(flash(page)).to_contain_text(f"Đã duyệt báo cáo năm {YEAR}")
    expect(page.locator("main")).to_contain_text("số liệu là số liệu chính thức và đã khóa")

    # 5. The leader's 2015–2026 dashboard moves at once.
    _sign_out_and_in(page, sign_in, "leader")
    page.goto(f"{live_server.url}/tong-quan/?from=2015&to={YEAR}")
    expect(page.locator("[data-kpi=offenders_handled] .kpi-value")).not_to_have_text(before)
    screenshot("reports-leader-dashboard-after")

    # 6. Phường Mỹ Tho can no longer edit; the history shows each step.
    _sign_out_and_in(page, sign_in, UNIT)
    page.goto(f"{live_server.url}/bao-cao/{YEAR}/{UNIT}/nhap-lieu/")
    expect(page).to_have_url(re.compile(rf"/bao-cao/{YEAR}/{UNIT}/$"))
    expect(flash(page, "info")).to_contain_text("đã được duyệt và bị khóa")
    expect(page.get_by_role("link", name="Sửa số liệu")).to_have_count(0)
    history = page.locator("#lich-su li.list-group-item")
    expect(history).to_have_count(6)  # 2 saves, submit, return, resubmit (with its save), approve
    texts = history.all_inner_texts()
    steps = [t.split("\n")[0] for t in texts]
    assert [s for s in steps if s.startswith(("Đã nộp", "Bị trả lại", "Đã duyệt"))] == [
        "Đã nộp (Nháp → Đã nộp)",
        "Bị trả lại (Đã nộp → Bị trả lại)",
        "Đã nộp (Bị trả lại → Đã nộp)",
        "Đã duyệt (Đã nộp → Đã duyệt)",
    ]
    assert any(REASON in t for t in texts)
    page.locator("#lich-su details summary").last.click()
    expect(page.locator("#lich-su")).to_contain_text(str(original_cases - 1))
    screenshot("reports-approved-history")

    report = UnitReport.objects.get(unit__slug=UNIT, period__year=YEAR)
    assert report.status == ReportStatus.APPROVED
    assert report.approved_by.unit.slug == "dong-thap"
    assert report.values.get(indicator__code="criminal_cases").value == original_cases - 1
    assert csp == []


def test_entry_page_fits_a_phone(page, live_server, demo_data, sign_in, screenshot):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in("phuong-thoi-son")
    page.goto(f"{live_server.url}/bao-cao/{YEAR}/phuong-thoi-son/nhap-lieu/")
    expect(page.locator("h1")).to_contain_text("Phường Thới Sơn")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # The change from last year follows the typing (campaigns.js).
    field = page.locator("#id_v_criminal_cases")
    last = float(field.get_attribute("data-last"))
    field.fill(str(int(last * 2)))
    expect(page.locator('[data-change-for="id_v_criminal_cases"]')).to_contain_text("+100,0 %")
    screenshot("reports-entry-phone")
    page.screenshot(path=str(screenshot("reports-entry-phone")).replace(".png", "-top.png"))


def test_official_imports_the_excel_template_with_progress_and_preview(
    page, live_server, demo_data, sign_in, screenshot, tmp_path
):
    csp = _csp_errors(page)
    sign_in(UNIT)
    page.goto(f"{live_server.url}/bao-cao/{YEAR}/nhap-tu-tep/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"{UNIT_NAME} (Excel)").click()
    template = tmp_path / "mau.xlsx"
    download_info.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook["Số liệu"]
    for cells in sheet.iter_rows(min_row=2):
        last = cells[6].value
        cells[7].value = last
    for cells in sheet.iter_rows(min_row=2):
        if cells[3].value == "offenders_handled":
            cells[7].value = "mười"  # text in a number cell
    bad = tmp_path / "loi.xlsx"
    workbook.save(bad)

    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    expect(page).to_have_url(re.compile(r"/nhap-tu-tep/\d+/$"))
    expect(page.locator("#import-errors")).to_contain_text("Nhập một số")
    expect(page.get_by_role("button", name="Xác nhận nhập")).to_have_count(0)
    screenshot("reports-import-errors")

    for cells in sheet.iter_rows(min_row=2):
        if cells[3].value == "offenders_handled":
            cells[7].value = cells[6].value
    good = io.BytesIO()
    workbook.save(good)
    (tmp_path / "dung.xlsx").write_bytes(good.getvalue())
    page.goto(f"{live_server.url}/bao-cao/{YEAR}/nhap-tu-tep/")
    page.set_input_files("input[type=file]", str(tmp_path / "dung.xlsx"))
    # The upload goes through campaigns.js (XHR with a progress bar), which gets JSON back.
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Tải lên và xem trước").click()
    assert posted.value.headers["content-type"].startswith("application/json")
    expect(page.locator("#import-changes")).to_be_visible()
    screenshot("reports-import-preview")
    page.get_by_role("button", name="Xác nhận nhập").click()
    expect(flash(page)).to_contain_text("Đã nhập")
    expect(page).to_have_url(re.compile(rf"/bao-cao/{YEAR}/{UNIT}/nhap-lieu/$"))
    report = UnitReport.objects.get(unit__slug=UNIT, period__year=YEAR)
    assert report.status == ReportStatus.DRAFT
    assert report.values.filter(value__isnull=False).count() == 32
    assert csp == []
