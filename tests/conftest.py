"""Personas and browser settings shared by the whole suite.

Personas (house style): an official of unit A, an official of unit B, the city approver, a city
leader and an administrator, all in one small city.
"""

import datetime
import os
import shutil

import pytest

from tests.factories import PASSWORD, UnitFactory, UserFactory

# Playwright's sync API runs an event loop; pytest-django's live_server is synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the figures version rolls back with each test's
    transaction, so an entry cached by one test could otherwise be read by the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def province(db):
    return UnitFactory(kind="province", name="Tỉnh Thử", slug="tinh-thu", code="P1")


@pytest.fixture
def city(province):
    return UnitFactory(kind="city", name="TP. Thử", slug="tp-thu", code="C1", parent=province)


@pytest.fixture
def unit_a(city):
    return UnitFactory(kind="ward", name="Phường 1", slug="phuong-1", code="W1", parent=city)


@pytest.fixture
def unit_b(city):
    return UnitFactory(kind="ward", name="Phường 2", slug="phuong-2", code="W2", parent=city)


@pytest.fixture
def official_a(unit_a):
    return UserFactory(username="official-a", role="official", unit=unit_a)


@pytest.fixture
def official_b(unit_b):
    return UserFactory(username="official-b", role="official", unit=unit_b)


@pytest.fixture
def approver(city):
    return UserFactory(username="approver", role="approver", unit=city)


@pytest.fixture
def leader(city):
    return UserFactory(username="leader", role="leader", unit=city)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role="admin", unit=None, is_staff=True, is_superuser=True)


@pytest.fixture
def no_role_user(unit_a):
    """An account of unit A without a role: sees and does nothing."""
    return UserFactory(username="no-role", role="", unit=unit_a)


@pytest.fixture
def inactive_approver(city):
    """The city's former approver, whose account was closed."""
    return UserFactory(username="former-approver", role="approver", unit=city, is_active=False)


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# Every persona a permission function is asked about (tests/*/test_permissions_module.py).
ALL_PERSONAS = (
    "official_a",
    "approver",
    "leader",
    "admin_user",
    "no_role_user",
    "inactive_approver",
    "anonymous",
)


@pytest.fixture
def login(client):
    """``login(user)`` signs ``client`` in through the real login form (axes sees it)."""

    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def today():
    return datetime.date(2026, 11, 29)
