"""What the certification pages share: holder slugs in URLs, the year parameter, who may
prepare, and the scoped querysets every page starts from."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone

from campaigns.certifications import permissions
from campaigns.certifications.models import Dossier, HolderType
from campaigns.certifications.models.holders import HOLDER_RELATED
from wards.models import AdministrativeUnit, Organization, ResidentialArea
from wards.numbers import int_param
from wards.params import query_param
from wards.periods import ended_message, work_years

HOLDER_SLUGS = {
    "don-vi": HolderType.UNIT,
    "khu-dan-cu": HolderType.RESIDENTIAL_AREA,
    "to-chuc": HolderType.ORGANIZATION,
}
SLUG_OF_HOLDER = {value: key for key, value in HOLDER_SLUGS.items()}
PAGE_SIZE = 50


def this_year() -> int:
    return timezone.localdate().year


def year_param(request: HttpRequest, name: str, default: int, *, old: str | None = None) -> int:
    """A year parameter (or its former key ``old``): absent or out of range gives ``default``;
    not digits 0–9, a 400."""
    value = int_param(query_param(request, name, *filter(None, [old])), default=default)
    return value if 2000 <= value <= 2100 else default


def require_preparer(user) -> None:
    """Leaders read only; accounts without a role do nothing."""
    if not permissions.can_prepare_dossiers(user):
        raise PermissionDenied


def editable_holder(user, holder_slug: str, pk: int):
    holder_type = HOLDER_SLUGS.get(holder_slug)
    if holder_type == HolderType.UNIT:
        qs = AdministrativeUnit.objects.editable_by(user).commune_level()
    elif holder_type == HolderType.RESIDENTIAL_AREA:
        qs = ResidentialArea.objects.editable_by(user).select_related("unit")
    elif holder_type == HolderType.ORGANIZATION:
        qs = Organization.objects.editable_by(user).select_related("unit")
    else:
        raise Http404
    return get_object_or_404(qs, pk=pk)


def closed_for_new_work(request: HttpRequest, holder) -> HttpResponse | None:
    """Refuse new work for a holder whose unit has ended: back to the board with the reason."""
    unit = holder if isinstance(holder, AdministrativeUnit) else holder.unit
    if unit.is_valid_on(timezone.localdate()):
        return None
    messages.error(request, ended_message(unit))
    return redirect("certifications:prepare")


def preparer_years(user) -> list[int]:
    """Years offered for new work: an official's unit's own years; everyone else's all years."""
    if permissions.prepares_for_own_unit(user) and user.unit_id:
        return work_years(user.unit)
    return list(range(this_year(), 2011, -1))


def visible_commune_units(user):
    return (
        AdministrativeUnit.objects.visible_to(user)
        .commune_level()
        .order_by("display_order", "name")
    )


def visible_unit_ids(user) -> list[int]:
    return list(AdministrativeUnit.objects.visible_to(user).values_list("pk", flat=True))


def dossier_qs(user):
    return Dossier.objects.visible_to(user).select_related(*HOLDER_RELATED, "rule_set")
