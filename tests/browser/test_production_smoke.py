"""One journey through nginx to gunicorn with DEBUG=0: the README's production section, proven.

Runs only against a running deployment: ``.ci/production-smoke`` starts one and sets
``SMOKE_BASE_URL`` (and the account to use); without it the test is skipped with that reason.
"""

import json
import os
import re

import pytest
from playwright.sync_api import expect

BASE_URL = os.environ.get("SMOKE_BASE_URL", "")
USERNAME = os.environ.get("SMOKE_USERNAME", "smoke-admin")
PASSWORD = os.environ.get("SMOKE_PASSWORD", "")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not BASE_URL, reason="needs a running deployment: .ci/production-smoke sets SMOKE_BASE_URL"
    ),
]


@pytest.fixture
def browser_context_args(browser_context_args):
    # The smoke deployment uses a throw-away self-signed certificate.
    return {**browser_context_args, "ignore_https_errors": True}


def test_through_nginx_sign_in_read_and_sign_out(page):
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)

    # Anonymous: to the login page, over HTTPS with the production headers.
    response = page.goto(BASE_URL + "/")
    expect(page).to_have_url(re.compile(r"/tai-khoan/login/"))
    headers = response.all_headers()
    assert "max-age=31536000" in headers["strict-transport-security"]
    assert "default-src 'self'" in headers["content-security-policy"]
    # Static files come from WhiteNoise with hashed names (collectstatic, manifest storage).
    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet

    # A wrong password, then the right one.
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", "not-the-password")
    page.click("main button[type=submit]")
    expect(page.locator("main")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(BASE_URL + "/")

    # The dashboard answers with the demo data.
    response = page.goto(BASE_URL + "/tong-quan/")
    assert response.status == 200
    expect(page.locator("h1")).to_be_visible()

    # The failed login is in the admin, with the client's address as nginx passed it on.
    page.goto(BASE_URL + "/quan-tri/axes/accessfailurelog/")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text(USERNAME)
    expect(row).to_contain_text("127.0.0.1")

    # Attachments are never served by path; health answers without a session.
    assert page.goto(BASE_URL + "/media/certifications/x.pdf").status == 404
    health = page.goto(BASE_URL + "/healthz")
    assert json.loads(page.locator("body").inner_text()) == {"status": "ok", "database": "ok"}
    assert health.status == 200

    # Sign out through the user menu.
    page.goto(BASE_URL + "/")
    page.click("#user-menu")
    page.click("#user-menu + .dropdown-menu button[type=submit]")
    expect(page).to_have_url(re.compile(r"/tai-khoan/login/"))
    assert blocked == []
