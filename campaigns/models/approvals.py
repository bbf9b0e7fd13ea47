"""Approval levels: who approves a unit's yearly report, as data that changes over the years.

DHIS2-style: a level names the tier of the hierarchy whose approvers decide (the district
level — a city or district — or the province), for which reports (wards and communes, or a
city's own consolidated report), from which year to which. A report goes through the levels
valid in its year in ``step`` order; its figures become official at the last one. Until 2024
the city police approve ward and commune reports; from 2025, with the district level abolished,
the provincial police do (domain.md §2).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.catalogue import IndicatorReporter
from wards.models import AdministrativeUnit, TimeStampedModel, choices_q


class ApprovalTier(models.TextChoices):
    DISTRICT = "district", _("District level (city, district)")
    PROVINCE = "province", _("Province level")


TIER_KINDS = {
    ApprovalTier.DISTRICT: (AdministrativeUnit.Kind.CITY, AdministrativeUnit.Kind.DISTRICT),
    ApprovalTier.PROVINCE: (AdministrativeUnit.Kind.PROVINCE,),
}


class ApprovalLevelQuerySet(models.QuerySet):
    def valid_in(self, year: int) -> "ApprovalLevelQuerySet":
        return self.filter(
            Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year), valid_from_year__lte=year
        )


class ApprovalLevel(TimeStampedModel):
    """One step of the approval of a kind of report in a range of years."""

    Tier = ApprovalTier
    Reporter = IndicatorReporter

    name = models.CharField(_("name"), max_length=200)
    reporter = models.CharField(
        _("reports of"),
        max_length=16,
        choices=Reporter.choices,
        help_text=_("Wards and communes, or a city's own (consolidated) report."),
    )
    step = models.PositiveSmallIntegerField(
        _("step"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("1 for the first approval; 2 for a second approval after it, and so on."),
    )
    tier = models.CharField(
        _("approved by"),
        max_length=16,
        choices=Tier.choices,
        help_text=_("The approvers of the unit of this tier above (or of) the reporting unit."),
    )
    office = models.CharField(
        _("office that handles it"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the provincial police office in charge of the movement."),
    )
    valid_from_year = models.PositiveSmallIntegerField(
        _("from year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    valid_to_year = models.PositiveSmallIntegerField(
        _("to year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Empty while the level is in force."),
    )

    objects = ApprovalLevelQuerySet.as_manager()

    class Meta:
        verbose_name = _("approval level")
        verbose_name_plural = _("approval levels")
        ordering = ["reporter", "valid_from_year", "step"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "step", "valid_from_year"],
                name="campaigns_approvallevel_reporter_step_from_unique",
            ),
            models.CheckConstraint(
                condition=choices_q("reporter", IndicatorReporter),
                name="campaigns_approvallevel_reporter_valid",
            ),
            models.CheckConstraint(
                condition=choices_q("tier", ApprovalTier), name="campaigns_approvallevel_tier_valid"
            ),
            models.CheckConstraint(
                condition=Q(step__gte=1), name="campaigns_approvallevel_step_positive"
            ),
            models.CheckConstraint(
                condition=Q(valid_to_year__isnull=True)
                | Q(valid_to_year__gte=F("valid_from_year")),
                name="campaigns_approvallevel_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        years = f"{self.valid_from_year}–{self.valid_to_year or ''}"
        return f"{self.name} ({years}, {self.step})"
