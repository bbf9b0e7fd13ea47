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
