"""What follows a report around its review: remarks on single figures, and reminders sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models.catalogue import Indicator, ReportingPeriod
from campaigns.models.reports import ReportTransition, UnitReport
from wards.models import AdministrativeUnit
from wards.scoping import ScopedQuerySet


class ReviewRemarkQuerySet(ScopedQuerySet):
    unit_lookup = "report__unit"


class ReviewRemark(models.Model):
    """The approver's remark on one figure, given when returning a report.

    It belongs to the return (its transition) so that the unit sees, beside each field, what
    the latest return said; older remarks stay in the history.
    """

    report = models.ForeignKey(
        UnitReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="remarks"
    )
    transition = models.ForeignKey(
        ReportTransition,
        verbose_name=_("return"),
        on_delete=models.CASCADE,
        related_name="remarks",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("remark"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"))

    objects = ReviewRemarkQuerySet.as_manager()

    class Meta:
        verbose_name = _("review remark")
        verbose_name_plural = _("review remarks")
        ordering = ["report", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["transition", "indicator"],
                name="campaigns_reviewremark_transition_indicator_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(text=""), name="campaigns_reviewremark_text_not_empty"
            ),
        ]
        indexes = [
            # The remarks of a report's latest return, beside the fields.
            models.Index(fields=["report", "transition"], name="campaigns_remark_rep_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.indicator.code}: {self.text[:40]}"


class ReportNudgeQuerySet(ScopedQuerySet):
    unit_lookup = "unit"


class ReportNudge(models.Model):
    """An approver's "Nhắc nhở" to a late unit: at most one per unit, period and day."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("day"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"))

    objects = ReportNudgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder sent by an approver")
        verbose_name_plural = _("reminders sent by approvers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "sent_on"], name="campaigns_reportnudge_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period.year} · {self.sent_on:%d/%m/%Y}"
