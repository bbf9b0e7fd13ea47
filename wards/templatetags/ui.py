"""Small presentation helpers shared by every app's templates."""

import datetime

from django import template

register = template.Library()


@register.filter
def minutes(value: datetime.timedelta | None) -> int:
    """A duration in whole minutes (the lockout page says how long to wait)."""
    if not value:
        return 0
    return round(value.total_seconds() / 60)
