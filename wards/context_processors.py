from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from wards import permissions


def navigation(request: HttpRequest) -> dict:
    """What the navigation bar needs: the user's role flags (the links are in base.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": None}
    return {
        "nav_role": permissions.menu_role(user),
        "nav_is_official": permissions.works_for_own_unit(user),
        "nav_is_city": permissions.sees_city_views(user),
        "nav_can_approve": permissions.has_approval_duties(user),
        "nav_is_staff": user.is_staff,
    }


def _unread_badge(user) -> str:
    from wards.models import Notification

    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return "" if not count else ("99+" if count > 99 else str(count))


def notifications(request: HttpRequest) -> dict:
    """The bell's unread count: one query, and only on pages that show the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: _unread_badge(user))}
