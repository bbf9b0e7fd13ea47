from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from models_registry import counts, services
from models_registry.models import (
    CountedSiteChange,
    ExemplaryYear,
    ModelSite,
    PreventionModel,
    SiteEvaluation,
)
from wards import closure
from wards.admin import (
    ClosedYearAdminMixin,
    FiguresAdminMixin,
    ReadOnlyAdmin,
    ScopedAdminMixin,
)


def _check_site(old, new) -> None:
    closure.ensure_footprint_open(services.site_footprint(old, new))


def _check_model(old, new) -> None:
    closure.ensure_footprint_open(services.model_footprint(old, new))


def _check_evaluation(old, new) -> None:
    closure.ensure_footprint_open(services.evaluation_footprint(old, new))


class ModelSiteInline(admin.TabularInline):
    model = ModelSite
    fields = ["unit", "start_date", "households", "cameras", "status", "retired_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # sites are added through replication, which checks the one-site rule


class SiteEvaluationInline(ClosedYearAdminMixin, admin.TabularInline):
    closure_check = _check_evaluation
    model = SiteEvaluation
    fields = ["year", "grade", "status", "tip_offs", "cases_solved", "mediations", "patrols"]
    extra = 0
    show_change_link = True


@admin.register(PreventionModel)
class PreventionModelAdmin(FiguresAdminMixin, ClosedYearAdminMixin, SimpleHistoryAdmin):
    closure_check = _check_model
    list_display = [
        "name",
        "category",
        "lead_organisation",
        "origin_unit",
        "start_date",
        "status",
        "retired_on",
    ]
    list_filter = ["category", "lead_organisation", "status"]
    search_fields = ["name", "slug", "description"]
    list_select_related = ["origin_unit"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["origin_unit"]
    date_hierarchy = "start_date"
    inlines = [ModelSiteInline]
    fields = [
        "name",
        "slug",
        "category",
        "lead_organisation",
        "origin_unit",
        "start_date",
        "description",
        "status",
        "retired_on",
        "retire_reason",
    ]

    def save_model(self, request, obj, form, change):
        # Its start and retirement dates decide when its sites count (sites are read-only here).
        with counts.kept(model_ids=[obj.pk] if change else []):
            super().save_model(request, obj, form, change)


@admin.register(ModelSite)
class ModelSiteAdmin(FiguresAdminMixin, ClosedYearAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    closure_check = _check_site
    list_display = [
        "model",
        "unit",
        "start_date",
        "households",
        "members",
        "teams",
        "cameras",
        "funding_socialized",
        "status",
    ]
    list_filter = ["status", "model__category", "unit"]
    search_fields = ["model__name", "unit__name", "decision_number"]
    list_select_related = ["model", "unit"]
    autocomplete_fields = ["model", "unit", "residential_area"]
    inlines = [SiteEvaluationInline]
    fields = [
        "model",
        "unit",
        "residential_area",
        "decision_number",
        "decision_date",
        "start_date",
        "households",
        "members",
        "teams",
        "cameras",
        "funding_state",
        "funding_socialized",
        "note",
        "status",
        "retired_on",
        "retire_reason",
    ]

    # An edit or deletion here moves the counted sites: the kept counts follow it in the
    # admin's transaction.
    def save_model(self, request, obj, form, change):
        with counts.kept(site_ids=[obj.pk] if change else []) as tracked:
            super().save_model(request, obj, form, change)
            tracked.add(obj)

    def delete_model(self, request, obj):
        with counts.kept(site_ids=[obj.pk]):
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with counts.kept(site_ids=list(queryset.values_list("pk", flat=True))):
            super().delete_queryset(request, queryset)


@admin.register(SiteEvaluation)
class SiteEvaluationAdmin(
    FiguresAdminMixin, ClosedYearAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin
):
    closure_check = _check_evaluation
    list_display = ["site", "year", "grade", "status", "proposed_by", "confirmed_by"]
    list_filter = ["status", "grade", "year"]
    search_fields = ["site__model__name", "site__unit__name", "notes"]
    list_select_related = ["site__model", "site__unit", "proposed_by", "confirmed_by"]
    raw_id_fields = ["site"]
    readonly_fields = ["proposed_by", "confirmed_by"]
    fields = [
        "site",
        "year",
        "grade",
        "tip_offs",
        "cases_solved",
        "mediations",
        "patrols",
        "notes",
        "status",
        "proposed_by",
        "confirmed_by",
        "confirmed_at",
    ]


@admin.register(ExemplaryYear)
class ExemplaryYearAdmin(FiguresAdminMixin, SimpleHistoryAdmin):
    """Exemplary models by year; whoever adds one here is recorded as the one who decided."""

    list_display = ["model", "year", "decided_by", "decision"]
    list_filter = ["year"]
    search_fields = ["model__name", "decision", "reason"]
    list_select_related = ["model", "decided_by"]
    autocomplete_fields = ["model"]
    fields = ["model", "year", "decision", "reason", "decided_by"]
    readonly_fields = ["decided_by"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.decided_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CountedSiteChange)
class CountedSiteChangeAdmin(ReadOnlyAdmin):
    """Kept by the registry's writes (and ``rebuild_aggregates``): read-only here."""

    list_display = ["area", "year", "model", "sites", "cameras"]
    list_filter = ["year", "model"]
    search_fields = ["area__name", "model__name"]
    list_select_related = ["area", "model"]
