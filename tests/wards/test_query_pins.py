"""Exact query counts of the notification pages, each query named; constant in the number of
notifications (50 a page on the page, the latest 100 in the API)."""

import pytest
from django.urls import reverse

from wards.models import Notification

pytestmark = pytest.mark.django_db

NOTIFICATIONS_PAGE = [
    "session",
    "user",
    "count of the user's notifications (pagination)",
    "unread notifications (the bell)",
    "the page of notifications, newest first",
]
NOTIFICATIONS_API = ["session", "user", "the user's latest 100 notifications"]


def _notify(user, n: int) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=user, kind=Notification.Kind.REPORT_SUBMITTED, text=f"Báo cáo {i}")
        for i in range(n)
    )


@pytest.mark.parametrize("many", [3, 120])
def test_notifications_page_and_api(login, approver, many, django_assert_num_queries):
    _notify(approver, many)
    client = login(approver)
    client.get(reverse("wards:notifications"))  # warm what is loaded once per process
    with django_assert_num_queries(len(NOTIFICATIONS_PAGE)):
        page = client.get(reverse("wards:notifications"))
    assert len(page.context["page"].object_list) == min(many, 50)
    with django_assert_num_queries(len(NOTIFICATIONS_API)):
        rows = client.get("/api/v1/notifications/").json()
    assert len(rows) == min(many, 100)
