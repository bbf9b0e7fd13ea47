"""Titles held, counted per area and year: what the dashboard shows without counting dossiers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.certifications.models.choices import CertificationKind, HolderType, choices_q
from wards.models import AdministrativeUnit


class TitleCount(models.Model):
    """How many holders of ``holder_type`` held ``kind`` in ``year`` in ``area``.

    ``area`` counts the dossiers owned by itself (a city's own organisations) and, below it, by
    every ward or commune that existed on the year's last day: the same holders the dashboard's
    summary counts from the dossiers. Kept by :mod:`campaigns.certifications.counts`.
    """

    area = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("title"), max_length=24, choices=CertificationKind.choices)
    holder_type = models.CharField(_("holder type"), max_length=24, choices=HolderType.choices)
    holders = models.PositiveIntegerField(_("holders"))

    class Meta:
        verbose_name = _("title count")
        verbose_name_plural = _("title counts")
        constraints = [
            # Also the conflict target of the upsert in campaigns.certifications.counts, and
            # the index of the dashboard's read (one area, one year).
            models.UniqueConstraint(
                fields=["area", "year", "kind", "holder_type"],
                name="certifications_titlecount_unique",
            ),
            models.CheckConstraint(
                condition=choices_q("kind", CertificationKind),
                name="certifications_titlecount_kind_valid",
            ),
            models.CheckConstraint(
                condition=choices_q("holder_type", HolderType),
                name="certifications_titlecount_holder_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year} {self.kind}/{self.holder_type}: {self.holders}"
