"""Aggregates of approved (and of submitted) report values per area, year and indicator.

They are kept exact by :mod:`campaigns.aggregates` in the same transaction that changes a
report's status, so dashboards read a few hundred rows instead of scanning millions of values.
The reports core writes them; the dashboard (:mod:`campaigns.dashboard`) only reads them.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.models.catalogue import Indicator
from wards.models import AdministrativeUnit


class AggregateBasis(models.TextChoices):
    APPROVED = "approved", _("Approved reports only")
    SUBMITTED = "submitted", _("Approved and submitted reports")


class IndicatorAggregate(models.Model):
    """Sum, count and maximum of one indicator's values in the units below ``area`` in ``year``.

    ``area`` is an ancestor (city, district, province) of the reporting units; a unit's own
    figures are read from its report directly.
    """

    Basis = AggregateBasis

    area = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+"
    )
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    total = models.DecimalField(_("sum"), max_digits=24, decimal_places=4)
    value_count = models.PositiveIntegerField(_("number of values"))
    maximum = models.DecimalField(_("maximum"), max_digits=24, decimal_places=4)

    class Meta:
        # The table and its constraint names date from when the dashboard app owned the model
        # (moved to the reports core without touching the table, see migration 0005).
        db_table = "dashboard_indicatoraggregate"
        verbose_name = _("indicator aggregate")
        verbose_name_plural = _("indicator aggregates")
        constraints = [
            # Also the conflict target of the upserts in campaigns.aggregates.
            models.UniqueConstraint(
                fields=["area", "basis", "indicator", "year"],
                name="dashboard_indicatoraggregate_unique",
            ),
            models.CheckConstraint(
                condition=Q(basis__in=AggregateBasis.values),
                name="dashboard_indicatoraggregate_basis_valid",
            ),
        ]
        indexes = [
            # dashboard.selectors.series(): one area's figures for a range of years (dashboard,
            # report, API); by_area(): the areas of a comparison table (area IN children, same
            # basis and years).
            models.Index(fields=["area", "basis", "year"], name="dashboard_agg_area_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year} {self.indicator.code} ({self.basis})"


class ReportCount(models.Model):
    """How many reports of ``year`` count on ``basis`` in ``area``: those of the units below it,
    and the area's own (``city_level``: a city reports its city-level indicators). The
    dashboard's "5 of 5 reports approved" without counting reports; kept with the indicator
    aggregates by :mod:`campaigns.aggregates`."""

    Basis = AggregateBasis

    area = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    basis = models.CharField(_("basis"), max_length=16, choices=Basis.choices)
    city_level = models.BooleanField(_("reported by the city itself"))
    reports = models.PositiveIntegerField(_("reports"))

    class Meta:
        verbose_name = _("report count")
        verbose_name_plural = _("report counts")
        constraints = [
            # Also the conflict target of the upsert in campaigns.aggregates and the index of
            # the dashboard's read (one area, its years).
            models.UniqueConstraint(
                fields=["area", "year", "basis", "city_level"], name="campaigns_reportcount_unique"
            ),
            models.CheckConstraint(
                condition=Q(basis__in=AggregateBasis.values),
                name="campaigns_reportcount_basis_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year} ({self.basis}): {self.reports}"
