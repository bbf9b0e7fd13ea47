"""Notifications: created with the event that causes them, e-mailed afterwards.

The apps above create notifications from their services, inside the transaction of the event
(:func:`notify`), so a rolled-back event leaves no notification behind. Nothing here talks to
the mail server during a request: :func:`deliver_pending` (``manage.py send_notifications``,
run every few minutes by a timer, and at the end of ``send_reminders``) sends what waits, and
a failure is logged and retried on the next run, up to :data:`MAX_ATTEMPTS` times.

This module is in the ground-floor app: it knows users, texts and links, not reports or
dossiers.
"""

import contextlib
import datetime
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from wards.models import Notification, User

logger = logging.getLogger(__name__)

# After this many failed attempts an e-mail is given up (state "failed", logged as an error).
MAX_ATTEMPTS = 20
# E-mails sent per run: a run that falls behind catches up on the next one.
BATCH_SIZE = 500
SUBJECT_PREFIX = "[ANTQ Mỹ Tho] "


@contextlib.contextmanager
def site_language() -> Iterator[None]:
    """Texts of notifications and e-mails are written in the site's language (Vietnamese),
    whatever language the person causing the event uses."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def email_state_for(user: User) -> str:
    if not user.email or user.email_preference == User.EmailPreference.IN_APP:
        return Notification.EmailState.NONE
    if user.email_preference == User.EmailPreference.DAILY:
        return Notification.EmailState.DIGEST
    return Notification.EmailState.PENDING


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    text: str,
    url: str = "",
    details: str = "",
    key: str = "",
    exclude: User | None = None,
) -> list[Notification]:
    """Create one notification per active recipient (``exclude``, the actor, gets none).

    With a ``key``, a recipient who already has a notification with that key gets nothing new:
    scheduled reminders call this every day and reach each person once. Returns the rows
    created. Call it inside the event's transaction.
    """
    users = {u.pk: u for u in recipients if u.is_active and (exclude is None or u.pk != exclude.pk)}
    if key and users:
        already = set(
            Notification.objects.filter(recipient_id__in=list(users), key=key).values_list(
                "recipient_id", flat=True
            )
        )
        users = {pk: u for pk, u in users.items() if pk not in already}
    now = timezone.now()
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            text=text[:500],
            details=details,
            url=url,
            key=key,
            created_at=now,
            email_state=email_state_for(user),
        )
        for user in users.values()
    ]
    # ignore_conflicts: a concurrent run that created the same keyed row first wins.
    return Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))


def absolute_url(path: str) -> str:
    if not path:
        return settings.SITE_URL + "/"
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


# --- what the recipient does ---------------------------------------------------------------


def mark_read(*, user: User, notification: Notification) -> None:
    """Mark one of ``user``'s notifications read (someone else's is refused)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.filter(recipient=user).unread().update(read_at=timezone.now())


def save_settings(*, user: User, profile: User) -> User:
    """Save the user's own address and e-mail choice (the profile form's two fields only)."""
    if profile.pk != user.pk:
        raise PermissionDenied
    profile.save(update_fields=["email", "email_preference"])
    return profile


# --- e-mail --------------------------------------------------------------------------------


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.failed} failed (retried next run), {self.skipped} skipped"


# A mail server that cannot be reached: stop this run, every message would fail the same way.
_CONNECTION_ERRORS = (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected, OSError)


def _message(notification: Notification, connection) -> EmailMultiAlternatives:
    with site_language():
        context = {
            "notification": notification,
            "user": notification.recipient,
            "link": absolute_url(notification.url),
            "profile_link": absolute_url(reverse("wards:profile")),
        }
        subject = SUBJECT_PREFIX + " ".join(notification.text.split())[:150]
        text = render_to_string("wards/email/notification.txt", context)
        html = render_to_string("wards/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject, text, to=[notification.recipient.email], connection=connection
    )
    message.attach_alternative(html, "text/html")
    return message


