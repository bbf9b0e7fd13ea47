"""Numbers the Vietnamese way on the dashboard pages: 1.816 and 70,5."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def num(value, decimals=None) -> str:
    """Group thousands and show decimals only when the value has them (or as asked)."""
    if value is None or value == "":
        return "—"
    value = Decimal(str(value))
    if decimals in (None, ""):
        decimals = 0 if value == value.to_integral_value() else 1
    return number_format(value, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when missing)."""
    return mapping.get(key) if mapping else None
