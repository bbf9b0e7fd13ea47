import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from models_registry.models import (
    Grade,
    ModelCategory,
    ModelSite,
    PreventionModel,
    SiteEvaluation,
)
from models_registry.selectors import RegistryFilters, RegistryYears, StatusFilter, as_of_for_year
from wards import form_errors
from wards.models import AdministrativeUnit
from wards.numbers import PlainNumbersFormMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER_WIDGET = forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})
MONEY_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


def _not_negative(what) -> dict:
    return {"min_value": what, "invalid": _("Enter a whole number.")}


MONEY_ERRORS = {
    "invalid": _("Enter the amount in đồng as digits only, e.g. 15.000.000."),
    "min_value": _("An amount of money cannot be negative."),
}


def commune_level_units(day: datetime.date | None = None):
    """Wards and communes valid on ``day`` (today by default): the units a page offers."""
    day = day or timezone.localdate()
    return (
        AdministrativeUnit.objects.commune_level().valid_on(day).order_by("display_order", "name")
    )


# --- the registry's filters ------------------------------------------------------------------


class RegistryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *ModelCategory.choices],
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=None, empty_label=_("All units")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=StatusFilter.CHOICES)
    grade = forms.ChoiceField(
        label=_("Grade that year"), required=False, choices=[("", _("Any grade")), *Grade.choices]
    )
    year = forms.TypedChoiceField(label=_("As of the year"), required=False, coerce=int)

    def __init__(self, *args, years: RegistryYears, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        # The units offered are those valid as of the chosen year (wards.periods).
        try:
            year = int(self.data.get("year") or years.default)
        except (TypeError, ValueError):
            year = years.default
        if year not in years.choices:
            year = years.default
        self.fields["unit"].queryset = commune_level_units(as_of_for_year(year))
        self.fields["year"].choices = [(y, str(y)) for y in years.choices]
        self.fields["year"].initial = years.default
        self.fields["status"].initial = StatusFilter.COUNTED

    def filters(self) -> RegistryFilters:
        """The filters to apply: the valid ones the user chose, defaults for the rest."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return RegistryFilters(
            q=(data.get("q") or "").strip(),
            category=data.get("category") or "",
            unit=data.get("unit"),
            status=data.get("status") or StatusFilter.COUNTED,
            grade=data.get("grade") or "",
            year=data.get("year") or self.years.default,
        )


class YearForm(forms.Form):
    """The "as of the year" choice on a model's page and the camera totals."""

    year = forms.TypedChoiceField(
        label=_("As of the year"),
        required=False,
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, years: RegistryYears, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        self.fields["year"].choices = [(y, str(y)) for y in years.choices]
        self.fields["year"].initial = years.default

    def selected_year(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return self.years.default


# --- models -------------------------------------------------------------------------------------


class PreventionModelForm(PlainNumbersFormMixin, forms.ModelForm):
    """Register a new model (the approver); its first site is created in the unit it started in."""

    class Meta:
        model = PreventionModel
        fields = [
            "name",
            "slug",
            "category",
            "lead_organisation",
            "origin_unit",
            "start_date",
            "description",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "slug": _("Leave empty to build it from the name."),
            "origin_unit": _("Its first site is created there, from the start date."),
        }
        error_messages = {
            "name": {"unique": _("A model with this name is already registered.")},
            "slug": {"unique": _("Another model already uses this address.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["origin_unit"].queryset = commune_level_units()


class PreventionModelEditForm(forms.ModelForm):
    class Meta:
        model = PreventionModel
        fields = ["name", "category", "lead_organisation", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"name": {"unique": _("A model with this name is already registered.")}}


# --- sites --------------------------------------------------------------------------------------

SITE_FIELDS = [
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
]


class SiteForm(PlainNumbersFormMixin, forms.ModelForm):
    """A site's facts. Registering one for the approver adds the choice of unit.

    The instance carries the model and the unit before validation, so the model's ``clean``
    checks dates against both and the residential area against the unit.
    """

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=True)

    class Meta:
        model = ModelSite
        fields = SITE_FIELDS
        widgets = {
            "decision_date": DATE_WIDGET,
            "start_date": DATE_WIDGET,
            "households": NUMBER_WIDGET,
            "members": NUMBER_WIDGET,
            "teams": NUMBER_WIDGET,
            "cameras": NUMBER_WIDGET,
            "funding_state": MONEY_WIDGET,
            "funding_socialized": MONEY_WIDGET,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        localized_fields = ["funding_state", "funding_socialized"]
        error_messages = {
            "households": _not_negative(_("The number of households cannot be negative.")),
            "members": _not_negative(_("The number of members cannot be negative.")),
            "teams": _not_negative(_("The number of teams cannot be negative.")),
            "cameras": _not_negative(_("The number of cameras cannot be negative.")),
            "funding_state": MONEY_ERRORS,
            "funding_socialized": MONEY_ERRORS,
        }

    def __init__(self, *args, choose_unit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        site: ModelSite = self.instance
        if choose_unit:
            self.fields["unit"].queryset = commune_level_units()
            # The unit's residential area is set afterwards, on the site's own page.
            del self.fields["residential_area"]
            self.order_fields(["unit"])
        else:
            del self.fields["unit"]
            self.fields["residential_area"].queryset = site.unit.residential_areas.order_by("name")
        self.helper = self._layout()

    def _layout(self) -> FormHelper:
        """Related fields side by side on wide screens, one under another on a phone."""

        def row(*names: str, size: str = "col-md") -> Row:
            return Row(*(Column(n, css_class=f"col-12 {size}") for n in names if n in self.fields))

        helper = FormHelper()
        helper.form_tag = False
        helper.layout = Layout(
            row("unit", "residential_area", "start_date"),
            row("decision_number", "decision_date"),
            row("households", "members", "teams", "cameras", size="col-sm-6 col-lg-3"),
            row("funding_state", "funding_socialized"),
            "note",
        )
        return helper

    def clean(self):
        cleaned = super().clean()
        # "unit" is not in Meta.fields (only the approver chooses it): set it for the model's
        # clean(), which checks the start date against the unit's existence.
        if "unit" in self.fields and cleaned.get("unit"):
            self.instance.unit = cleaned["unit"]
        return cleaned

    def service_kwargs(self) -> dict:
        """The cleaned values as the keyword arguments of :func:`services.replicate_model`."""
        kwargs = {name: self.cleaned_data[name] for name in SITE_FIELDS if name in self.fields}
        kwargs["unit"] = self.cleaned_data.get("unit") or self.instance.unit
        return kwargs


class SiteEditForm(SiteForm):
    """Correct a site's facts; its status changes only through retirement."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, choose_unit=False, **kwargs)

    def clean_start_date(self) -> datetime.date:
        start = self.cleaned_data["start_date"]
        first_graded = (
            self.instance.evaluations.order_by("year").values_list("year", flat=True).first()
        )
        if first_graded is not None and first_graded < start.year:
            raise forms.ValidationError(
                _("The site has a grade for %(year)s; it cannot start after that year."),
                code="after_first_grade",
                params={"year": first_graded},
            )
        return start

    def _update_errors(self, errors: forms.ValidationError) -> None:
        # The model's clean() also checks fields this form does not show (the retirement
        # date of a retired site): show those above the form instead of failing.
        super()._update_errors(form_errors.for_form(self, errors))


class RetireForm(forms.Form):
    retired_on = forms.DateField(
        label=_("Retired on"),
        widget=DATE_WIDGET,
        help_text=_("The first day it no longer runs."),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if today:
            self.fields["retired_on"].initial = today


class ExemplaryForm(forms.Form):
    """The approver names a model exemplary ("tiêu biểu") for a year."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    decision = forms.CharField(
        label=_("Decision"),
        required=False,
        max_length=200,
        help_text=_("Number and date of the decision or review that named it, if any."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in reversed(years)]


# --- evaluations --------------------------------------------------------------------------------


class EvaluationForm(PlainNumbersFormMixin, forms.ModelForm):
    """The unit's proposal of a year's grade and results."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    class Meta:
        model = SiteEvaluation
        fields = ["year", "grade", "tip_offs", "cases_solved", "mediations", "patrols", "notes"]
        widgets = {
            "tip_offs": NUMBER_WIDGET,
            "cases_solved": NUMBER_WIDGET,
            "mediations": NUMBER_WIDGET,
            "patrols": NUMBER_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "tip_offs": _not_negative(_("The number of tip-offs cannot be negative.")),
            "cases_solved": _not_negative(_("The number of cases solved cannot be negative.")),
            "mediations": _not_negative(_("The number of mediations cannot be negative.")),
            "patrols": _not_negative(_("The number of patrols cannot be negative.")),
        }

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in reversed(years)]
        self.helper = FormHelper()
        self.helper.form_tag = False
        results = ("tip_offs", "cases_solved", "mediations", "patrols")
        self.helper.layout = Layout(
            Row(*(Column(n, css_class="col-12 col-md-6") for n in ("year", "grade"))),
            Row(*(Column(n, css_class="col-6 col-lg-3") for n in results)),
            "notes",
        )

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ConfirmForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=Grade.choices,
        help_text=_("Change it if the city grades the site differently from the unit."),
    )
