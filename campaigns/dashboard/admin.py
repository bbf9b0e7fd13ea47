from django.contrib import admin

from campaigns.models import IndicatorAggregate


@admin.register(IndicatorAggregate)
class IndicatorAggregateAdmin(admin.ModelAdmin):
    """Kept by the report workflow (and ``rebuild_aggregates``): read-only here."""

    list_display = ["area", "year", "indicator", "basis", "total", "value_count", "maximum"]
    list_filter = ["basis", "year", "indicator__section"]
    search_fields = ["area__name", "indicator__code"]
    list_select_related = ["area", "indicator"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
