"""The movement over years: campaigns, periods, the indicator catalogue, yearly reports."""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wards.models import AdministrativeUnit, TimeStampedModel


def _choices_q(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


class Campaign(TimeStampedModel):
    """The movement as one city runs it over the years (e.g. TP. Mỹ Tho from 2015)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    city = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    start_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-start_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="campaigns_campaign_slug_unique"),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="campaigns_campaign_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReportingPeriodQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date) -> "ReportingPeriodQuerySet":
        """Periods accepting data on ``day``: opened and not yet closed."""
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class ReportingPeriod(TimeStampedModel):
    """One campaign year: when data entry opens, when reports are due, when entry closes."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="periods"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    closes_on = models.DateField(_("closes on"))

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["campaign", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "year"], name="campaigns_period_campaign_year_unique"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__lte=F("due_on")) & Q(due_on__lte=F("closes_on")),
                name="campaigns_period_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.year}"

    def is_open_on(self, day: datetime.date) -> bool:
        return self.opens_on <= day <= self.closes_on


class IndicatorSection(TimeStampedModel):
    """A group of indicators on the form (crime and order, social evils, …)."""

    code = models.SlugField(_("code"), max_length=40)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator section")
        verbose_name_plural = _("indicator sections")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="campaigns_section_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class IndicatorValueType(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Decimal number")
    PERCENTAGE = "percentage", _("Percentage")


class IndicatorAggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    AVERAGE = "average", _("Average")
    MAXIMUM = "maximum", _("Maximum")
    LATEST = "latest", _("Latest value")


class IndicatorReporter(models.TextChoices):
    COMMUNE_LEVEL = "commune_level", _("Every ward and commune")
    CITY = "city", _("The city itself")


class IndicatorQuerySet(models.QuerySet):
    def valid_in(self, year: int) -> "IndicatorQuerySet":
        return self.filter(
            Q(valid_to_year__isnull=True) | Q(valid_to_year__gte=year), valid_from_year__lte=year
        )

    def reported_by(self, reporter: str) -> "IndicatorQuerySet":
        return self.filter(reporter=reporter)


class Indicator(TimeStampedModel):
    """One figure a unit reports each year. The catalogue is data: add a row, the form shows it."""

    ValueType = IndicatorValueType
    Aggregation = IndicatorAggregation
    Reporter = IndicatorReporter

    code = models.SlugField(_("code"), max_length=60)
    section = models.ForeignKey(
        IndicatorSection,
        verbose_name=_("section"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255)
    unit_of_measure = models.CharField(
        _("unit of measure"), max_length=40, help_text=_("e.g. vụ (cases), người (persons), %")
    )
    value_type = models.CharField(
        _("value type"), max_length=16, choices=ValueType.choices, default=ValueType.INTEGER
    )
    aggregation = models.CharField(
        _("aggregation across units"),
        max_length=16,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    reporter = models.CharField(
        _("reported by"), max_length=16, choices=Reporter.choices, default=Reporter.COMMUNE_LEVEL
    )
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True, default=Decimal(0)
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    is_required = models.BooleanField(
        _("required"),
        default=False,
        help_text=_("A report cannot be submitted with this left blank."),
    )
    change_alert_percent = models.PositiveSmallIntegerField(
        _("change needing an explanation (%)"),
        null=True,
        blank=True,
        default=50,
        help_text=_("A change from last year larger than this asks for a comment. Empty: never."),
    )
    valid_from_year = models.PositiveSmallIntegerField(_("valid from year"), default=2015)
    valid_to_year = models.PositiveSmallIntegerField(_("valid to year"), null=True, blank=True)
    help_text = models.TextField(_("help text"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["section__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="campaigns_indicator_code_unique"),
            models.CheckConstraint(
                condition=_choices_q("value_type", IndicatorValueType),
                name="campaigns_indicator_value_type_valid",
            ),
            models.CheckConstraint(
                condition=_choices_q("aggregation", IndicatorAggregation),
                name="campaigns_indicator_aggregation_valid",
            ),
            models.CheckConstraint(
                condition=_choices_q("reporter", IndicatorReporter),
                name="campaigns_indicator_reporter_valid",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="campaigns_indicator_min_le_max",
            ),
            models.CheckConstraint(
                condition=Q(valid_to_year__isnull=True)
                | Q(valid_to_year__gte=F("valid_from_year")),
                name="campaigns_indicator_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    def is_valid_in(self, year: int) -> bool:
        return self.valid_from_year <= year and (
            self.valid_to_year is None or self.valid_to_year >= year
        )
