"""Yearly certification dossiers: registration, self-assessment per criterion, decision."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.certifications.models.choices import (
    CertificationKind,
    DossierStatus,
    HolderType,
    RecognisingLevel,
    Result,
    choices_q,
    recognising_level,
)
from campaigns.certifications.models.holders import HolderModel
from campaigns.certifications.models.rules import Criterion, RuleSet
from campaigns.certifications.validators import validate_attachment
from wards.models import TimeStampedModel
from wards.scoping import ScopedQuerySet


class DossierQuerySet(ScopedQuerySet):
    unit_lookup = "unit"

    def met(self) -> "DossierQuerySet":
        """Dossiers decided "đạt": the holder holds the title for that year."""
        return self.filter(status=DossierStatus.DECIDED, result=Result.MET)


class Dossier(HolderModel):
    """One holder's dossier for one certification kind and year."""

    Kind = CertificationKind
    Status = DossierStatus
    Result = Result

    kind = models.CharField(_("title"), max_length=24, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("rule set"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        help_text=_("Chosen from the assessment year when the dossier is created."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    registered_on = models.DateField(
        _("registration date"), help_text=_("Registration to strive for the title, in Q1.")
    )
    note = models.TextField(_("note"), blank=True)
    return_note = models.TextField(_("returned for correction because"), blank=True)
    proposed_result = models.CharField(
        _("proposed result"), max_length=8, choices=Result.choices, blank=True
    )
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Grows with every change (self-assessment, submission, decision, return): a decision or
    # return made from an older version is refused, so two approvers cannot both decide.
    version = models.PositiveIntegerField(_("version"), default=0)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = DossierQuerySet.as_manager()

    class Meta(HolderModel.Meta):
        verbose_name = _("certification dossier")
        verbose_name_plural = _("certification dossiers")
        ordering = ["-year", "unit__display_order", "holder_type", "pk"]
        constraints = [
            *HolderModel.Meta.constraints,
            # One dossier per holder, title and year (one constraint per holder column).
            models.UniqueConstraint(
                fields=["holder_unit", "kind", "year"],
                condition=Q(holder_unit__isnull=False),
                name="certifications_dossier_unit_kind_year_unique",
                violation_error_message=_("This unit already has a dossier for this title."),
            ),
            models.UniqueConstraint(
                fields=["residential_area", "kind", "year"],
                condition=Q(residential_area__isnull=False),
                name="certifications_dossier_area_kind_year_unique",
                violation_error_message=_(
                    "This residential area already has a dossier for this title."
                ),
            ),
            models.UniqueConstraint(
                fields=["organization", "kind", "year"],
                condition=Q(organization__isnull=False),
                name="certifications_dossier_org_kind_year_unique",
                violation_error_message=_(
                    "This organisation already has a dossier for this title."
                ),
            ),
            models.CheckConstraint(
                condition=choices_q("kind", CertificationKind),
                name="certifications_dossier_kind_valid",
            ),
            models.CheckConstraint(
                condition=choices_q("status", DossierStatus),
                name="certifications_dossier_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(proposed_result="") | choices_q("proposed_result", Result),
                name="certifications_dossier_proposed_result_valid",
            ),
            # A decided dossier has a result and a dated, numbered decision; others have none.
            models.CheckConstraint(
                condition=Q(
                    status=DossierStatus.DECIDED,
                    result__in=Result.values,
                    decision_date__isnull=False,
                )
                & ~Q(decision_number="")
                | (~Q(status=DossierStatus.DECIDED) & Q(result="")),
                name="certifications_dossier_decided_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(decision_date__isnull=True) | Q(decision_date__gte=F("registered_on")),
                name="certifications_dossier_decision_after_registration",
            ),
            models.CheckConstraint(
                condition=~Q(result=Result.MET) | ~Q(certificate_number=""),
                name="certifications_dossier_met_has_certificate",
            ),
        ]
        indexes = [
            # certified_count()/certified_counts(): title, year, holder type, result.
            models.Index(
                fields=["kind", "year", "holder_type", "result"],
                name="cert_dossier_kind_year_idx",
            ),
            # Dossier lists and a unit's history: by unit and year.
            models.Index(fields=["unit", "year"], name="cert_dossier_unit_year_idx"),
            # The approver's "awaiting decision" list.
            models.Index(fields=["status", "year"], name="cert_dossier_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} — {self.holder_name}"

    def get_absolute_url(self) -> str:
        return reverse("certifications:dossier_detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status == DossierStatus.DRAFT

    @property
    def is_certified(self) -> bool:
        return self.status == DossierStatus.DECIDED and self.result == Result.MET

    @property
    def recognising_level(self) -> str:
        if self.holder_type != HolderType.UNIT and not self.unit.is_commune_level:
            # A city-level organisation is recognised by the city itself.
            return RecognisingLevel.CITY
        return recognising_level(self.kind, self.holder_type)

    def default_issuing_body(self) -> str:
        """The People's Committee that recognises this holder (domain.md §3)."""
        if self.recognising_level == RecognisingLevel.COMMUNE:
            body_unit = self.unit
        else:
            body_unit = self.unit.parent if self.unit.is_commune_level else self.unit
        name = body_unit.name if body_unit else ""
        return gettext("People's Committee of %(unit)s") % {"unit": name}


def attachment_path(instance: "CriterionAssessment", filename: str) -> str:
    """Files live under the dossier's year and id, with a random part so names cannot be
    guessed (they are served only through the scoped download view)."""
    name = get_valid_filename(filename)[-80:]
    dossier = instance.dossier
    return f"certifications/{dossier.year}/{dossier.pk}/{uuid.uuid4().hex[:12]}-{name}"


class CriterionAssessmentQuerySet(ScopedQuerySet):
    unit_lookup = "dossier__unit"


class CriterionAssessment(TimeStampedModel):
    """The self-assessment of one criterion in a dossier: met or not, with evidence."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(_("met"), null=True, blank=True, help_text=_("Empty until assessed."))
    evidence = models.TextField(_("evidence"), blank=True)
    attachment = models.FileField(
        _("attached file"),
        upload_to=attachment_path,
        max_length=255,
        blank=True,
        validators=[validate_attachment],
    )

    history = HistoricalRecords()
    objects = CriterionAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("criterion assessment")
        verbose_name_plural = _("criterion assessments")
        ordering = ["dossier", "criterion__order", "criterion__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "criterion"], name="certifications_assessment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.criterion.code}"

    @property
    def attachment_name(self) -> str:
        if not self.attachment:
            return ""
        base = self.attachment.name.rsplit("/", 1)[-1]
        return base.split("-", 1)[1] if "-" in base else base
