from django.contrib import admin

from campaigns.dashboard import restructure
from campaigns.models import IndicatorAggregate, ReportCount
from wards import admin as wards_admin
from wards.admin import ReadOnlyAdmin
from wards.models import AdministrativeUnit


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


# The units' admin of wards, with the kept counts following an edit of a unit's parent, kind or
# dates: only this app may import every app's counts (restructure), so it extends that admin.
admin.site.unregister(AdministrativeUnit)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(wards_admin.AdministrativeUnitAdmin):
    def save_model(self, request, obj, form, change):
        if not (change and restructure.changes_structure(obj)):
            super().save_model(request, obj, form, change)
            return
        with restructure.counts_follow(obj):
            super().save_model(request, obj, form, change)
