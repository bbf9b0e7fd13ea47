"""The bell, /thong-bao/, GET /api/v1/notifications/, the profile's preference, and e-mail
delivery through a real SMTP server on 127.0.0.1 (with a failure retried on the next run)."""

import email
import email.header
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from wards import notifications
from wards.models import Notification, User

pytestmark = pytest.mark.django_db


def _notify(user, text="Phường 1 đã nộp báo cáo năm 2026 để duyệt.", **kwargs):
    kwargs.setdefault("kind", Notification.Kind.REPORT_SUBMITTED)
    kwargs.setdefault("url", "/bao-cao/2026/phuong-1/")
    return notifications.notify(recipients=[user], text=text, **kwargs)[0]


# --- the bell -------------------------------------------------------------------------------


def test_bell_shows_the_unread_count_on_every_page(login, client, official_a, official_b):
    for i in range(3):
        _notify(official_a, text=f"Thông báo {i}")
    _notify(official_b)
    read = _notify(official_a, text="Đã đọc")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    login(official_a)
    for url in (reverse("home"), reverse("wards:unit_list"), reverse("wards:profile")):
        body = client.get(url).content.decode()
        assert 'id="notification-count"' in body
        assert "chưa đọc: </span>3</span>" in body


def test_bell_costs_one_query(login, client, official_a):
    _notify(official_a)
    login(official_a)
    client.get(reverse("wards:profile"))  # session and user loaded once
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("wards:profile"))
    bell = [q["sql"] for q in ctx.captured_queries if "wards_notification" in q["sql"]]
    assert len(bell) == 1
    assert "COUNT(*)" in bell[0]


def test_bell_without_unread_has_no_badge_and_caps_at_99(login, client, official_a):
    body = login(official_a).get(reverse("home")).content.decode()
    assert 'id="notification-bell"' in body
    assert 'id="notification-count"' not in body
    notifications.notify(recipients=[official_a], kind="reminder", text="x")
    Notification.objects.bulk_create(
        Notification(recipient=official_a, kind="reminder", text=f"n{i}") for i in range(100)
    )
    assert "99+" in client.get(reverse("home")).content.decode()


# --- /thong-bao/ ----------------------------------------------------------------------------


