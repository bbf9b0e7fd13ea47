from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from wards.models import (
    AdministrativeUnit,
    FiguresVersion,
    Organization,
    ReportingArea,
    ResidentialArea,
    UnitChange,
    User,
)


class ScopedAdminMixin:
    """Staff who are not administrators see in the admin only what their scope allows."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.visible_to(request.user)


class ResidentialAreaInline(admin.TabularInline):
    model = ResidentialArea
    fields = ["kind", "name", "households", "valid_from", "valid_to"]
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "code", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "parent", "valid_to"]
    search_fields = ["name", "code", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]
    date_hierarchy = "valid_from"
    inlines = [ResidentialAreaInline]
    fields = [
        "kind",
        "code",
        "name",
        "slug",
        "parent",
        "valid_from",
        "valid_to",
        "display_order",
        "note",
    ]
    autocomplete_fields = ["parent"]


@admin.register(UnitChange)
class UnitChangeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "effective_date", "legal_basis"]
    list_filter = ["kind", "effective_date"]
    search_fields = ["legal_basis", "note", "predecessors__name", "successors__name"]
    filter_horizontal = ["predecessors", "successors"]
    fields = ["kind", "effective_date", "legal_basis", "predecessors", "successors", "note"]


@admin.register(ReportingArea)
class ReportingAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "root", "members_today"]
    search_fields = ["name", "root__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["root"]
    fields = ["name", "slug", "root", "description", "members_today"]
    readonly_fields = ["members_today"]

    @admin.display(description=_("wards and communes today"))
    def members_today(self, area: ReportingArea) -> str:
        if area.pk is None:
            return "—"
        return ", ".join(u.name for u in area.members_on(timezone.localdate())) or "—"


@admin.register(ResidentialArea)
class ResidentialAreaAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "unit", "households", "valid_from", "valid_to"]
    list_filter = ["kind", "unit"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "kind", "name", "households", "valid_from", "valid_to"]


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "school_level", "enterprise_size", "unit", "is_active"]
    list_filter = [
        "kind",
        "school_level",
        "enterprise_size",
        "is_armed_forces",
        "is_active",
        "unit",
    ]
    search_fields = ["name", "address", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = [
        "unit",
        "kind",
        "name",
        "school_level",
        "enterprise_size",
        "is_armed_forces",
        "address",
        "is_active",
    ]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "get_full_name",
        "role",
        "unit",
        "is_active",
        "is_staff",
        "last_login",
    ]
    list_filter = ["role", "unit", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    filter_horizontal = ["residential_areas", "groups", "user_permissions"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Scope"), {"fields": ["role", "unit", "residential_areas", "position", "phone"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Scope"), {"fields": ["role", "unit", "first_name", "last_name", "email"]}),
    ]


@admin.register(FiguresVersion)
class FiguresVersionAdmin(admin.ModelAdmin):
    """Read-only: the version the cached figures pages key on (see wards.figures)."""

    list_display = ["value", "changed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
