"""Uploaded spreadsheets staged between preview and confirmation."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models.catalogue import ReportingPeriod, choices_q
from wards.models import TimeStampedModel


class ImportBatchStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for confirmation")
    APPLIED = "applied", _("Imported")


class ImportBatchQuerySet(models.QuerySet):
    def owned_by(self, user) -> "ImportBatchQuerySet":
        """A staged import is seen only by the person who uploaded it."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(created_by=user)


class ImportBatch(TimeStampedModel):
    """A parsed upload, kept on the server between preview and confirmation.

    The confirmation applies exactly these rows (never data posted back by the browser), and
    only if no report among them changed since the preview.
    """

    Status = ImportBatchStatus

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PREVIEW
    )
    # [{"row": 5, "unit_id": 3, "unit": "Phường 1", "indicator_id": 9, "indicator": "…",
    #   "value": "12" | None, "comment": "", "old_value": "10" | None, "errors": {"col": "msg"}}]
    rows = models.JSONField(_("rows"), default=list)
    # {"<unit id>": <report version at preview, 0 when not started>}
    versions = models.JSONField(_("report versions at preview"), default=dict)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=choices_q("status", ImportBatchStatus),
                name="campaigns_importbatch_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:import_preview", kwargs={"pk": self.pk})

    @property
    def changed_rows(self) -> list[dict]:
        return [r for r in self.rows if r.get("changed")]
