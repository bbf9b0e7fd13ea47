"""Journey: the official of a ward of today prepares a residential area's 2026 dossier, the
provincial approver recognises it, the certificate prints on one A4 page; the official of a
unit that ended is offered nothing new. The clock is frozen on 2 December 2026."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=True):
        yield


PDF = b"%PDF-1.4\n% bien ban hop khu dan cu\n"


def test_official_prepares_approver_recognises_certificate_prints(
    page, live_server, demo_data, sign_in, screenshot
):
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())

    # The official of Phường 1, a unit that ended on 30/6/2025, is offered nothing new.
    sign_in("phuong-1")
    page.goto(live_server.url + "/danh-hieu/ho-so/lap/")
    expect(page.locator("main .alert-warning")).to_contain_text("Phường Mỹ Tho")
    expect(page.get_by_role("link", name="Lập hồ sơ")).to_have_count(0)
    screenshot("certifications-ended-unit")
    page.context.clear_cookies()

    # The official of Phường Mỹ Tho opens the 2026 dossier of Khu phố 15 (TT 124 applies).
    sign_in("phuong-my-tho")
    page.goto(live_server.url + "/danh-hieu/ho-so/lap/")
    expect(page.locator("h1")).to_contain_text("Lập hồ sơ năm 2026")
    row = page.locator("tr", has=page.locator("th", has_text=re.compile(r"^Khu phố 15")))
    row.get_by_role("link", name="Lập hồ sơ").click()
    expect(page.locator("main")).to_contain_text("Thông tư 124/2021/TT-BCA")
    expect(page.locator("#id_registered_on")).to_have_value("2026-01-15")
    page.locator("main form button[type=submit]").click()

    # Self-assessment: every criterion met, with evidence and a scanned minutes file.
    expect(page.locator("h1")).to_contain_text("Tự đánh giá")
    selects = page.locator("select[name$='-met']")
    for i in range(selects.count()):
        selects.nth(i).select_option("true")
    page.fill("textarea[name='a-0-evidence']", "Biên bản đăng ký ngày 15/01/2026.")
    page.set_input_files(
        "input[name='a-0-attachment']",
        files=[{"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.click("button[name=submit]")
    expect(page.locator(".cert-proposal")).to_contain_text("Đề xuất kết quả: Đạt")
    expect(page.locator("main")).to_contain_text("bien-ban.pdf")
    page.get_by_role("button", name="Nộp chờ quyết định").click()
    expect(page.locator("main")).to_contain_text("Đã nộp hồ sơ chờ quyết định.")
    screenshot("certifications-official-submitted")

    # The provincial approver finds it among the dossiers awaiting a decision and recognises it.
    page.context.clear_cookies()
    sign_in("approver")
    expect(page.locator(".cert-home")).to_contain_text("Hồ sơ chờ quyết định công nhận")
    page.goto(live_server.url + "/danh-hieu/ho-so/?year=2026&status=submitted")
    row = page.locator("tbody tr").filter(has_text="Khu phố 15").filter(has_text="Phường Mỹ Tho")
    row.get_by_role("link", name="Khu phố 15").click()
    page.get_by_role("link", name="Quyết định", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Quyết định công nhận")
    expect(page.locator("#id_issuing_body")).to_have_value("Ủy ban nhân dân Phường Mỹ Tho")
    expect(page.locator("input[name=result][value=met]")).to_be_checked()
    page.fill("#id_decision_number", "215/QĐ-UBND")
    page.fill("#id_decision_date", "2026-12-01")
    page.fill("#id_certificate_number", "07/GCN-2026")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    expect(page.locator("main")).to_contain_text("Đã ghi nhận quyết định.")
    expect(page.locator("main .card-title")).to_contain_text("Quyết định: Đạt")

    # The certificate: on screen, then as printed (one A4 page).
    page.get_by_role("link", name="Giấy chứng nhận").click()
    certificate = page.locator(".certificate")
    expect(certificate).to_contain_text("Khu phố 15")
    expect(certificate).to_contain_text("Số: 07/GCN-2026")
    expect(certificate).to_contain_text("Theo Quyết định số 215/QĐ-UBND ngày 01/12/2026.")
    expect(certificate).to_contain_text("Mỹ Tho, ngày 01 tháng 12 năm 2026")
    expect(page.locator("button[data-print]")).to_be_visible()
    screenshot("certifications-certificate")
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("button[data-print]")).to_be_hidden()
    screenshot("certifications-certificate-print")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (ARTIFACTS / "certifications-certificate.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    assert [e for e in console_errors if "Content Security Policy" in e] == []


def test_official_sees_why_a_primary_school_is_not_assessed_under_tt_124(
    page, live_server, demo_data, sign_in
):
    # The school of the former Phường 1 now belongs to Phường Mỹ Tho (carried over in 2025).
    sign_in("phuong-my-tho")
    page.goto(live_server.url + "/danh-hieu/ho-so/lap/")
    row = page.locator("tr", has=page.locator("th", has_text="Trường Tiểu học Thái Sanh Hạnh"))
    expect(row).to_contain_text(
        "không xét danh hiệu “An toàn về an ninh, trật tự” đối với trường tiểu học"
    )
    expect(row.get_by_role("link", name="Lập hồ sơ")).to_have_count(0)