def test_notification_page_needs_login(client):
    response = client.get(reverse("wards:notifications"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_notification_page_lists_own_newest_first_and_filters_unread(
    login, client, official_a, official_b
):
    first = _notify(official_a, text="Cũ hơn")
    _notify(official_a, text="Mới hơn")
    _notify(official_b, text="Của người khác")
    Notification.objects.filter(pk=first.pk).update(read_at=first.created_at)
    body = login(official_a).get(reverse("wards:notifications")).content.decode()
    assert body.index("Mới hơn") < body.index("Cũ hơn")
    assert "Của người khác" not in body
    # ?unread=1, and the old ?chua-doc=1 of bookmarked links.
    for query in ("?unread=1", "?chua-doc=1"):
        unread = client.get(reverse("wards:notifications") + query).content.decode()
        assert "Mới hơn" in unread and "Cũ hơn" not in unread, query
    assert 'href="/thong-bao/?unread=1"' in body


def test_opening_marks_read_and_goes_to_the_object(login, client, official_a):
    note = _notify(official_a)
    response = login(official_a).get(reverse("wards:notification_open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/bao-cao/2026/phuong-1/"
    note.refresh_from_db()
    assert note.is_read


def test_an_external_link_is_not_followed(login, client, official_a):
    note = _notify(official_a, url="https://example.com/x")
    response = login(official_a).get(reverse("wards:notification_open", args=[note.pk]))
    assert response["Location"] == reverse("wards:notifications")


def test_someone_elses_notification_is_404(login, client, official_a, official_b):
    note = _notify(official_b)
    login(official_a)
    assert client.get(reverse("wards:notification_open", args=[note.pk])).status_code == 404
    assert client.post(reverse("wards:notification_read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert not note.is_read


def test_mark_one_and_mark_all_read(login, client, official_a, official_b):
    one, two = _notify(official_a), _notify(official_a)
    other = _notify(official_b)
    login(official_a)
    assert client.get(reverse("wards:notification_read", args=[one.pk])).status_code == 405
    client.post(reverse("wards:notification_read", args=[one.pk]))
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.is_read and not two.is_read
    response = client.post(reverse("wards:notifications_read_all"), follow=True)
    assert "Đã đánh dấu đã đọc 1 thông báo." in response.content.decode()
    assert not Notification.objects.filter(recipient=official_a, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert not other.is_read


# --- the API --------------------------------------------------------------------------------


def test_api_needs_a_session(client):
    assert client.get("/api/v1/notifications/").status_code == 401


def test_api_lists_own_notifications_newest_first_with_unread_filter(
    login, client, official_a, official_b
):
    old = _notify(official_a, text="Cũ")
    new = _notify(official_a, text="Mới", kind="reminder", url="/bao-cao/")
    _notify(official_b, text="Không phải của bạn")
    Notification.objects.filter(pk=old.pk).update(read_at=old.created_at)
    rows = login(official_a).get("/api/v1/notifications/").json()
    assert [r["text"] for r in rows] == ["Mới", "Cũ"]
    assert rows[0] == {
        "id": new.pk,
        "kind": "reminder",
        "text": "Mới",
        "url": "/bao-cao/",
        "created": rows[0]["created"],
        "read": False,
    }
    assert rows[1]["read"] is True
    unread = client.get("/api/v1/notifications/?unread=1").json()
    assert [r["id"] for r in unread] == [new.pk]


def test_api_bad_parameters_get_a_400(login, client, official_a):
    login(official_a)
    response = client.get("/api/v1/notifications/?unread=yes")
    assert response.status_code == 400
    assert response.json() == {"error": "unread must be 0 or 1", "fields": {}}
    assert client.get("/api/v1/notifications/?limit=0").status_code == 400


# --- the profile ----------------------------------------------------------------------------


def test_profile_needs_login(client):
    response = client.get(reverse("wards:profile"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_profile_saves_address_and_preference(login, client, official_a):
    response = login(official_a).post(
        reverse("wards:profile"), {"email": "p1@mytho.local", "email_preference": "daily"}
    )
    assert response.status_code == 302
    official_a.refresh_from_db()
    assert (official_a.email, official_a.email_preference) == ("p1@mytho.local", "daily")


def test_profile_asks_for_an_address_to_send_email(login, client, official_a):
    response = login(official_a).post(
        reverse("wards:profile"), {"email": "", "email_preference": "immediate"}
    )
    assert response.status_code == 200
    assert "Nhập địa chỉ e-mail, hoặc chọn chỉ nhận thông báo trong ứng dụng." in (
        response.content.decode()
    )


# --- e-mail ---------------------------------------------------------------------------------


def test_email_follows_the_users_preference(official_a):
    at_once = UserFactory(username="p-ngay", email="ngay@mytho.local", unit=official_a.unit)
    daily = UserFactory(
        username="p-tonghop", email="th@mytho.local", email_preference="daily", unit=official_a.unit
    )
    in_app = UserFactory(
        username="p-app", email="app@mytho.local", email_preference="in_app", unit=official_a.unit
    )
    states = {
        n.recipient_id: n.email_state
        for n in notifications.notify(
            recipients=[official_a, at_once, daily, in_app], kind="reminder", text="Nhắc"
        )
    }
    assert states == {
        official_a.pk: "none",  # no address
        at_once.pk: "pending",
        daily.pk: "digest",
        in_app.pk: "none",
    }
    assert str(notifications.deliver_pending()) == "1 sent, 0 failed (retried next run), 0 skipped"
    assert [m.to for m in mail.outbox] == [["ngay@mytho.local"]]
    message = mail.outbox[0]
    assert message.subject == "[ANTQ Mỹ Tho] Nhắc"
    assert "https://testserver/tai-khoan/ho-so/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Nhắc" in html
    assert notifications.deliver_pending().sent == 0  # nothing twice
    digest = notifications.deliver_digests()
    assert digest.sent == 1
    assert mail.outbox[1].to == ["th@mytho.local"]
    assert mail.outbox[1].subject == "[ANTQ Mỹ Tho] 1 thông báo mới"


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://antq.mytho.local"
    return settings


def _decoded(envelope):
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return message, " ".join(subject.split()), text, html


def test_a_real_smtp_server_receives_vietnamese_subject_and_body(smtp_settings, official_a):
    official_a.email = "phuong-1@mytho.local"
    official_a.first_name, official_a.last_name = "Cán bộ", "Phường 1"
    official_a.save()
    text = "Báo cáo năm 2026 của Phường 1 chưa nộp (còn 5 ngày, hạn 15/12/2026)."
    _notify(official_a, text=text, kind="reminder", url="/bao-cao/2026/phuong-1/nhap-lieu/")
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    controller.start()
    try:
        result = notifications.deliver_pending()
    finally:
        controller.stop()
    assert result.sent == 1
    (envelope,) = inbox.messages
    assert envelope.rcpt_tos == ["phuong-1@mytho.local"]
    message, subject, body, html = _decoded(envelope)
    assert subject == "[ANTQ Mỹ Tho] " + text
    assert "Kính gửi Cán bộ Phường 1," in body
    assert text in body
    assert "https://antq.mytho.local/bao-cao/2026/phuong-1/nhap-lieu/" in body
    assert 'href="https://antq.mytho.local/bao-cao/2026/phuong-1/nhap-lieu/"' in html
    assert "Mở trong ứng dụng" in html
    assert Notification.objects.get().email_state == "sent"


def test_an_smtp_failure_is_logged_and_retried_on_the_next_run(smtp_settings, official_a, caplog):
    official_a.email = "phuong-1@mytho.local"
    official_a.save()
    note = _notify(official_a, text="Nhắc nộp báo cáo", kind="reminder")
    # Nothing listens on the port yet: the run fails, nothing is lost, the request never saw it.
    result = notifications.deliver_pending()
    assert (result.sent, result.failed) == (0, 1)
    note.refresh_from_db()
    assert (note.email_state, note.email_attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in note.email_error
    assert "retried next run" in caplog.text

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_settings.EMAIL_PORT)
    controller.start()
    try:
        result = notifications.deliver_pending()
    finally:
        controller.stop()
    assert result.sent == 1
    assert len(inbox.messages) == 1
    note.refresh_from_db()
    assert (note.email_state, note.email_error) == ("sent", "")


def test_gives_up_after_max_attempts_with_an_error_in_the_log(
    smtp_settings, official_a, caplog, monkeypatch
):
    official_a.email = "phuong-1@mytho.local"
    official_a.save()
    note = _notify(official_a, kind="reminder", text="x")
    Notification.objects.filter(pk=note.pk).update(email_attempts=notifications.MAX_ATTEMPTS - 1)
    notifications.deliver_pending()
    note.refresh_from_db()
    assert note.email_state == "failed"
    assert "given up" in caplog.text


def test_the_actor_and_inactive_users_get_nothing(official_a, approver):
    gone = UserFactory(username="gone", unit=official_a.unit, is_active=False)
    created = notifications.notify(
        recipients=User.objects.filter(pk__in=[official_a.pk, approver.pk, gone.pk]),
        kind="reminder",
        text="x",
        exclude=approver,
    )
    assert [n.recipient for n in created] == [official_a]


def test_a_key_makes_a_notification_once_per_person(official_a, official_b):
    for _ in range(2):
        notifications.notify(
            recipients=[official_a, official_b], kind="reminder", text="x", key="reminder:1:2:7"
        )
    assert Notification.objects.count() == 2
