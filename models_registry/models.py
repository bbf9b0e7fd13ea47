"""Crime-prevention models ("mô hình"), their sites ("điểm") across units and yearly evaluations.

Who reads what (the registry is city-wide reference):

* a model and its sites' facts (unit, dates, households, cameras, funding, status) and *confirmed*
  evaluations are readable by every signed-in account with a role: a model spans units;
* *proposed* (not yet confirmed) evaluations are readable only within the normal scope of
  :mod:`wards.scoping` (the site's own unit, the city roles, admins);
* sites and evaluations are edited only within that scope (an official: their own unit); the
  approver registers and replicates models, confirms grades and retires through dedicated actions.

A site is unique per (model, unit) **among active sites**: once a site is retired, the model may be
replicated to that unit again, which creates a new site and keeps the retired one and its grades as
history.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from models_registry.permissions import can_read_registry
from wards.models import AdministrativeUnit, ResidentialArea, TimeStampedModel, choices_q
from wards.scoping import ScopedQuerySet, scope_q

# Paths under /mo-hinh/ that are pages, not model slugs.
RESERVED_SLUGS = frozenset({"dang-ky", "diem", "danh-gia", "camera-theo-don-vi"})


class ModelCategory(models.TextChoices):
    SELF_PREVENTION = "self_prevention", _("Self-prevention (tự phòng)")
    SELF_MANAGEMENT = "self_management", _("Self-management (tự quản)")
    SELF_PROTECTION = "self_protection", _("Self-protection (tự bảo vệ)")
    SELF_MEDIATION = "self_mediation", _("Self-mediation (tự hòa giải)")
    CAMERA = "camera", _("Security cameras")
    HOUSEHOLD_CLUSTER = "household_cluster", _("Household clusters (liên gia)")
    OTHER = "other", _("Other")


class LeadOrganisation(models.TextChoices):
    POLICE = "police", _("Police")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")
    WOMENS_UNION = "womens_union", _("Women's Union")
    YOUTH_UNION = "youth_union", _("Youth Union")
    VETERANS = "veterans", _("Veterans' Association")
    FARMERS_UNION = "farmers_union", _("Farmers' Union")
    OTHER = "other", _("Other")


class LifecycleStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class Grade(models.TextChoices):
    GOOD = "good", _("Good")
    AVERAGE = "average", _("Average")
    WEAK = "weak", _("Weak")
    UNCLASSIFIED = "unclassified", _("Unclassified")


class EvaluationStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")


def _active_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Started on or before ``day`` and not yet retired (``retired_on`` is the first day off)."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}retired_on__isnull": True}) | Q(**{f"{prefix}retired_on__gt": day})
    )


def _retirement_consistent_q() -> Q:
    return Q(status="active", retired_on__isnull=True) | Q(
        status="retired", retired_on__isnull=False
    )


class PreventionModelQuerySet(models.QuerySet):
    def counted_on(self, day: datetime.date) -> "PreventionModelQuerySet":
        """Models that count on ``day``: started by then and not yet retired (the one rule)."""
        return self.filter(_active_on_q(day))

    def retired_by(self, day: datetime.date) -> "PreventionModelQuerySet":
        return self.filter(retired_on__isnull=False, retired_on__lte=day)

    def readable_by(self, user) -> "PreventionModelQuerySet":
        """Model-level information is public within the city: any account with a role."""
        return self if can_read_registry(user) else self.none()


class PreventionModel(TimeStampedModel):
    """A crime-prevention initiative, e.g. "2 liên" or "Camera an ninh", counted once however many
    units run it."""

    Category = ModelCategory
    LeadOrganisation = LeadOrganisation
    Status = LifecycleStatus

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=80, help_text=_("Used in the page address, e.g. camera-an-ninh.")
    )
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    lead_organisation = models.CharField(
        _("lead organisation"), max_length=24, choices=LeadOrganisation.choices
    )
    origin_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit where it started"),
        on_delete=models.PROTECT,
        related_name="originated_prevention_models",
    )
    start_date = models.DateField(_("start date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    retired_on = models.DateField(
        _("retired on"), null=True, blank=True, help_text=_("The first day it no longer runs.")
    )
    retire_reason = models.TextField(_("reason for retirement"), blank=True)

    history = HistoricalRecords()
    objects = PreventionModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("crime-prevention model")
        verbose_name_plural = _("crime-prevention models")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="models_registry_model_slug_unique"),
            models.UniqueConstraint(fields=["name"], name="models_registry_model_name_unique"),
            models.CheckConstraint(
                condition=choices_q("category", ModelCategory),
                name="models_registry_model_category_valid",
            ),
            models.CheckConstraint(
                condition=choices_q("lead_organisation", LeadOrganisation),
                name="models_registry_model_lead_valid",
            ),
            models.CheckConstraint(
                condition=choices_q("status", LifecycleStatus),
                name="models_registry_model_status_valid",
            ),
            models.CheckConstraint(
                condition=_retirement_consistent_q(),
                name="models_registry_model_retired_has_date",
                violation_error_message=_(
                    "A retired model needs its retirement date; a running one has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(retired_on__gte=F("start_date")),
                name="models_registry_model_retired_after_start",
                violation_error_message=_("The retirement date cannot be before the start date."),
            ),
        ]
        indexes = [
            # counted_on(day): start_date <= day and (retired_on is null or > day).
            models.Index(fields=["start_date", "retired_on"], name="mr_model_counted_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("models_registry:model_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = gettext("This address is used by a page; choose another.")
        if self.retired_on and self.start_date and self.retired_on < self.start_date:
            errors["retired_on"] = gettext(
                "The retirement date cannot be before the start date (%(start)s)."
            ) % {"start": date_format(self.start_date, "SHORT_DATE_FORMAT")}
        if errors:
            raise ValidationError(errors)

    def is_counted_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.retired_on is None or self.retired_on > day)


class ModelSiteQuerySet(ScopedQuerySet):
    unit_lookup = "unit"

    def readable_by(self, user) -> "ModelSiteQuerySet":
        """A site's facts are city-wide reference: any account with a role reads them."""
        return self if can_read_registry(user) else self.none()

    def active_on(self, day: datetime.date) -> "ModelSiteQuerySet":
        """Sites running on ``day``: started by then and not yet retired."""
        return self.filter(_active_on_q(day))

    def counted_on(self, day: datetime.date) -> "ModelSiteQuerySet":
        """Active sites of models that themselves count on ``day``."""
        return self.active_on(day).filter(_active_on_q(day, "model__"))


