"""Yearly unit reports, their values and the audit of every change.

A yearly report (:class:`UnitReport`) belongs to one unit and one period. Ward and commune
officials fill their unit's report; the city's own report (unit of kind "city") holds the
indicators the city police report themselves and is filled by an approver. Status changes only
go through :mod:`campaigns.services`, which also writes the audit rows kept here.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.catalogue import (
    VALUE_DECIMAL_PLACES,
    VALUE_MAX_DIGITS,
    Indicator,
    ReportingPeriod,
    choices_q,
)
from wards.models import AdministrativeUnit, TimeStampedModel
from wards.scoping import ScopedQuerySet


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class UnitReportQuerySet(ScopedQuerySet):
    unit_lookup = "unit"

    def for_year(self, year: int) -> "UnitReportQuerySet":
        return self.filter(period__year=year)

    def approved(self) -> "UnitReportQuerySet":
        return self.filter(status=ReportStatus.APPROVED)


class UnitReport(TimeStampedModel):
    """One unit's figures for one year, and where they stand in the review.

    ``version`` grows by one at every write (values or status); a save that starts from an
    older version is refused (see :func:`campaigns.services.report_save_values`).
    """

    Status = ReportStatus

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reports"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    approval_step = models.PositiveSmallIntegerField(
        _("approvals given"),
        default=0,
        help_text=_(
            "How many approval levels have approved the submitted report; it becomes "
            "official at the last level of its year."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    first_submitted_at = models.DateTimeField(
        _("first submitted at"),
        null=True,
        blank=True,
        help_text=_("Decides whether the report came on time."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    return_reason = models.TextField(
        _("reason for return"), blank=True, help_text=_("The latest reason, shown to the unit.")
    )

    objects = UnitReportQuerySet.as_manager()

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["-period__year", "unit__display_order", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit"], name="campaigns_unitreport_period_unit_unique"
            ),
            models.CheckConstraint(
                condition=choices_q("status", ReportStatus),
                name="campaigns_unitreport_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "approved"])
                | Q(submitted_at__isnull=False, first_submitted_at__isnull=False),
                name="campaigns_unitreport_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="campaigns_unitreport_approved_has_time",
            ),
        ]
        indexes = [
            # Worklist and completeness: the reports of one period, counted by status.
            models.Index(fields=["period", "status"], name="campaigns_report_period_st_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.period.year}"

    def get_absolute_url(self) -> str:
        return reverse(
            "campaigns:report_detail", kwargs={"year": self.period.year, "slug": self.unit.slug}
        )

    def get_entry_url(self) -> str:
        return reverse(
            "campaigns:report_entry", kwargs={"year": self.period.year, "slug": self.unit.slug}
        )

    @property
    def is_started(self) -> bool:
        return self.pk is not None

    @property
    def is_city_report(self) -> bool:
        return self.unit.kind == AdministrativeUnit.Kind.CITY

    def accepts_values_on(self, day: datetime.date) -> bool:
        """Values may change: a draft while the period is open, or a report sent back."""
        if self.status == self.Status.RETURNED:
            return True
        return self.status == self.Status.DRAFT and self.period.is_open_on(day)

    def submitted_on_time(self) -> bool | None:
        """True/False once submitted; None before the first submission."""
        if self.first_submitted_at is None:
            return None
        return timezone.localdate(self.first_submitted_at) <= self.period.due_on

    @property
    def status_badge(self) -> str:
        return {
            ReportStatus.DRAFT: "secondary",
            ReportStatus.SUBMITTED: "primary",
            ReportStatus.RETURNED: "warning",
            ReportStatus.APPROVED: "success",
        }[ReportStatus(self.status)]


class ReportValueQuerySet(ScopedQuerySet):
    unit_lookup = "report__unit"


class ReportValue(models.Model):
    """One figure of a report. ``value`` None means "not reported", which is not zero."""

    report = models.ForeignKey(
        UnitReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(
        _("value"),
        max_digits=VALUE_MAX_DIGITS,
        decimal_places=VALUE_DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReportValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("report value")
        verbose_name_plural = _("report values")
        ordering = ["report", "indicator__section__order", "indicator__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="campaigns_reportvalue_report_indicator_unique"
            ),
        ]
        indexes = [
            # approved_values(): one indicator's values across the reports of a year.
            models.Index(fields=["indicator", "report"], name="campaigns_value_ind_report_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.indicator.code} = {self.value}"


class TransitionAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned")
    APPROVE_STEP = "approve_step", _("Approved at a level, sent to the next")
    APPROVE = "approve", _("Approved")
    REOPEN = "reopen", _("Reopened")


class ReportTransitionQuerySet(ScopedQuerySet):
    unit_lookup = "report__unit"


class ReportTransition(models.Model):
    """Audit: one status change of a report, by whom, when and why."""

    Action = TransitionAction

    report = models.ForeignKey(
        UnitReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    from_status = models.CharField(_("from status"), max_length=16, choices=ReportStatus.choices)
    to_status = models.CharField(_("to status"), max_length=16, choices=ReportStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(_("report version after the change"))
    created_at = models.DateTimeField(_("at"))

    objects = ReportTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")
        ordering = ["report", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=choices_q("action", TransitionAction),
                name="campaigns_reporttransition_action_valid",
            ),
            models.CheckConstraint(
                condition=choices_q("from_status", ReportStatus)
                & choices_q("to_status", ReportStatus),
                name="campaigns_reporttransition_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(action__in=["return", "reopen"]) | ~Q(reason=""),
                name="campaigns_reporttransition_return_has_reason",
            ),
        ]
        indexes = [
            # A report's history, oldest first.
            models.Index(fields=["report", "created_at"], name="campaigns_transition_rep_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.get_action_display()}"


class ValueChangeSource(models.TextChoices):
    FORM = "form", _("Data-entry form")
    IMPORT = "import", _("File import")
    DEMO = "demo", _("Demonstration data")


class ValueChangeQuerySet(ScopedQuerySet):
    unit_lookup = "report__unit"


class ValueChange(models.Model):
    """Audit: one value or comment of a report changed, from what to what, by whom."""

    Source = ValueChangeSource

    report = models.ForeignKey(
        UnitReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="value_changes"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("report version after the change"))
    old_value = models.DecimalField(
        _("old value"),
        max_digits=VALUE_MAX_DIGITS,
        decimal_places=VALUE_DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    new_value = models.DecimalField(
        _("new value"),
        max_digits=VALUE_MAX_DIGITS,
        decimal_places=VALUE_DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    old_comment = models.TextField(_("old comment"), blank=True)
    new_comment = models.TextField(_("new comment"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    created_at = models.DateTimeField(_("at"))

    objects = ValueChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("value change")
        verbose_name_plural = _("value changes")
        ordering = ["report", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=choices_q("source", ValueChangeSource),
                name="campaigns_valuechange_source_valid",
            ),
        ]
        indexes = [
            # Conflict message: what changed in a report after the version a form started from.
            models.Index(fields=["report", "version"], name="campaigns_change_rep_ver_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.indicator.code}: {self.old_value} → {self.new_value}"

    @property
    def value_changed(self) -> bool:
        return self.old_value != self.new_value

    @property
    def comment_changed(self) -> bool:
        return self.old_comment != self.new_comment
