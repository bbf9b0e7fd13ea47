import io
from pathlib import Path

import pytest
from django.core.management import call_command

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture
def demo_data(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def screenshot(page):
    """``screenshot(name)`` saves a full-page PNG under tests/artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def _take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _take


@pytest.fixture
def sign_in(page, live_server):
    def _sign_in(username: str, password: str = "MyTho@2020"):
        page.goto(live_server.url + "/tai-khoan/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main button[type=submit]")

    return _sign_in


@pytest.fixture
def sign_out(page):
    """Log out through the user menu, as a person would."""

    def _sign_out():
        page.click("#user-menu")
        page.click("#user-menu + .dropdown-menu button[type=submit]")

    return _sign_out
