from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict:
    """What the navigation bar needs: the user's role flags (the links are in base.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_role": None}
    return {
        "nav_role": user.role or (user.Role.ADMIN if user.is_superuser else None),
        "nav_is_official": user.is_official,
        "nav_is_city": user.is_city_role or user.is_admin_role,
        "nav_can_approve": user.can_approve,
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
