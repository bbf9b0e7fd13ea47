import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_and_home_shows_the_unit(client, official_a, password):
    response = _post_login(client, "official-a", password)
    assert response.status_code == 302
    page = client.get(reverse("home"))
    assert "Phường 1" in page.content.decode()
    assert "Việc cần làm" in page.content.decode()  # "What is due", in Vietnamese by default


def test_wrong_password_shows_a_clear_vietnamese_message(client, official_a):
    response = _post_login(client, "official-a", "sai-mat-khau")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sai tên đăng nhập hoặc mật khẩu" in body
    assert "sau 5 lần nhập sai" in body.lower()


def test_lockout_after_repeated_failures(client, official_a, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _post_login(client, "official-a", "sai").status_code == 200
    response = _post_login(client, "official-a", "sai")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Tài khoản tạm bị khóa" in body
    assert "15 phút" in body
    # Even the right password is refused while the lock lasts.
    assert _post_login(client, "official-a", password).status_code == 429


def test_lockout_is_per_user_name(client, official_a, official_b, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "official-a", "sai")
    assert _post_login(client, "official-b", password).status_code == 302


def test_logout_needs_post_and_ends_the_session(client, official_a, password):
    _post_login(client, "official-a", password)
    # A GET (a link, a prefetch, an <img> on another site) is refused and logs nobody out.
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200
    assert client.session.get("_auth_user_id") == str(official_a.pk)
    assert client.post(reverse("logout")).status_code in (200, 302)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_link(client, official_a, mailoutbox):
    official_a.email = "canbo@example.org"
    official_a.save()
    response = client.post(reverse("password_reset"), {"email": "canbo@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/tai-khoan/reset/" in mailoutbox[0].body


def test_password_change_page(login, official_a):
    assert login(official_a).get(reverse("password_change")).status_code == 200


def test_session_expires(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
