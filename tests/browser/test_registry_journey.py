"""User story (issues 5 and 9): the official of a ward of today registers a new site of a model,
the provincial approver confirms its grade, and the model's page shows it, in Vietnamese, at
desktop and phone widths. The clock is frozen on 2 December 2026."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(TODAY, tick=True):
        yield


def _log_out(page):
    page.click("#user-menu")
    page.locator("form[action$='/logout/'] button").click()
    expect(page).to_have_url(re.compile(r"/tai-khoan/"))


def test_official_registers_a_site_the_approver_grades_it_and_the_model_page_shows_it(
    page, live_server, demo_data, sign_in, screenshot
):
    csp_errors = []
    page.on(
        "console",
        lambda msg: (
            csp_errors.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )

    # The official of Phường Mỹ Tho opens the registry: 36 models today, the rule stated.
    sign_in("phuong-my-tho")
    page.get_by_role("link", name="Mô hình phòng, chống tội phạm").first.click()
    expect(page.locator("h1")).to_have_text("Mô hình phòng, chống tội phạm")
    expect(page.locator("#model-count")).to_have_text("36")
    expect(page.locator("#counting-rule")).to_contain_text("mỗi mô hình chỉ tính một lần")
    screenshot("registry-list")

    # Finds "2 liên" (run in Mỹ Phong and Thới Sơn) and registers a site of it.
    page.fill("input[name=q]", "2 liên")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#registry-table tbody tr")).to_have_count(1)
    page.get_by_role("link", name="2 liên", exact=True).click()
    expect(page.locator("#coverage")).to_have_text("2/5 đơn vị")
    page.get_by_role("link", name="Đăng ký điểm tại Phường Mỹ Tho").click()
    page.fill("input[name=decision_number]", "25/QĐ-UBND")
    page.fill("input[name=decision_date]", "2025-08-20")
    page.fill("input[name=start_date]", "2025-09-01")
    page.fill("input[name=households]", "85")
    page.fill("input[name=members]", "-4")  # a slip: refused next to the field
    page.fill("input[name=teams]", "2")
    page.fill("input[name=funding_socialized]", "5.000.000")
    page.get_by_role("button", name="Đăng ký điểm").click()
    expect(page.locator("main")).to_contain_text("Số thành viên không được âm.")
    screenshot("registry-site-form-error")
    page.fill("input[name=members]", "14")
    page.get_by_role("button", name="Đăng ký điểm").click()
    # 2025 is a closed year (issue 10): its figures cannot move without a reopening.
    expect(page.locator("main")).to_contain_text("đã khóa sổ đối với Phường Mỹ Tho")
    screenshot("registry-site-closed-year")
    form_url = page.url
    _log_out(page)

    # The provincial approver reopens 2025 for Phường Mỹ Tho, with a reason, on the unit's page.
    sign_in("approver")
    page.goto(live_server.url + "/don-vi/phuong-my-tho/")
    page.fill("#nam-da-khoa input[name=year]", "2025")
    page.fill("#nam-da-khoa textarea[name=reason]", "Bổ sung điểm mô hình 2 liên theo hồ sơ gốc")
    page.get_by_role("button", name="Mở lại năm").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã mở lại năm 2025")
    expect(page.locator("#nam-da-khoa tbody tr")).to_have_count(1)
    screenshot("unit-years-reopened")
    _log_out(page)

    # The official registers the site again: now it is taken.
    sign_in("phuong-my-tho")
    page.goto(form_url)
    page.fill("input[name=decision_number]", "25/QĐ-UBND")
    page.fill("input[name=decision_date]", "2025-08-20")
    page.fill("input[name=start_date]", "2025-09-01")
    page.fill("input[name=households]", "85")
    page.fill("input[name=members]", "14")
    page.fill("input[name=teams]", "2")
    page.fill("input[name=funding_socialized]", "5.000.000")
    page.get_by_role("button", name="Đăng ký điểm").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã đăng ký điểm mô hình “2 liên”")
    expect(page.locator("h1")).to_contain_text("2 liên — Phường Mỹ Tho")
    expect(page.locator("main")).to_contain_text("5.000.000")

    # Proposes the 2026 grade.
    page.get_by_role("link", name="Đề xuất xếp loại năm").click()
    page.select_option("select[name=year]", "2026")
    page.select_option("select[name=grade]", "good")
    page.fill("input[name=tip_offs]", "4")
    page.fill("input[name=cases_solved]", "1")
    page.fill("input[name=mediations]", "3")
    page.fill("input[name=patrols]", "36")
    page.get_by_role("button", name="Gửi cấp trên xác nhận").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi xếp loại năm 2026")
    expect(page.locator("#evaluations-table")).to_contain_text("Chờ cấp trên xác nhận")
    screenshot("registry-site-proposed")
    _log_out(page)

    # The provincial approver finds it in the queue of grades to confirm and confirms it.
    sign_in("approver")
    page.goto(live_server.url + "/mo-hinh/danh-gia/cho-xac-nhan/")
    queue = page.locator("#queue-table tbody tr").filter(has_text="2 liên")
    row = queue.filter(has_text="Phường Mỹ Tho")
    expect(row).to_contain_text("2026")
    row.get_by_role("link", name="Xác nhận").click()
    expect(page.locator("#proposal")).to_contain_text("36")
    page.get_by_role("button", name="Xác nhận xếp loại").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã xác nhận xếp loại năm 2026")
    expect(queue.filter(has_text="Phường Mỹ Tho")).to_have_count(0)

    # The model's page shows the new site, its coverage and its grade.
    page.goto(live_server.url + "/mo-hinh/2-lien/")
    expect(page.locator("#coverage")).to_have_text("3/5 đơn vị")
    expect(page.locator("#sites-table")).to_contain_text("Phường Mỹ Tho")
    grade_row = page.locator("#grades-table tbody tr", has_text="Phường Mỹ Tho")
    expect(grade_row.locator("td").last).to_have_text("Tốt")
    screenshot("registry-model-page")
    assert csp_errors == []


def test_camera_an_ninh_on_a_phone(page, live_server, demo_data, sign_in, screenshot):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in("leader")
    page.goto(live_server.url + "/mo-hinh/camera-an-ninh/")
    expect(page.locator("#coverage")).to_have_text("5/5 đơn vị")
    screenshot("registry-camera-phone")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    screenshot("registry-camera-phone")
    page.goto(live_server.url + "/mo-hinh/camera-theo-don-vi/")
    expect(page.locator("#camera-table tbody tr")).to_have_count(5)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    screenshot("registry-cameras-per-unit-phone")


def test_approver_names_a_model_exemplary_and_the_period_review_names_it(
    page, live_server, demo_data, sign_in, sign_out, screenshot
):
    """Issue 10 item 4: the approver flags a model "tiêu biểu" for a year; the review says so."""
    sign_in("approver")
    page.goto(live_server.url + "/mo-hinh/to-hoa-giai/")
    page.get_by_role("link", name="Công nhận tiêu biểu").click()
    page.select_option("#id_year", "2020")
    page.fill("#id_decision", "QĐ 45/QĐ-BCĐ ngày 20/12/2020")
    page.get_by_role("button", name="Công nhận tiêu biểu").click()
    expect(page.locator(".alert-success")).to_contain_text("mô hình tiêu biểu năm 2020")
    expect(page.locator("#exemplary-years")).to_contain_text("Tiêu biểu năm 2020")
    screenshot("registry-exemplary")
    sign_out()
    sign_in("leader")
    page.goto(live_server.url + "/bao-cao-so-ket/?from=2015&to=2020&unit=tp-my-tho")
    paragraph = page.locator(".review-paragraph")
    expect(paragraph).to_contain_text("các mô hình tiêu biểu:")
    expect(paragraph).to_contain_text("“2 liên” (Xã Tân Mỹ Chánh")
    expect(paragraph).to_contain_text("“Camera an ninh” (17/17 phường, xã, bằng nguồn xã hội hóa)")
    expect(paragraph).to_contain_text("“Tổ hòa giải")
