"""The catalogue: campaigns, yearly periods, indicator sections, indicators, validation rules."""

import calendar
import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import formats
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from wards.models import AdministrativeUnit, TimeStampedModel, choices_q

# Every reported figure is stored with at most this many digits, two of them decimals:
# up to 99,999,999,999,999.99. Bigger input is refused with a clear message, never a DB error.
VALUE_MAX_DIGITS = 16
VALUE_DECIMAL_PLACES = 2
VALUE_LIMIT = Decimal(10) ** (VALUE_MAX_DIGITS - VALUE_DECIMAL_PLACES)


class Campaign(TimeStampedModel):
    """The movement as one unit organises it over the years: TP. Mỹ Tho from 2015 to 2024,
    the province of Đồng Tháp from 2025 (district level abolished).

    ``city`` is the organising unit (a city, a district or a province): its wards and communes
    report to it, and the city's own report too when it is a city. Its yearly periods follow
    the calendar kept here (:meth:`period_dates`), so a new year opens without anyone typing
    its dates.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    city = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("organising unit"),
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text=_("The city, district or province whose wards and communes report here."),
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
    is_demo = models.BooleanField(
        _("demonstration data"),
        default=False,
        help_text=_("Its figures are shown with a “demonstration data” label everywhere."),
    )
    opens_month = models.PositiveSmallIntegerField(
        _("entry opens: month"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    opens_day = models.PositiveSmallIntegerField(
        _("entry opens: day"), default=1, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    due_month = models.PositiveSmallIntegerField(
        _("reports due: month"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    due_day = models.PositiveSmallIntegerField(
        _("reports due: day"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Each year's reports are due on this day of that year."),
    )
    closes_after_days = models.PositiveSmallIntegerField(
        _("entry closes (days after the due date)"),
        default=47,
        validators=[MaxValueValidator(365)],
        help_text=_("47 days after 15/12 is 31/01 of the next year."),
    )

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
            models.CheckConstraint(
                condition=Q(opens_month__range=(1, 12), due_month__range=(1, 12))
                & Q(opens_day__range=(1, 31), due_day__range=(1, 31)),
                name="campaigns_campaign_calendar_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def runs_in(self, year: int) -> bool:
        return self.start_year <= year and (self.end_year is None or year <= self.end_year)

    def period_dates(self, year: int) -> tuple[datetime.date, datetime.date, datetime.date]:
        """(entry opens, reports due, entry closes) of ``year`` by this campaign's calendar."""
        opens = _day_in(year, self.opens_month, self.opens_day)
        due = _day_in(year, self.due_month, self.due_day)
        if opens > due:
            opens = due
        return opens, due, due + datetime.timedelta(days=self.closes_after_days)


def _day_in(year: int, month: int, day: int) -> datetime.date:
    """The day, or the month's last day when it has fewer days (31/2 → 28 or 29/2)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


class ReportingPeriodQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date) -> "ReportingPeriodQuerySet":
        """Periods accepting data on ``day``: opened and not yet closed."""
        return self.filter(opens_on__lte=day, closes_on__gte=day)

    def for_unit(self, unit: AdministrativeUnit) -> "ReportingPeriodQuerySet":
        """Periods of the campaigns a unit reports to: its city's (or its own, for a city)."""
        return self.filter(Q(campaign__city_id=unit.pk) | Q(campaign__city_id=unit.parent_id))


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

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


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