class ModelSite(TimeStampedModel):
    """One replication ("điểm") of a model in one ward or commune."""

    Status = LifecycleStatus

    model = models.ForeignKey(
        PreventionModel, verbose_name=_("model"), on_delete=models.PROTECT, related_name="sites"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="prevention_model_sites",
    )
    residential_area = models.ForeignKey(
        ResidentialArea,
        verbose_name=_("residential area"),
        on_delete=models.PROTECT,
        related_name="prevention_model_sites",
        null=True,
        blank=True,
        help_text=_("Optional: the residential area where the site runs."),
    )
    decision_number = models.CharField(_("founding decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("founding decision date"), null=True, blank=True)
    start_date = models.DateField(_("start date"))
    households = models.IntegerField(_("households"), default=0, validators=[MinValueValidator(0)])
    members = models.IntegerField(_("members"), default=0, validators=[MinValueValidator(0)])
    teams = models.IntegerField(_("teams"), default=0, validators=[MinValueValidator(0)])
    cameras = models.IntegerField(
        _("cameras"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Camera units (mắt camera), for camera models."),
    )
    funding_state = models.BigIntegerField(
        _("state funding (VND)"), default=0, validators=[MinValueValidator(0)]
    )
    funding_socialized = models.BigIntegerField(
        _("contributions (xã hội hóa, VND)"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Contributions of residents and businesses."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    retired_on = models.DateField(
        _("retired on"), null=True, blank=True, help_text=_("The first day it no longer runs.")
    )
    retire_reason = models.TextField(_("reason for retirement"), blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = ModelSiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("model site")
        verbose_name_plural = _("model sites")
        ordering = ["model", "unit__display_order", "unit__name", "start_date"]
        constraints = [
            # One running site of a model per unit; retired sites stay as history, so a unit
            # may take the model up again after retiring it.
            models.UniqueConstraint(
                fields=["model", "unit"],
                condition=Q(status="active"),
                name="models_registry_site_one_active_per_unit",
                violation_error_message=_("This unit already has an active site of this model."),
            ),
            models.CheckConstraint(
                condition=Q(households__gte=0)
                & Q(members__gte=0)
                & Q(teams__gte=0)
                & Q(cameras__gte=0),
                name="models_registry_site_counts_non_negative",
                violation_error_message=_("Counts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(funding_state__gte=0) & Q(funding_socialized__gte=0),
                name="models_registry_site_funding_non_negative",
                violation_error_message=_("Funding cannot be negative."),
            ),
            models.CheckConstraint(
                condition=choices_q("status", LifecycleStatus),
                name="models_registry_site_status_valid",
            ),
            models.CheckConstraint(
                condition=_retirement_consistent_q(),
                name="models_registry_site_retired_has_date",
                violation_error_message=_(
                    "A retired site needs its retirement date; a running one has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(retired_on__gte=F("start_date")),
                name="models_registry_site_retired_after_start",
                violation_error_message=_("The retirement date cannot be before the start date."),
            ),
        ]
        indexes = [
            # The unit page section and the per-unit camera totals: a unit's sites by status.
            models.Index(fields=["unit", "status"], name="mr_site_unit_status_idx"),
            # Coverage on a date: a model's sites by start date (active_on filters the rest).
            models.Index(fields=["model", "start_date"], name="mr_site_model_start_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.model} — {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("models_registry:site_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors: dict[str, str] = {}
        unit = self.unit if self.unit_id else None
        model = self.model if self.model_id else None
        if self.residential_area_id and unit and self.residential_area.unit_id != unit.pk:
            errors["residential_area"] = gettext("This residential area belongs to another unit.")
        if self.start_date and model and self.start_date < model.start_date:
            errors["start_date"] = gettext(
                "A site cannot start before the model itself (%(start)s)."
            ) % {"start": date_format(model.start_date, "SHORT_DATE_FORMAT")}
        elif self.start_date and unit and not unit.is_valid_on(self.start_date):
            errors["start_date"] = gettext(
                "%(unit)s did not exist on this date (it existed %(start)s – %(end)s)."
            ) % {
                "unit": unit.name,
                "start": date_format(unit.valid_from, "SHORT_DATE_FORMAT"),
                "end": date_format(unit.valid_to, "SHORT_DATE_FORMAT") if unit.valid_to else "…",
            }
        if self.retired_on and self.start_date and self.retired_on < self.start_date:
            errors["retired_on"] = gettext(
                "The retirement date cannot be before the start date (%(start)s)."
            ) % {"start": date_format(self.start_date, "SHORT_DATE_FORMAT")}
        if errors:
            raise ValidationError(errors)

    @property
    def funding_total(self) -> int:
        return self.funding_state + self.funding_socialized

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.retired_on is None or self.retired_on > day)

    def evaluation_years(self, today: datetime.date) -> list[int]:
        """Years this site may be graded in: while it ran, its unit existed, up to this year."""
        first = self.start_date.year
        last = today.year
        if self.retired_on:
            last = min(last, self.retired_on.year)
        if self.unit.valid_to:
            last = min(last, self.unit.valid_to.year)
        return list(range(first, last + 1))


class SiteEvaluationQuerySet(ScopedQuerySet):
    unit_lookup = "site__unit"

    def readable_by(self, user) -> "SiteEvaluationQuerySet":
        """Confirmed grades are city-wide reference; proposals stay within the unit's scope."""
        if not can_read_registry(user):
            return self.none()
        return self.filter(
            Q(status=EvaluationStatus.CONFIRMED) | scope_q(user, "site__unit", "view")
        )

    def confirmed(self) -> "SiteEvaluationQuerySet":
        return self.filter(status=EvaluationStatus.CONFIRMED)

    def awaiting_confirmation(self) -> "SiteEvaluationQuerySet":
        return self.filter(status=EvaluationStatus.PROPOSED)


class SiteEvaluation(TimeStampedModel):
    """A site's grade and results for one year: proposed by the unit, confirmed by the city."""

    Grade = Grade
    Status = EvaluationStatus

    site = models.ForeignKey(
        ModelSite, verbose_name=_("site"), on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    tip_offs = models.IntegerField(
        _("tip-offs received"), default=0, validators=[MinValueValidator(0)]
    )
    cases_solved = models.IntegerField(
        _("cases solved"), default=0, validators=[MinValueValidator(0)]
    )
    mediations = models.IntegerField(_("mediations"), default=0, validators=[MinValueValidator(0)])
    patrols = models.IntegerField(_("patrols"), default=0, validators=[MinValueValidator(0)])
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = SiteEvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("site evaluation")
        verbose_name_plural = _("site evaluations")
        ordering = ["site", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "year"],
                name="models_registry_evaluation_site_year_unique",
                violation_error_message=_("This site already has an evaluation for this year."),
            ),
            models.CheckConstraint(
                condition=choices_q("grade", Grade), name="models_registry_evaluation_grade_valid"
            ),
            models.CheckConstraint(
                condition=choices_q("status", EvaluationStatus),
                name="models_registry_evaluation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="models_registry_evaluation_year_range",
            ),
            models.CheckConstraint(
                condition=Q(tip_offs__gte=0)
                & Q(cases_solved__gte=0)
                & Q(mediations__gte=0)
                & Q(patrols__gte=0),
                name="models_registry_evaluation_results_non_negative",
                violation_error_message=_("Results cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status="proposed", confirmed_at__isnull=True)
                | Q(status="confirmed", confirmed_at__isnull=False),
                name="models_registry_evaluation_confirmed_has_time",
                violation_error_message=_(
                    "A confirmed grade needs the time it was confirmed; a proposal has none."
                ),
            ),
        ]
        indexes = [
            # The approver's queue and the grade filter: evaluations by status and year.
            models.Index(fields=["status", "year"], name="mr_eval_status_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.site} — {self.year}"

    def get_absolute_url(self) -> str:
        return self.site.get_absolute_url()

    @property
    def is_confirmed(self) -> bool:
        return self.status == EvaluationStatus.CONFIRMED


class ExemplaryYear(TimeStampedModel):
    """A model named "tiêu biểu" (exemplary) for a year, by whom and on what decision.

    The period review names the exemplary models of its years (e.g. "2 liên" at Tân Mỹ Chánh).
    """

    model = models.ForeignKey(
        PreventionModel,
        verbose_name=_("model"),
        on_delete=models.PROTECT,
        related_name="exemplary_years",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision = models.CharField(
        _("decision"),
        max_length=200,
        blank=True,
        help_text=_("Number and date of the decision or review that named it, if any."),
    )
    reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exemplary model of a year")
        verbose_name_plural = _("exemplary models by year")
        ordering = ["-year", "model__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "year"],
                name="models_registry_exemplary_model_year_unique",
                violation_error_message=_("This model is already exemplary for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="models_registry_exemplary_year_range",
            ),
        ]
        indexes = [
            # The period review: exemplary models of a range of years.
            models.Index(fields=["year"], name="mr_exemplary_year_idx"),
        ]

    def __str__(self) -> str:
        return gettext("%(model)s — exemplary in %(year)s") % {
            "model": self.model,
            "year": self.year,
        }

    def get_absolute_url(self) -> str:
        return self.model.get_absolute_url()


class CountedSiteChange(models.Model):
    """How the sites of ``model`` counted in ``area`` on 31 December change from the year before
    to ``year`` (and their cameras): the sites counted at the end of a year are the sum of the
    changes up to it. Kept by :mod:`models_registry.counts`, so a country's dashboard counts no
    sites; changes rather than yearly totals, so a site running for years is two rows, and a new
    year needs no row of its own."""

    area = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    model = models.ForeignKey(
        PreventionModel, verbose_name=_("model"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sites = models.IntegerField(_("change in sites"))
    cameras = models.IntegerField(_("change in cameras"))

    class Meta:
        verbose_name = _("change in counted sites")
        verbose_name_plural = _("changes in counted sites")
        constraints = [
            # Also the conflict target of the upsert in models_registry.counts, and the index of
            # the dashboard's read (one area, the years up to one).
            models.UniqueConstraint(
                fields=["area", "year", "model"], name="models_registry_countedsitechange_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year} {self.model_id}: {self.sites:+d}"
