"""Reopening a closed year for one unit, and closing it again (approvers only, audited)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from wards import closure, permissions
from wards.models import AdministrativeUnit, YearReopening
from wards.scoping import can_view_unit


def _require_approver(user, unit: AdministrativeUnit) -> None:
    if not permissions.can_reopen_years(user) or not can_view_unit(user, unit):
        raise PermissionDenied(gettext("Only an approver can reopen or close a year."))


@transaction.atomic
def year_reopen(*, unit: AdministrativeUnit, year: int, user, reason: str) -> YearReopening:
    """Reopen a closed ``year`` for ``unit`` so its data may be corrected; the reason is kept."""
    _require_approver(user, unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why the year is reopened.")})
    if not closure.calendar_closed_years(unit, [year]):
        raise ValidationError(
            {"year": gettext("%(year)s is not closed for this unit.") % {"year": year}}
        )
    if YearReopening.objects.open_for(unit).filter(year=year).exists():
        raise ValidationError(
            {"year": gettext("%(year)s is already reopened for this unit.") % {"year": year}}
        )
    try:
        with transaction.atomic():
            return YearReopening.objects.create(
                unit=unit, year=year, reason=reason, reopened_by=user, reopened_at=timezone.now()
            )
    except IntegrityError as exc:  # a concurrent reopening won
        raise ValidationError(
            {"year": gettext("%(year)s is already reopened for this unit.") % {"year": year}}
        ) from exc


@transaction.atomic
def year_close_again(*, reopening: YearReopening, user) -> YearReopening:
    """Close a reopened year again: from now on its data is locked as before."""
    _require_approver(user, reopening.unit)
    reopening = YearReopening.objects.select_for_update().get(pk=reopening.pk)
    if not reopening.is_open:
        raise ValidationError(gettext("This year was already closed again."))
    reopening.closed_again_at = timezone.now()
    reopening.closed_again_by = user
    reopening.save(update_fields=["closed_again_at", "closed_again_by", "updated_at"])
    return reopening


@transaction.atomic
def years_reopen(
    *, unit: AdministrativeUnit, years: list[int], user, reason: str
) -> list[YearReopening]:
    """Reopen several closed years for ``unit`` at once (all or none), one audit row each;
    years already reopened for the unit are left as they are."""
    _require_approver(user, unit)
    already = set(
        YearReopening.objects.open_for(unit).filter(year__in=years).values_list("year", flat=True)
    )
    return [
        year_reopen(unit=unit, year=year, user=user, reason=reason)
        for year in years
        if year not in already
    ]
