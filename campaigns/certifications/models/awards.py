"""Awards, the people who receive them, the yearly Ngày hội, and disqualifying incidents."""

import functools
import operator

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.certifications.models.choices import (
    AwardForm,
    AwardOccasion,
    IncidentKind,
    RecipientType,
    choices_q,
)
from models_registry.models import ModelSite
from wards.models import AdministrativeUnit, Organization, ResidentialArea, TimeStampedModel
from wards.scoping import ScopedQuerySet

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class PersonQuerySet(ScopedQuerySet):
    unit_lookup = "unit"


class Person(TimeStampedModel):
    """Someone who received an individual award."""

    full_name = models.CharField(_("full name"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="award_people",
        help_text=_("Where the person works or lives."),
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "pk"]

    def __str__(self) -> str:
        if self.birth_year:
            return f"{self.full_name} ({self.birth_year}) — {self.unit}"
        return f"{self.full_name} — {self.unit}"


class FestivalDayQuerySet(ScopedQuerySet):
    unit_lookup = "unit"


class FestivalDay(TimeStampedModel):
    """The Ngày hội toàn dân bảo vệ ANTQ held by the city or a ward/commune in one year."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="festival_days",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    held_on = models.DateField(_("date"), help_text=_("Usually 19/8, the day of the movement."))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    showcase_areas = models.ManyToManyField(
        ResidentialArea,
        verbose_name=_("showcase residential areas"),
        blank=True,
        related_name="festival_days",
        help_text=_("The residential areas chosen as showcase sites (điểm) this year."),
    )
    showcase_sites = models.ManyToManyField(
        ModelSite,
        verbose_name=_("showcase model sites"),
        blank=True,
        related_name="festival_days",
        help_text=_("Crime-prevention model sites presented at the Ngày hội."),
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = FestivalDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ngày hội toàn dân bảo vệ ANTQ")
        verbose_name_plural = _("Ngày hội toàn dân bảo vệ ANTQ")
        ordering = ["-year", "unit__display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="certifications_festivalday_unit_year_unique",
                violation_error_message=_("This unit already has a Ngày hội for the year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.year} — {self.unit}"


RECIPIENT_COLUMNS = {
    RecipientType.UNIT: "recipient_unit",
    RecipientType.ORGANIZATION: "recipient_organization",
    RecipientType.MODEL_SITE: "recipient_model_site",
    RecipientType.PERSON: "recipient_person",
}


def _one_recipient_q() -> Q:
    branches = []
    for recipient_type, column in RECIPIENT_COLUMNS.items():
        branch = Q(recipient_type=recipient_type, **{f"{column}__isnull": False})
        for other in RECIPIENT_COLUMNS.values():
            if other != column:
                branch &= Q(**{f"{other}__isnull": True})
        branches.append(branch)
    return functools.reduce(operator.or_, branches)


class AwardQuerySet(ScopedQuerySet):
    unit_lookup = "unit"


class Award(TimeStampedModel):
    """A bằng khen, giấy khen, cờ thi đua, … given to a unit, organisation, model site or person."""

    Form = AwardForm
    RecipientType = RecipientType
    Occasion = AwardOccasion

    form = models.CharField(_("form of award"), max_length=24, choices=Form.choices)
    issuer = models.CharField(
        _("issued by"),
        max_length=200,
        help_text=_("e.g. Bộ trưởng Bộ Công an; Chủ tịch UBND tỉnh Tiền Giang"),
    )
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    recipient_type = models.CharField(
        _("recipient type"), max_length=16, choices=RecipientType.choices
    )
    recipient_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="awards_received",
        null=True,
        blank=True,
    )
    recipient_organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="awards",
        null=True,
        blank=True,
    )
    recipient_model_site = models.ForeignKey(
        ModelSite,
        verbose_name=_("model site"),
        on_delete=models.PROTECT,
        related_name="awards",
        null=True,
        blank=True,
    )
    recipient_person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="awards",
        null=True,
        blank=True,
    )
    # The owning unit for scoping: the recipient's ward/commune, or the city.
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="awards_owned",
    )
    period_start_year = models.PositiveSmallIntegerField(
        _("period from (year)"), validators=YEAR_VALIDATORS
    )
    period_end_year = models.PositiveSmallIntegerField(
        _("period to (year)"), validators=YEAR_VALIDATORS
    )
    occasion = models.CharField(_("occasion"), max_length=16, choices=Occasion.choices)
    festival_day = models.ForeignKey(
        FestivalDay,
        verbose_name=_("Ngày hội"),
        on_delete=models.SET_NULL,
        related_name="awards",
        null=True,
        blank=True,
    )
    reason = models.TextField(_("for"), blank=True, help_text=_("The achievement rewarded."))

    history = HistoricalRecords()
    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-decision_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=choices_q("form", AwardForm), name="certifications_award_form_valid"
            ),
            models.CheckConstraint(
                condition=choices_q("occasion", AwardOccasion),
                name="certifications_award_occasion_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_end_year__gte=F("period_start_year")),
                name="certifications_award_period_ordered",
            ),
            # Exactly one recipient column is set, the one recipient_type names.
            models.CheckConstraint(
                condition=_one_recipient_q(),
                name="certifications_award_exactly_one_recipient",
            ),
            # The commemorative medal "Bảo vệ an ninh Tổ quốc" is given once in a lifetime.
            models.UniqueConstraint(
                fields=["recipient_person"],
                condition=Q(form=AwardForm.COMMEMORATIVE_MEDAL),
                name="certifications_award_medal_once_per_person",
                violation_error_message=_(
                    "This person has already received the commemorative medal."
                ),
            ),
        ]
        indexes = [
            # Award lists by owning unit and date.
            models.Index(fields=["unit", "decision_date"], name="cert_award_unit_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} — {self.recipient_name}"

    @property
    def recipient(self):
        column = RECIPIENT_COLUMNS.get(self.recipient_type)
        return getattr(self, column) if column else None

    @property
    def recipient_name(self) -> str:
        recipient = self.recipient
        if recipient is None:
            return ""
        if self.recipient_type == RecipientType.PERSON:
            return recipient.full_name
        if self.recipient_type == RecipientType.MODEL_SITE:
            return str(recipient)
        return recipient.name

    @property
    def period_label(self) -> str:
        if self.period_start_year == self.period_end_year:
            return str(self.period_start_year)
        return f"{self.period_start_year}–{self.period_end_year}"


class IncidentQuerySet(ScopedQuerySet):
    unit_lookup = "organization__unit"


class Incident(TimeStampedModel):
    """A disqualifying event at an organisation in a year; the organisation is "at risk"."""

    Kind = IncidentKind

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="certification_incidents",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    description = models.TextField(_("description"))

    history = HistoricalRecords()
    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("disqualifying incident")
        verbose_name_plural = _("disqualifying incidents")
        ordering = ["-year", "-occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=choices_q("kind", IncidentKind),
                name="certifications_incident_kind_valid",
            ),
        ]
        indexes = [
            # The "at risk" flag in organisation lists: incidents by year.
            models.Index(fields=["year", "organization"], name="cert_incident_year_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organization} ({self.year})"
