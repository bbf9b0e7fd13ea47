from collections import Counter

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaigns.certifications import counts, services
from campaigns.certifications.models import (
    Award,
    ClassificationScore,
    ClassificationThreshold,
    Criterion,
    CriterionAssessment,
    Dossier,
    EligibilityExclusion,
    FestivalDay,
    HolderKind,
    Incident,
    MovementClassification,
    Person,
    RuleSet,
    ScoringItem,
    TitleCount,
)
from wards.admin import (
    ClosedYearAdminMixin,
    FiguresAdminMixin,
    ReadOnlyAdmin,
    ScopedAdminMixin,
)
from wards.numbers import PlainNumbersModelForm


def _check_dated(old, new) -> None:
    services.ensure_open(old=old, new=new)


class RuleSetAdminForm(PlainNumbersModelForm):
    holder_kinds = forms.MultipleChoiceField(
        label=_("applies to"),
        choices=HolderKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = RuleSet
        fields = [
            "subject",
            "code",
            "name",
            "legal_basis",
            "valid_from",
            "valid_to",
            "holder_kinds",
            "note",
        ]


class EligibilityExclusionInline(admin.TabularInline):
    model = EligibilityExclusion
    fields = ["attribute", "values", "reason"]
    extra = 0


class CriterionInline(admin.StackedInline):
    form = PlainNumbersModelForm
    model = Criterion
    fields = [
        ("holder_kind", "code", "order", "kind"),
        "text",
        ("indicator", "operator", "threshold", "child_share_percent"),
    ]
    raw_id_fields = ["indicator"]
    extra = 0


class ScoringItemInline(admin.TabularInline):
    form = PlainNumbersModelForm
    model = ScoringItem
    fields = ["holder_kind", "code", "order", "text", "max_points"]
    extra = 0


class ClassificationThresholdInline(admin.TabularInline):
    form = PlainNumbersModelForm
    model = ClassificationThreshold
    fields = ["level", "min_points"]
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(FiguresAdminMixin, SimpleHistoryAdmin):
    form = RuleSetAdminForm
    list_display = [
        "name",
        "subject",
        "legal_basis",
        "valid_from",
        "valid_to",
        "get_holder_kinds_display",
    ]
    list_filter = ["subject"]
    search_fields = ["name", "legal_basis", "code"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [
        EligibilityExclusionInline,
        CriterionInline,
        ScoringItemInline,
        ClassificationThresholdInline,
    ]

    @admin.display(description=_("applies to"))
    def get_holder_kinds_display(self, obj: RuleSet) -> str:
        return obj.get_holder_kinds_display()


@admin.register(Criterion)
class CriterionAdmin(FiguresAdminMixin, SimpleHistoryAdmin):
    form = PlainNumbersModelForm
    list_display = ["code", "text", "holder_kind", "kind", "rule_set"]
    list_filter = ["rule_set", "holder_kind", "kind"]
    search_fields = ["code", "text"]
    list_select_related = ["rule_set"]
    raw_id_fields = ["indicator"]


@admin.register(ClassificationThreshold)
class ClassificationThresholdAdmin(FiguresAdminMixin, SimpleHistoryAdmin):
    form = PlainNumbersModelForm
    list_display = ["rule_set", "level", "min_points"]
    list_filter = ["rule_set"]
    list_editable = ["min_points"]
    list_select_related = ["rule_set"]


class CriterionAssessmentInline(ClosedYearAdminMixin, admin.TabularInline):
    closure_check = _check_dated
    model = CriterionAssessment
    fields = ["criterion", "met", "evidence", "attachment"]
    readonly_fields = ["criterion"]
    extra = 0
    can_delete = False


@admin.register(Dossier)
class DossierAdmin(FiguresAdminMixin, ClosedYearAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    closure_check = _check_dated
    list_display = ["__str__", "kind", "year", "unit", "status", "proposed_result", "result"]
    list_filter = ["kind", "year", "holder_type", "status", "result"]
    search_fields = [
        "holder_unit__name",
        "residential_area__name",
        "organization__name",
        "decision_number",
        "certificate_number",
    ]
    list_select_related = ["unit", "holder_unit", "residential_area__unit", "organization__unit"]
    raw_id_fields = ["unit", "holder_unit", "residential_area", "organization"]
    readonly_fields = ["created_by", "submitted_by", "submitted_at", "decided_by", "decided_at"]
    inlines = [CriterionAssessmentInline]

    # An edit or deletion here can give or take a title: the kept counts follow it in the
    # admin's transaction (the stored row before, the saved row after).
    def save_model(self, request, obj, form, change):
        before = counts.keys_of([obj.pk]) if change else Counter()
        super().save_model(request, obj, form, change)
        counts.apply(before, counts.keys_of([obj.pk]))

    def delete_model(self, request, obj):
        before = counts.keys_of([obj.pk])
        super().delete_model(request, obj)
        counts.apply(before, Counter())

    def delete_queryset(self, request, queryset):
        before = counts.keys_of(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        counts.apply(before, Counter())


class ClassificationScoreInline(ClosedYearAdminMixin, admin.TabularInline):
    closure_check = _check_dated
    model = ClassificationScore
    fields = ["item", "max_points", "self_points", "approved_points", "note"]
    readonly_fields = ["item", "max_points"]
    extra = 0
    can_delete = False


@admin.register(MovementClassification)
class MovementClassificationAdmin(
    FiguresAdminMixin, ClosedYearAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin
):
    closure_check = _check_dated
    list_display = ["__str__", "year", "unit", "status", "level_display"]
    list_filter = ["year", "status", "holder_type"]
    list_select_related = ["unit", "holder_unit", "residential_area", "organization", "rule_set"]
    raw_id_fields = ["unit", "holder_unit", "residential_area", "organization"]
    inlines = [ClassificationScoreInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("scores", "rule_set__thresholds")

    @admin.display(description=_("level"))
    def level_display(self, obj: MovementClassification) -> str:
        return obj.get_level_display()


@admin.register(Person)
class PersonAdmin(FiguresAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    form = PlainNumbersModelForm
    list_display = ["full_name", "birth_year", "position", "unit"]
    search_fields = ["full_name", "position"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(Award)
class AwardAdmin(FiguresAdminMixin, ClosedYearAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    closure_check = _check_dated
    list_display = [
        "form",
        "recipient_type",
        "__str__",
        "issuer",
        "decision_number",
        "decision_date",
    ]
    list_filter = ["form", "occasion", "recipient_type"]
    search_fields = ["decision_number", "issuer", "recipient_person__full_name"]
    date_hierarchy = "decision_date"
    list_select_related = ["recipient_unit", "recipient_organization", "recipient_person"]
    raw_id_fields = ["recipient_unit", "recipient_organization", "recipient_person", "unit"]


@admin.register(FestivalDay)
class FestivalDayAdmin(
    FiguresAdminMixin, ClosedYearAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin
):
    closure_check = _check_dated
    list_display = ["__str__", "year", "held_on", "unit", "participants"]
    list_filter = ["year"]
    list_select_related = ["unit"]
    filter_horizontal = ["showcase_areas"]


@admin.register(Incident)
class IncidentAdmin(FiguresAdminMixin, ClosedYearAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    closure_check = _check_dated
    list_display = ["organization", "year", "kind", "occurred_on"]
    list_filter = ["year", "kind"]
    search_fields = ["organization__name", "description"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]


@admin.register(TitleCount)
class TitleCountAdmin(ReadOnlyAdmin):
    """Kept by the dossier decisions (and ``rebuild_aggregates``): read-only here."""

    list_display = ["area", "year", "kind", "holder_type", "holders"]
    list_filter = ["kind", "holder_type", "year"]
    search_fields = ["area__name"]
    list_select_related = ["area"]
