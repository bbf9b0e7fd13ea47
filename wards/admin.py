from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from wards import figures
from wards.forms import UnitBoundaryAdminForm
from wards.models import (
    AdministrativeUnit,
    FiguresVersion,
    Notification,
    Organization,
    ReportingArea,
    ResidentialArea,
    UnitBoundary,
    UnitChange,
    User,
    YearReopening,
)
from wards.numbers import PlainNumbersFormMixin

# (row as stored or None, row as it would be saved or None) -> raises ValidationError when the
# change reaches a closed year (see wards.closure); each app's services provide theirs.
ClosureCheck = Callable[[object, object], None]


class FiguresAdminMixin:
    """Admin of rows the cached pages show or scope by (units, their changes and outlines,
    indicators, periods, model sites…): saving or deleting here bumps the figures version in
    the admin's transaction, so no page, unit or scope is read from a cache computed before
    the change (:mod:`wards.figures`). Put it first among the bases."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        figures.bump()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        figures.bump()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        figures.bump()


class ScopedAdminMixin:
    """Staff who are not administrators see in the admin only what their scope allows."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.visible_to(request.user)


class ClosedYearForm(PlainNumbersFormMixin, forms.ModelForm):
    """An admin form refusing, like the app's services, a change that reaches a closed year."""

    closure_check: ClosureCheck | None = None

    def _post_clean(self) -> None:
        super()._post_clean()
        check = type(self).closure_check
        if check is None or self.errors:
            return
        model = type(self.instance)
        old = model.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        try:
            check(old, self.instance)
        except ValidationError as exc:
            self.add_error(None, exc.messages)


def closed_year_form(check: ClosureCheck, base: type[forms.ModelForm]) -> type[ClosedYearForm]:
    return type(
        "ClosedYearCheckedForm", (ClosedYearForm, base), {"closure_check": staticmethod(check)}
    )


class ClosedYearAdminMixin:
    """Admin (and inline) for rows dated in a year: a row of a closed year is not changed or
    deleted here either. Set ``closure_check``; the form and delete permission follow it."""

    closure_check: ClosureCheck

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", closed_year_form(type(self).closure_check, self.form))
        return super().get_form(request, obj, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", closed_year_form(type(self).closure_check, self.form))
        return super().get_formset(request, obj, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletion would skip the per-row check
        return actions

    def has_delete_permission(self, request, obj=None) -> bool:
        if isinstance(self, admin.options.InlineModelAdmin):
            return False  # ``obj`` is the parent here: rows are deleted from their own page
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        try:
            type(self).closure_check(obj, None)
        except ValidationError:
            return False
        return True


class ResidentialAreaInline(admin.TabularInline):
    model = ResidentialArea
    fields = ["kind", "name", "households", "valid_from", "valid_to"]
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(FiguresAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
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


@admin.register(UnitBoundary)
class UnitBoundaryAdmin(FiguresAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = UnitBoundaryAdminForm
    list_display = ["unit", "valid_from", "valid_to", "is_illustrative", "source"]
    list_filter = ["is_illustrative", "unit__kind"]
    search_fields = ["unit__name", "source"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "valid_from", "valid_to", "source", "is_illustrative", "upload", "geometry"]


@admin.register(UnitChange)
class UnitChangeAdmin(FiguresAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "effective_date", "legal_basis"]
    list_filter = ["kind", "effective_date"]
    search_fields = ["legal_basis", "note", "predecessors__name", "successors__name"]
    filter_horizontal = ["predecessors", "successors"]
    fields = ["kind", "effective_date", "legal_basis", "predecessors", "successors", "note"]


@admin.register(ReportingArea)
class ReportingAreaAdmin(FiguresAdminMixin, admin.ModelAdmin):
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
class ResidentialAreaAdmin(FiguresAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "unit", "households", "valid_from", "valid_to"]
    list_filter = ["kind", "unit"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "kind", "name", "households", "valid_from", "valid_to"]


@admin.register(Organization)
class OrganizationAdmin(FiguresAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
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
        (_("Notifications"), {"fields": ["email_preference"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Scope"), {"fields": ["role", "unit", "first_name", "last_name", "email"]}),
    ]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that the app writes itself (kept counts, audits): shown, never edited here."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(YearReopening)
class YearReopeningAdmin(ReadOnlyAdmin):
    """The audit of reopened years: read here, written through the unit page (with a reason)."""

    list_display = ["unit", "year", "reason", "reopened_by", "reopened_at", "closed_again_at"]
    list_filter = ["year"]
    search_fields = ["unit__name", "reason"]
    list_select_related = ["unit", "reopened_by", "closed_again_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications come from events; the admin shows what was e-mailed or failed."""

    list_display = ["created_at", "recipient", "kind", "text", "read_at", "email_state"]
    list_filter = ["kind", "email_state"]
    search_fields = ["text", "recipient__username", "key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FiguresVersion)
class FiguresVersionAdmin(ReadOnlyAdmin):
    """Read-only: the version the cached figures pages key on (see wards.figures)."""

    list_display = ["value", "changed_at"]
