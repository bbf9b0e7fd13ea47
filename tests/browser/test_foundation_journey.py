import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_official_logs_in_sees_unit_in_vietnamese_switches_to_english_and_logs_out(
    page, live_server, demo_data, sign_in, sign_out, screenshot
):
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    sign_in("phuong-1")
    expect(page.locator("h1")).to_contain_text("Xin chào")
    expect(page.locator("main")).to_contain_text("Đơn vị của bạn")
    expect(page.locator("main")).to_contain_text("Phường 1")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    screenshot("foundation-home-vi")

    page.click("button[name=language][value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main")).to_contain_text("Your unit")

    sign_out()
    expect(page).to_have_url(re.compile(r"/tai-khoan/login/"))
    # Nothing was blocked by the Content-Security-Policy.
    assert [e for e in console_errors if "Content Security Policy" in e] == []


def test_phone_width_has_no_horizontal_scroll(page, live_server, demo_data, sign_in, screenshot):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in("approver")
    page.goto(live_server.url + "/don-vi/")
    expect(page.locator("h1")).to_contain_text("Phường, xã")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot("foundation-units-phone")


def test_wrong_password_message_in_browser(page, live_server, demo_data, sign_in):
    sign_in("phuong-2", "sai-mat-khau")
    expect(page.locator("main")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu")
