from django.contrib import admin

from campaigns.models import IndicatorAggregate, ReportCount
from wards.admin import ReadOnlyAdmin


@admin.register(IndicatorAggregate)
class IndicatorAggregateAdmin(ReadOnlyAdmin):
    """Kept by the report workflow (and ``rebuild_aggregates``): read-only here."""

    list_display = ["area", "year", "indicator", "basis", "total", "value_count", "maximum"]
    list_filter = ["basis", "year", "indicator__section"]
    search_fields = ["area__name", "indicator__code"]
    list_select_related = ["area", "indicator"]


@admin.register(ReportCount)
class ReportCountAdmin(ReadOnlyAdmin):
    """Kept by the report workflow (and ``rebuild_aggregates``): read-only here."""

    list_display = ["area", "year", "basis", "city_level", "reports"]
    list_filter = ["basis", "year", "city_level"]
    search_fields = ["area__name"]
    list_select_related = ["area"]
