"""Versioned legal criteria: rule sets, eligibility exclusions, criteria, scoring sheets."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.certifications.models.choices import (
    ClassificationLevel,
    CriterionKind,
    ExclusionAttribute,
    HolderKind,
    Operator,
    RuleSetSubject,
    choices_q,
)
from campaigns.models import Indicator
from wards.models import Organization, TimeStampedModel

# Which rule set governs an assessment year: the one in force on 15 November of that year, the
# end of TT 124's assessment window for wards/communes and organisations (16/11 – 15/11; the
# residential-area window ends on 31/10, which picks the same rule set). So 2021 is assessed
# under TT 23/2012 (in force until 9/2/2022) and 2022 under TT 124/2021 (from 10/2/2022).
DECISIVE_MONTH_DAY = (11, 15)


def decisive_day(year: int) -> datetime.date:
    """The day whose rule set governs assessments of ``year``."""
    return datetime.date(year, *DECISIVE_MONTH_DAY)


class RuleSetQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date) -> "RuleSetQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def governing(self, subject: str, year: int, holder_kind: str) -> "RuleSet | None":
        """The rule set for ``subject`` that governs ``holder_kind`` in assessment ``year``."""
        candidates = self.filter(subject=subject).in_force_on(decisive_day(year))
        for rule_set in candidates.order_by("-valid_from"):
            if holder_kind in rule_set.holder_kinds:
                return rule_set
        return None


def _validate_holder_kinds(value) -> None:
    if not isinstance(value, list) or not value or not set(value) <= set(HolderKind.values):
        raise ValidationError(
            gettext("Choose at least one kind of holder."), code="invalid_holder_kinds"
        )


class RuleSet(TimeStampedModel):
    """A version of the legal criteria (e.g. TT 23/2012/TT-BCA), in force between two dates."""

    Subject = RuleSetSubject

    subject = models.CharField(_("governs"), max_length=32, choices=Subject.choices)
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(
        _("legal basis"), max_length=255, help_text=_("e.g. Thông tư 124/2021/TT-BCA")
    )
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Empty while still in force.")
    )
    holder_kinds = models.JSONField(
        _("applies to"),
        default=list,
        validators=[_validate_holder_kinds],
        help_text=_("Kinds of holder this rule set applies to."),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Say here what is inferred [I] rather than read in the legal text [V]."),
    )

    history = HistoricalRecords()
    objects = RuleSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["subject", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="certifications_ruleset_code_unique"),
            models.CheckConstraint(
                condition=choices_q("subject", RuleSetSubject),
                name="certifications_ruleset_subject_valid",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="certifications_ruleset_valid_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not self.valid_from or not isinstance(self.holder_kinds, list):
            return
        # Two rule sets for the same subject and holder kind must not be in force together,
        # otherwise the assessment year would not decide which one applies.
        overlapping = RuleSet.objects.filter(subject=self.subject).exclude(pk=self.pk)
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        overlapping = overlapping.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        for other in overlapping:
            if set(other.holder_kinds) & set(self.holder_kinds):
                raise ValidationError(
                    gettext(
                        "“%(other)s” is in force for the same holders during these dates. "
                        "End it first (set its “in force until”)."
                    ),
                    code="overlap",
                    params={"other": other.name},
                )

    def get_holder_kinds_display(self) -> str:
        labels = dict(HolderKind.choices)
        return ", ".join(str(labels.get(k, k)) for k in self.holder_kinds)

    def ineligibility_reasons(self, organization: Organization) -> list[str]:
        """Reasons, from the exclusions, why ``organization`` cannot be assessed under this set.

        Uses ``self.exclusions.all()`` so a prefetch serves it.
        """
        return [e.reason for e in self.exclusions.all() if e.excludes(organization)]


class EligibilityExclusion(TimeStampedModel):
    """Organisations a rule set does not assess, e.g. primary schools under TT 124."""

    Attribute = ExclusionAttribute

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="exclusions"
    )
    attribute = models.CharField(_("attribute"), max_length=20, choices=Attribute.choices)
    values = models.CharField(
        _("values"),
        max_length=200,
        blank=True,
        help_text=_(
            "Comma-separated codes, e.g. “micro,small” for enterprise size or “primary” for "
            "school level. Leave empty for “armed-forces unit”."
        ),
    )
    reason = models.CharField(
        _("reason shown to users"),
        max_length=300,
        help_text=_("In Vietnamese, e.g. “Thông tư 124/2021/TT-BCA không xét trường tiểu học.”"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eligibility exclusion")
        verbose_name_plural = _("eligibility exclusions")
        ordering = ["rule_set", "attribute", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=choices_q("attribute", ExclusionAttribute),
                name="certifications_eligibilityexclusion_attribute_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.reason

    @property
    def value_list(self) -> list[str]:
        return [v.strip() for v in self.values.split(",") if v.strip()]

    def clean(self) -> None:
        super().clean()
        allowed = {
            ExclusionAttribute.SCHOOL_LEVEL: Organization.SchoolLevel.values,
            ExclusionAttribute.ENTERPRISE_SIZE: Organization.EnterpriseSize.values,
        }.get(self.attribute)
        if allowed is None:
            return
        unknown = [v for v in self.value_list if v not in allowed]
        if unknown or not self.value_list:
            raise ValidationError(
                {
                    "values": ValidationError(
                        gettext("Use these codes, comma-separated: %(codes)s."),
                        code="invalid_values",
                        params={"codes": ", ".join(allowed)},
                    )
                }
            )

    def excludes(self, organization: Organization) -> bool:
        if self.attribute == ExclusionAttribute.IS_ARMED_FORCES:
            return organization.is_armed_forces
        return getattr(organization, self.attribute, "") in self.value_list


class Criterion(TimeStampedModel):
    """One criterion of a rule set for one kind of holder. All must hold for "đạt"."""

    Kind = CriterionKind
    Operator = Operator

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="criteria"
    )
    holder_kind = models.CharField(_("holder kind"), max_length=20, choices=HolderKind.choices)
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. 6.1"))
    text = models.TextField(_("criterion"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(
        _("how it is assessed"), max_length=24, choices=Kind.choices, default=Kind.YES_NO
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="certification_criteria",
        null=True,
        blank=True,
    )
    operator = models.CharField(_("comparison"), max_length=4, choices=Operator.choices, blank=True)
    threshold = models.DecimalField(
        _("threshold"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    child_share_percent = models.DecimalField(
        _("required share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        # xgettext:no-python-format
        help_text=_("e.g. 70: at least 70% of the unit's residential areas certified."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["rule_set", "holder_kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "holder_kind", "code"],
                name="certifications_criterion_code_unique",
            ),
            models.CheckConstraint(
                condition=choices_q("holder_kind", HolderKind),
                name="certifications_criterion_holder_kind_valid",
            ),
            models.CheckConstraint(
                condition=choices_q("kind", CriterionKind),
                name="certifications_criterion_kind_valid",
            ),
            # Each kind carries exactly the parameters it needs.
            models.CheckConstraint(
                condition=Q(
                    kind=CriterionKind.YES_NO,
                    indicator__isnull=True,
                    operator="",
                    threshold__isnull=True,
                    child_share_percent__isnull=True,
                )
                | Q(
                    kind=CriterionKind.INDICATOR_THRESHOLD,
                    indicator__isnull=False,
                    operator__in=Operator.values,
                    threshold__isnull=False,
                    child_share_percent__isnull=True,
                )
                | Q(
                    kind=CriterionKind.CHILD_SHARE,
                    indicator__isnull=True,
                    operator="",
                    threshold__isnull=True,
                    child_share_percent__isnull=False,
                    child_share_percent__gt=0,
                    child_share_percent__lte=100,
                ),
                name="certifications_criterion_parameters_match_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.kind == CriterionKind.INDICATOR_THRESHOLD:
            for field in ("indicator", "operator", "threshold"):
                if getattr(self, field) in (None, ""):
                    errors[field] = gettext("Required for a threshold criterion.")
        elif self.kind == CriterionKind.CHILD_SHARE:
            if self.child_share_percent is None:
                errors["child_share_percent"] = gettext("Required for a share criterion.")
            if self.holder_kind != HolderKind.UNIT:
                errors["kind"] = gettext("Only a ward/commune has residential areas to count.")
        if errors:
            raise ValidationError(errors, code="invalid")

    @property
    def is_computed(self) -> bool:
        return self.kind != CriterionKind.YES_NO

    def compare(self, value: Decimal) -> bool:
        """Whether an indicator ``value`` satisfies this threshold criterion."""
        return {
            Operator.GTE: value >= self.threshold,
            Operator.GT: value > self.threshold,
            Operator.LTE: value <= self.threshold,
            Operator.LT: value < self.threshold,
            Operator.EQ: value == self.threshold,
        }[self.operator]


class ScoringItem(TimeStampedModel):
    """One row of a 100-point movement-classification sheet."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="scoring_items"
    )
    holder_kind = models.CharField(_("holder kind"), max_length=20, choices=HolderKind.choices)
    code = models.CharField(_("code"), max_length=20)
    text = models.TextField(_("item"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    max_points = models.DecimalField(
        _("maximum points"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(100))],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        ordering = ["rule_set", "holder_kind", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "holder_kind", "code"],
                name="certifications_scoringitem_code_unique",
            ),
            models.CheckConstraint(
                condition=choices_q("holder_kind", HolderKind),
                name="certifications_scoringitem_holder_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(max_points__gt=0) & Q(max_points__lte=100),
                name="certifications_scoringitem_max_points_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


class ClassificationThreshold(TimeStampedModel):
    """The lowest total that earns a level under a rule set ([I]: edit in the admin)."""

    Level = ClassificationLevel

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="thresholds"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    min_points = models.DecimalField(
        _("from (points)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("classification threshold")
        verbose_name_plural = _("classification thresholds")
        ordering = ["rule_set", "-min_points"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "level"], name="certifications_threshold_level_unique"
            ),
            models.CheckConstraint(
                condition=choices_q("level", ClassificationLevel),
                name="certifications_threshold_level_valid",
            ),
            models.CheckConstraint(
                condition=Q(min_points__gte=0) & Q(min_points__lte=100),
                name="certifications_threshold_points_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} ≥ {self.min_points}"


def level_for(points: Decimal | None, thresholds) -> str | None:
    """The level whose threshold is the highest one ``points`` reach, or None."""
    if points is None:
        return None
    for threshold in sorted(thresholds, key=lambda t: t.min_points, reverse=True):
        if points >= threshold.min_points:
            return threshold.level
    return None