class IndicatorPeriodAggregation(models.TextChoices):
    """How a period (several years) folds the yearly figures: flows add up, stocks do not."""

    SUM = "sum", _("Sum of the years (a flow: cases, offenders…)")
    LATEST = "latest", _("Last year's value (a stock: teams, people under supervision, shares)")
    AVERAGE = "average", _("Average of the years")
    MAXIMUM = "maximum", _("Largest yearly value")


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
    PeriodAggregation = IndicatorPeriodAggregation
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
    period_aggregation = models.CharField(
        _("aggregation over the years of a period"),
        max_length=16,
        choices=IndicatorPeriodAggregation.choices,
        default=IndicatorPeriodAggregation.SUM,
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
                condition=choices_q("value_type", IndicatorValueType),
                name="campaigns_indicator_value_type_valid",
            ),
            models.CheckConstraint(
                condition=choices_q("aggregation", IndicatorAggregation),
                name="campaigns_indicator_aggregation_valid",
            ),
            models.CheckConstraint(
                condition=choices_q("period_aggregation", IndicatorPeriodAggregation),
                name="campaigns_indicator_period_aggregation_valid",
            ),
            models.CheckConstraint(
                condition=choices_q("reporter", IndicatorReporter),
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

    def is_reported_by(self, unit: AdministrativeUnit) -> bool:
        """Whether ``unit``'s report carries this indicator (city or ward/commune level)."""
        if unit.kind == AdministrativeUnit.Kind.CITY:
            return self.reporter == self.Reporter.CITY
        return self.reporter == self.Reporter.COMMUNE_LEVEL

    @property
    def is_whole_number(self) -> bool:
        return self.value_type == self.ValueType.INTEGER

    @property
    def effective_min(self) -> Decimal | None:
        if self.min_value is None and self.value_type == self.ValueType.PERCENTAGE:
            return Decimal(0)
        return self.min_value

    @property
    def effective_max(self) -> Decimal | None:
        if self.max_value is None and self.value_type == self.ValueType.PERCENTAGE:
            return Decimal(100)
        return self.max_value

    def clean_value(self, value: Decimal | None) -> None:
        """Refuse a value this indicator cannot take, with a message for the person typing it.

        The one check shared by the data-entry form, the import and the services.
        """
        if value is None:
            return
        try:
            if not value.is_finite():
                raise InvalidOperation
        except (AttributeError, InvalidOperation) as exc:
            raise ValidationError(
                gettext("Enter a number, for example 12 or 70,5."), code="invalid"
            ) from exc
        if abs(value) >= VALUE_LIMIT:
            raise ValidationError(
                gettext("This number is too large: at most %(limit)s."),
                code="too_large",
                params={"limit": formats.number_format(VALUE_LIMIT - 1, force_grouping=True)},
            )
        if self.is_whole_number and value != value.to_integral_value():
            raise ValidationError(
                gettext("Enter a whole number: this indicator counts %(unit)s."),
                code="not_whole",
                params={"unit": self.unit_of_measure},
            )
        if value.as_tuple().exponent < -VALUE_DECIMAL_PLACES:
            raise ValidationError(
                gettext("Enter at most %(places)s decimal places."),
                code="too_many_decimals",
                params={"places": VALUE_DECIMAL_PLACES},
            )
        low, high = self.effective_min, self.effective_max
        if low is not None and value < low:
            raise ValidationError(
                gettext("The value cannot be less than %(min)s."),
                code="below_min",
                params={"min": formats.number_format(low.normalize(), force_grouping=True)},
            )
        if high is not None and value > high:
            raise ValidationError(
                gettext("The value cannot be more than %(max)s."),
                code="above_max",
                params={"max": formats.number_format(high.normalize(), force_grouping=True)},
            )


class RuleOperator(models.TextChoices):
    LTE = "lte", "≤"
    LT = "lt", "<"
    GTE = "gte", "≥"
    GT = "gt", ">"
    EQ = "eq", "="


class RuleSeverity(models.TextChoices):
    BLOCK = "block", _("Blocks submission")
    WARN = "warn", _("Warning only")


class ValidationRuleQuerySet(models.QuerySet):
    def active(self) -> "ValidationRuleQuerySet":
        return self.filter(is_active=True)


class ValidationRule(TimeStampedModel):
    """A rule between two indicators of one report, e.g. "cases solved ≤ criminal cases".

    Rules are data: an administrator adds or relaxes them in the admin. A rule with a blank
    side is not checked (nothing to compare).
    """

    Operator = RuleOperator
    Severity = RuleSeverity

    code = models.SlugField(_("code"), max_length=60)
    left = models.ForeignKey(
        Indicator,
        verbose_name=_("left indicator"),
        on_delete=models.PROTECT,
        related_name="rules_as_left",
    )
    operator = models.CharField(_("operator"), max_length=4, choices=Operator.choices)
    right = models.ForeignKey(
        Indicator,
        verbose_name=_("right indicator"),
        on_delete=models.PROTECT,
        related_name="rules_as_right",
    )
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.BLOCK
    )
    message_vi = models.CharField(_("message (Vietnamese)"), max_length=300)
    message_en = models.CharField(_("message (English)"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ValidationRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        ordering = ["left__section__order", "left__order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="campaigns_validationrule_code_unique"),
            models.CheckConstraint(
                condition=choices_q("operator", RuleOperator),
                name="campaigns_validationrule_operator_valid",
            ),
            models.CheckConstraint(
                condition=choices_q("severity", RuleSeverity),
                name="campaigns_validationrule_severity_valid",
            ),
            models.CheckConstraint(
                condition=~Q(left=F("right")), name="campaigns_validationrule_two_indicators"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left.code} {self.get_operator_display()} {self.right.code}"

    @property
    def message(self) -> str:
        if (get_language() or "vi").startswith("en") and self.message_en:
            return self.message_en
        return self.message_vi

    def holds(self, left: Decimal | None, right: Decimal | None) -> bool:
        """Whether the rule holds; a blank side cannot break it."""
        if left is None or right is None:
            return True
        return {
            RuleOperator.LTE: left <= right,
            RuleOperator.LT: left < right,
            RuleOperator.GTE: left >= right,
            RuleOperator.GT: left > right,
            RuleOperator.EQ: left == right,
        }[RuleOperator(self.operator)]
