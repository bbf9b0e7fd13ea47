"""Admin: the catalogue (campaigns, periods, indicators, rules) is edited here; reports are
only looked at, because their values and statuses change through the workflow (with audit)."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaigns.models import (
    ApprovalLevel,
    Campaign,
    ImportBatch,
    Indicator,
    IndicatorSection,
    ReportingPeriod,
    ReportNudge,
    ReportTransition,
    ReportValue,
    ReviewRemark,
    UnitReport,
    ValidationRule,
    ValueChange,
)
from wards.admin import FiguresAdminMixin
from wards.numbers import PlainNumbersModelForm


class ReportingPeriodForm(PlainNumbersModelForm):
    """A closed period keeps its dates: moving them would reopen a closed year for every unit
    at once, unaudited. An approver reopens a year for one unit, with a reason, instead."""

    def clean(self):
        cleaned = super().clean()
        stored = self.instance
        if stored.pk and stored.closes_on < timezone.localdate():
            moved = [
                name
                for name in ("year", "opens_on", "due_on", "closes_on")
                if name in cleaned and cleaned[name] != getattr(stored, name)
            ]
            if moved:
                raise forms.ValidationError(
                    gettext(
                        "The %(year)s period is closed: its dates no longer change. To correct "
                        "a unit's figures, an approver reopens that year for the unit."
                    )
                    % {"year": stored.year},
                    code="period_closed",
                )
        return cleaned


class ReportingPeriodInline(admin.TabularInline):
    model = ReportingPeriod
    form = ReportingPeriodForm
    fields = ["year", "opens_on", "due_on", "closes_on"]
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(FiguresAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "city", "start_year", "end_year", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "city", "start_year", "end_year", "is_demo"]}),
        (
            _("Yearly calendar"),
            {
                "fields": [
                    ("opens_day", "opens_month"),
                    ("due_day", "due_month"),
                    "closes_after_days",
                ],
                "description": _(
                    "Each year's period is opened with these dates by "
                    "“manage.py open_reporting_year” (run daily)."
                ),
            },
        ),
        (None, {"fields": ["description"]}),
    ]
    inlines = [ReportingPeriodInline]


@admin.register(ApprovalLevel)
class ApprovalLevelAdmin(FiguresAdminMixin, admin.ModelAdmin):
    list_display = ["name", "reporter", "step", "tier", "valid_from_year", "valid_to_year"]
    list_filter = ["reporter", "tier"]
    search_fields = ["name", "office"]
    fields = ["name", "reporter", "step", "tier", "office", "valid_from_year", "valid_to_year"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(FiguresAdminMixin, SimpleHistoryAdmin):
    form = ReportingPeriodForm
    list_display = ["campaign", "year", "opens_on", "due_on", "closes_on", "reminder_days"]
    list_filter = ["campaign"]
    fields = ["campaign", "year", "opens_on", "due_on", "closes_on", "reminder_days"]


class IndicatorInline(admin.TabularInline):
    form = PlainNumbersModelForm
    model = Indicator
    fields = ["code", "name_vi", "unit_of_measure", "value_type", "reporter", "order"]
    extra = 0
    show_change_link = True


@admin.register(IndicatorSection)
class IndicatorSectionAdmin(FiguresAdminMixin, SimpleHistoryAdmin):
    list_display = ["name_vi", "name_en", "code", "order"]
    fields = ["code", "name_vi", "name_en", "order"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(FiguresAdminMixin, SimpleHistoryAdmin):
    form = PlainNumbersModelForm
    list_display = [
        "code",
        "name_vi",
        "section",
        "unit_of_measure",
        "value_type",
        "reporter",
        "is_required",
        "valid_from_year",
        "valid_to_year",
        "order",
    ]
    list_filter = ["section", "reporter", "value_type", "is_required"]
    list_select_related = ["section"]
    search_fields = ["code", "name_vi", "name_en"]
    fieldsets = [
        (None, {"fields": ["code", "section", "name_vi", "name_en", "help_text", "order"]}),
        (
            _("Value"),
            {
                "fields": [
                    "unit_of_measure",
                    "value_type",
                    "aggregation",
                    "period_aggregation",
                    "min_value",
                    "max_value",
                    "is_required",
                    "change_alert_percent",
                ]
            },
        ),
        (_("Who and when"), {"fields": ["reporter", "valid_from_year", "valid_to_year"]}),
    ]


@admin.register(ValidationRule)
class ValidationRuleAdmin(SimpleHistoryAdmin):
    form = PlainNumbersModelForm
    list_display = ["code", "left", "operator", "right", "severity", "is_active"]
    list_filter = ["severity", "is_active"]
    list_select_related = ["left", "right"]
    search_fields = ["code", "message_vi", "left__code", "right__code"]
    autocomplete_fields = ["left", "right"]
    fields = [
        "code",
        "left",
        "operator",
        "right",
        "severity",
        "message_vi",
        "message_en",
        "is_active",
    ]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReportValueInline(_ReadOnlyInline):
    model = ReportValue
    fields = ["indicator", "value", "comment"]
    readonly_fields = fields


class ReportTransitionInline(_ReadOnlyInline):
    model = ReportTransition
    fields = ["created_at", "action", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields


class ValueChangeInline(_ReadOnlyInline):
    model = ValueChange
    fields = ["created_at", "indicator", "old_value", "new_value", "changed_by", "source"]
    readonly_fields = fields


@admin.register(UnitReport)
class UnitReportAdmin(admin.ModelAdmin):
    """Read-only: values and statuses change only through the workflow pages (audited)."""

    list_display = ["unit", "period", "status", "version", "submitted_at", "approved_at"]
    list_filter = ["status", "period__year", "period__campaign"]
    list_select_related = ["unit", "period", "period__campaign"]
    search_fields = ["unit__name", "unit__code"]
    inlines = [ReportValueInline, ReportTransitionInline, ValueChangeInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the app's services: visible to administrators, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(_ReadOnlyAdmin):
    list_display = ["file_name", "period", "created_by", "status", "error_count", "applied_at"]
    list_filter = ["status", "period__year"]
    search_fields = ["file_name", "created_by__username"]
    list_select_related = ["period__campaign", "created_by"]
    exclude = ["rows"]


@admin.register(ReviewRemark)
class ReviewRemarkAdmin(_ReadOnlyAdmin):
    list_display = ["report", "indicator", "text", "created_by", "created_at"]
    list_filter = ["report__period__year"]
    search_fields = ["text", "report__unit__name", "indicator__code"]
    list_select_related = ["report__unit", "report__period", "indicator", "created_by"]


@admin.register(ReportNudge)
class ReportNudgeAdmin(_ReadOnlyAdmin):
    list_display = ["unit", "period", "sent_on", "sent_by"]
    list_filter = ["sent_on"]
    list_select_related = ["unit", "period__campaign", "sent_by"]
