"""The heading and signature block of an official printout (Vietnamese administrative layout)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from wards.models import AdministrativeUnit


def document_context(
    *,
    unit: AdministrativeUnit,
    issuer: str,
    number: str,
    signer_on_behalf: str,
    signer_title: str,
    recipients: list[str],
    day: datetime.date | None = None,
) -> dict:
    """Template context for includes/official_header.html and official_signature.html.

    The issuing body sits under the People's Committee of ``unit``; the number is left for the
    clerk to fill in ("……/BC-BCĐ") unless the record has one.
    """
    return {
        "doc_parent": _("People's Committee of %(unit)s") % {"unit": unit.name},
        "doc_issuer": issuer,
        "doc_number": number,
        "doc_place": settings.DOCUMENT_PLACE,
        "doc_date": day or timezone.localdate(),
        "doc_signer_on_behalf": signer_on_behalf,
        "doc_signer_title": signer_title,
        "doc_recipients": recipients,
    }


def issuing_unit(
    unit: AdministrativeUnit, day: datetime.date, ground: list[AdministrativeUnit]
) -> AdministrativeUnit:
    """The unit whose People's Committee issues a printout on ``day`` about ``unit``'s
    ``ground`` (the units covering it on that day): the unit itself while it exists; for one
    that has ended, the one unit above all of its ground (TP. Mỹ Tho's five wards of 2025 are
    Đồng Tháp's), or the ground's single unit."""
    if unit.is_valid_on(day) or not ground:
        return unit
    if len(ground) == 1:
        return ground[0]
    parents = {u.parent_id for u in ground}
    if len(parents) == 1 and ground[0].parent_id is not None:
        return ground[0].parent
    return unit
