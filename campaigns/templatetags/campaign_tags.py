"""Numbers and report lists for the campaigns templates."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from campaigns.models import UnitReport
from wards.numbers import format_number

register = template.Library()


# The one number format of the project (the dashboard's ``figures`` library registers the same).
register.filter("num", format_number)


@register.filter
def remark_for(remarks: dict, indicator_id: int):
    """The remark on one indicator, from :func:`campaigns.selectors.latest_remarks`."""
    return remarks.get(indicator_id) if remarks else None


@register.filter
def pct(value):
    """A change in % with its sign: +12,5%, −3,0% (the app's one percent format: a true minus
    sign, a decimal comma, no space before %); empty when there is no base."""
    if value is None:
        return ""
    # number_format cuts extra decimals off; round first (16.67 → 16.7, as the page's script).
    value = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{number_format(abs(value), decimal_pos=1, force_grouping=True)}%"


@register.simple_tag
def unit_reports(unit, user) -> list[UnitReport]:
    """The reports of ``unit`` that ``user`` may see, newest year first (one query)."""
    return list(
        UnitReport.objects.visible_to(user)
        .filter(unit=unit)
        .select_related("period", "period__campaign")
        .order_by("-period__year")
    )