def _digest_message(user: User, notifications: list[Notification], connection):
    with site_language():
        context = {
            "user": user,
            "notifications": [(n, absolute_url(n.url)) for n in notifications],
            "link": absolute_url(reverse("wards:notifications")),
            "profile_link": absolute_url(reverse("wards:profile")),
        }
        subject = SUBJECT_PREFIX + gettext("%(count)s new notifications") % {
            "count": len(notifications)
        }
        text = render_to_string("wards/email/digest.txt", context)
        html = render_to_string("wards/email/digest.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email], connection=connection)
    message.attach_alternative(html, "text/html")
    return message


def _failed(rows: list[Notification], exc: Exception, now: datetime.datetime) -> None:
    for row in rows:
        row.email_attempts += 1
        row.email_error = f"{now:%Y-%m-%d %H:%M} {type(exc).__name__}: {exc}"[:1000]
        if row.email_attempts >= MAX_ATTEMPTS:
            row.email_state = Notification.EmailState.FAILED
            logger.error(
                "Notification %s to %s: e-mail given up after %s attempts: %s",
                row.pk,
                row.recipient.email,
                row.email_attempts,
                exc,
            )
        else:
            logger.warning(
                "Notification %s to %s: e-mail failed (attempt %s), retried next run: %s",
                row.pk,
                row.recipient.email,
                row.email_attempts,
                exc,
            )
        row.save(update_fields=["email_attempts", "email_error", "email_state"])


def _sent(rows: list[Notification], now: datetime.datetime) -> None:
    for row in rows:
        row.email_state = Notification.EmailState.SENT
        row.emailed_at = now
        row.email_error = ""
        row.save(update_fields=["email_state", "emailed_at", "email_error"])


def _outbox(state: str):
    return (
        Notification.objects.filter(email_state=state)
        .select_related("recipient")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
    )


def deliver_pending() -> DeliveryResult:
    """Send the e-mails of notifications waiting to go "at once"; failures stay for next run."""
    result = DeliveryResult()
    connection = get_connection(fail_silently=False)
    with transaction.atomic():
        for row in list(_outbox(Notification.EmailState.PENDING)[:BATCH_SIZE]):
            now = timezone.now()
            if not row.recipient.email or not row.recipient.is_active:
                row.email_state = Notification.EmailState.NONE
                row.save(update_fields=["email_state"])
                result.skipped += 1
                continue
            try:
                _message(row, connection).send()
            except _CONNECTION_ERRORS as exc:
                _failed([row], exc, now)
                result.failed += 1
                break
            except Exception as exc:  # noqa: BLE001 - one bad message must not stop the others
                _failed([row], exc, now)
                result.failed += 1
            else:
                _sent([row], now)
                result.sent += 1
    with contextlib.suppress(Exception):
        connection.close()
    return result


def deliver_digests() -> DeliveryResult:
    """One e-mail per user who chose the daily digest, listing what arrived since the last."""
    result = DeliveryResult()
    connection = get_connection(fail_silently=False)
    with transaction.atomic():
        by_user: dict[int, list[Notification]] = defaultdict(list)
        for row in _outbox(Notification.EmailState.DIGEST)[:BATCH_SIZE]:
            by_user[row.recipient_id].append(row)
        for rows in by_user.values():
            user, now = rows[0].recipient, timezone.now()
            if not user.email or not user.is_active:
                for row in rows:
                    row.email_state = Notification.EmailState.NONE
                    row.save(update_fields=["email_state"])
                result.skipped += len(rows)
                continue
            try:
                _digest_message(user, rows, connection).send()
            except _CONNECTION_ERRORS as exc:
                _failed(rows, exc, now)
                result.failed += 1
                break
            except Exception as exc:  # noqa: BLE001
                _failed(rows, exc, now)
                result.failed += 1
            else:
                _sent(rows, now)
                result.sent += 1
    with contextlib.suppress(Exception):
        connection.close()
    return result
