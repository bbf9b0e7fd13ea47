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
    page.fill("input[name=decision_date]", "2026-02-20")
    page.fill("input[name=start_date]", "2026-03-01")
    page.fill("input[name=households]", "85")
    page.fill("input[name=members]", "-4")  # a slip: refused next to the field
    page.fill("input[name=teams]", "2")
    page.fill("input[name=funding_socialized]", "5.000.000")
    page.get_by_role("button", name="Đăng ký điểm").click()
    expect(page.locator("main")).to_contain_text("Số thành viên không được âm.")
    screenshot("registry-site-form-error")
    page.fill("input[name=members]", "14")
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
    page.get_by_role("button", name="Gửi thành phố xác nhận").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi xếp loại năm 2026")
    expect(page.locator("#evaluations-table")).to_contain_text("Chờ thành phố xác nhận")
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
