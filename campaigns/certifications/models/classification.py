"""Movement classification: a 100-point sheet per holder and year, graded by thresholds."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.certifications.models.choices import (
    ClassificationLevel,
    ClassificationStatus,
    choices_q,
)
from campaigns.certifications.models.holders import HolderModel
from campaigns.certifications.models.rules import RuleSet, ScoringItem, level_for
from wards.models import TimeStampedModel
from wards.scoping import ScopedQuerySet


class MovementClassificationQuerySet(ScopedQuerySet):
    unit_lookup = "unit"


class MovementClassification(HolderModel):
    """A holder's scoring sheet for one year. The level is computed, never stored, so that a
    threshold changed in the admin changes every level at once."""

    Status = ClassificationStatus
    Level = ClassificationLevel

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("scoring sheet"),
        on_delete=models.PROTECT,
        related_name="classifications",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = MovementClassificationQuerySet.as_manager()

    class Meta(HolderModel.Meta):
        verbose_name = _("movement classification")
        verbose_name_plural = _("movement classifications")
        ordering = ["-year", "unit__display_order", "holder_type", "pk"]
        constraints = [
            *HolderModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["holder_unit", "year"],
                condition=Q(holder_unit__isnull=False),
                name="certifications_classification_unit_year_unique",
                violation_error_message=_("This unit already has a scoring sheet for the year."),
            ),
            models.UniqueConstraint(
                fields=["residential_area", "year"],
                condition=Q(residential_area__isnull=False),
                name="certifications_classification_area_year_unique",
                violation_error_message=_(
                    "This residential area already has a scoring sheet for the year."
                ),
            ),
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=Q(organization__isnull=False),
                name="certifications_classification_org_year_unique",
                violation_error_message=_(
                    "This organisation already has a scoring sheet for the year."
                ),
            ),
            models.CheckConstraint(
                condition=choices_q("status", ClassificationStatus),
                name="certifications_classification_status_valid",
            ),
        ]
        indexes = [
            # Classification lists and a unit's history: by unit and year.
            models.Index(fields=["unit", "year"], name="cert_classif_unit_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year} — {self.holder_name}"

    def get_absolute_url(self) -> str:
        return reverse("certifications:classification_detail", kwargs={"pk": self.pk})

    def totals(self) -> tuple[Decimal, Decimal | None]:
        """(self-assessed total, approved total or None); uses ``self.scores.all()``."""
        scores = list(self.scores.all())
        own = sum((s.self_points or Decimal(0) for s in scores), Decimal(0))
        approved_values = [s.approved_points for s in scores if s.approved_points is not None]
        approved = sum(approved_values, Decimal(0)) if approved_values else None
        return own, approved

    @property
    def points(self) -> Decimal:
        """The total that decides the level: approved points once any exist, else own points."""
        own, approved = self.totals()
        return approved if approved is not None else own

    @property
    def level(self) -> str | None:
        return level_for(self.points, self.rule_set.thresholds.all())

    def get_level_display(self) -> str:
        level = self.level
        return str(ClassificationLevel(level).label) if level else ""


class ClassificationScoreQuerySet(ScopedQuerySet):
    unit_lookup = "classification__unit"


class ClassificationScore(TimeStampedModel):
    """Self-assessed and approved points for one item; never above the item's maximum."""

    classification = models.ForeignKey(
        MovementClassification,
        verbose_name=_("classification"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    item = models.ForeignKey(
        ScoringItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the item when the sheet is created so the database can check the points.
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=1)
    self_points = models.DecimalField(
        _("self-assessed points"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    approved_points = models.DecimalField(
        _("approved points"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()
    objects = ClassificationScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["classification", "item__order", "item__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["classification", "item"], name="certifications_score_item_unique"
            ),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True)
                | (Q(self_points__gte=0) & Q(self_points__lte=F("max_points"))),
                name="certifications_score_self_within_max",
            ),
            models.CheckConstraint(
                condition=Q(approved_points__isnull=True)
                | (Q(approved_points__gte=0) & Q(approved_points__lte=F("max_points"))),
                name="certifications_score_approved_within_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.classification} — {self.item.code}"
