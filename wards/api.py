"""``GET /api/v1/notifications/``: the signed-in user's notifications, newest first.

A router of the project's one API (mounted by ``campaigns.dashboard.api``), session-authenticated
like the rest of it.
"""

import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from wards.models import Notification

router = Router(tags=["notifications"])

MAX_LIMIT = 500


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    created: datetime.datetime
    read: bool


@router.get(
    "/",
    response=list[NotificationOut],
    summary="Your notifications, newest first",
    description=(
        "unread=1 for the unread ones only; limit (1–500, default 100) for how many. "
        "Each links (url) to the page it is about."
    ),
)
def notification_list(request: HttpRequest, unread: str = "", limit: str = "100"):
    if unread not in ("", "0", "1"):
        raise HttpError(400, "unread must be 0 or 1")
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT:
        raise HttpError(400, f"limit must be a whole number from 1 to {MAX_LIMIT}")
    rows = Notification.objects.filter(recipient=request.user)
    if unread == "1":
        rows = rows.unread()
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "text": n.text,
            "url": n.url,
            "created": n.created_at,
            "read": n.read_at is not None,
        }
        for n in rows.order_by("-created_at", "-pk")[: int(limit)]
    ]
