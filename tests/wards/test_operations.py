"""Running for real: health endpoint, no public media, failed-login log, lockout, reset limits."""

import importlib
import json
import threading
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.cache import cache
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import clear_url_caches, reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _post_login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


# --- /healthz -----------------------------------------------------------------------------


def test_healthz_answers_ok_without_a_session(client):
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 2
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_healthz_answers_503_when_the_database_fails(client, monkeypatch):
    def broken_cursor(self, *args, **kwargs):
        raise ConnectionError("connection refused")  # what a stopped server looks like

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    # Nothing about the error leaks into the answer.
    assert json.loads(response.content) == {"status": "error", "database": "error"}


def test_healthz_answers_503_within_two_seconds_when_the_database_hangs(client, monkeypatch):
    released = threading.Event()

    def hanging_cursor(self, *args, **kwargs):
        released.wait(10)
        raise ConnectionError("timed out")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", hanging_cursor)
    started = time.monotonic()
    try:
        response = client.get("/healthz")
        assert time.monotonic() - started < 2
        assert response.status_code == 503
    finally:
        released.set()


def test_healthz_skips_the_host_check_and_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["antq.mytho.local"]
    response = client.get("/healthz", HTTP_HOST="10.1.2.3")
    assert response.status_code == 200
    # Every other page still gets both.
    assert client.get("/", HTTP_HOST="10.1.2.3").status_code == 400
    assert client.get("/", HTTP_HOST="antq.mytho.local").status_code == 301


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


# --- attachments only through the scoped view ----------------------------------------------


def test_media_files_are_not_served_even_in_debug(client, settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "certifications").mkdir()
    (tmp_path / "certifications" / "quyet-dinh.pdf").write_bytes(b"%PDF-1.4 secret")
    import mytho_security.urls

    importlib.reload(mytho_security.urls)
    clear_url_caches()
    try:
        response = client.get("/media/certifications/quyet-dinh.pdf")
        assert response.status_code == 404
        assert b"secret" not in response.content
    finally:
        settings.DEBUG = False
        importlib.reload(mytho_security.urls)
        clear_url_caches()


# --- failed logins: logged for administrators, lockout per user name ------------------------


def test_failed_logins_are_logged_with_user_name_address_and_time(client, official_a):
    _post_login(client, "official-a", "sai", address="10.0.0.7")
    _post_login(client, "no-such-user", "sai", address="10.0.0.8")
    logged = list(
        AccessFailureLog.objects.order_by("attempt_time").values_list("username", "ip_address")
    )
    assert logged == [("official-a", "10.0.0.7"), ("no-such-user", "10.0.0.8")]
    assert all(AccessFailureLog.objects.values_list("attempt_time", flat=True))


def test_admin_has_a_page_of_failed_logins(login, admin_user, client, official_a):
    _post_login(client, "official-a", "sai", address="10.0.0.7")
    client.logout()
    page = login(admin_user).get(reverse("admin:axes_accessfailurelog_changelist"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "official-a" in body and "10.0.0.7" in body


def test_failed_login_page_is_for_administrators_only(login, official_a, client):
    url = reverse("admin:axes_accessfailurelog_changelist")
    assert client.get(url).status_code == 302  # anonymous: to the admin's login
    assert login(official_a).get(url).status_code == 403


def test_lockout_counts_per_user_name_across_addresses(client, official_a, password, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "official-a", "sai", address=f"10.0.1.{n}")
    # A sixth address, even with the right password, is refused while the lock lasts.
    assert _post_login(client, "official-a", password, address="10.0.2.1").status_code == 429
    addresses = AccessAttempt.objects.filter(username="official-a").values("ip_address")
    assert addresses.distinct().count() == settings.AXES_FAILURE_LIMIT + 1


def test_log_lines_name_the_user_and_the_address(client, official_a, caplog):
    with caplog.at_level("INFO", logger="axes"):
        _post_login(client, "official-a", "sai", address="10.0.0.9")
    text = caplog.text
    assert "official-a" in text and "10.0.0.9" in text


# --- password reset rate limit -------------------------------------------------------------


def _ask_reset(client, email, address="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_is_limited_per_email(client, official_a, mailoutbox, settings):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = "3/h"
    official_a.email = "canbo@example.org"
    official_a.save()
    for n in range(3):
        assert _ask_reset(client, "CanBo@example.org", address=f"10.0.3.{n}").status_code == 302
    response = _ask_reset(client, "canbo@example.org", address="10.0.3.9")
    assert response.status_code == 429
    assert "Bạn đã yêu cầu đặt lại mật khẩu quá nhiều lần" in response.content.decode()
    assert len(mailoutbox) == 3


def test_password_reset_is_limited_per_address_the_same_for_unknown_emails(client, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = "5/h"
    for n in range(5):
        assert _ask_reset(client, f"khach{n}@example.org").status_code == 302
    limited = _ask_reset(client, "khach9@example.org")
    assert limited.status_code == 429
    # Another address is not affected.
    assert _ask_reset(client, "khach9@example.org", address="10.9.9.9").status_code == 302


def test_behind_nginx_the_clients_address_is_logged_not_the_proxys(client, official_a):
    # deploy/nginx-antq.conf overwrites X-Forwarded-For with the client's address.
    client.post(
        reverse("login"),
        {"username": "official-a", "password": "sai"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert AccessFailureLog.objects.get().ip_address == "203.0.113.9"


def test_password_reset_with_the_cache_down_refuses_without_an_error(
    client, official_a, mailoutbox
):
    """With REDIS_URL set and Redis stopped (issue 13's shared cache), the counters cannot be
    read: the form says so with a 503 instead of a server error, and sends nothing."""
    from django.test import override_settings

    closed = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/15",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    official_a.email = "canbo@example.org"
    official_a.save()
    with override_settings(CACHES=closed):
        response = _ask_reset(client, "canbo@example.org", address="10.0.4.1")
    assert response.status_code == 503
    assert "Tạm thời chưa thể đặt lại mật khẩu" in response.content.decode()
    assert mailoutbox == []
