"""Forms of the certifications pages. Workflows validate again in ``services``."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.certifications.models import (
    Award,
    AwardForm,
    CertificationKind,
    CriterionAssessment,
    DossierStatus,
    FestivalDay,
    HolderType,
    Incident,
    Person,
    RecipientType,
    Result,
)
from campaigns.certifications.models.awards import RECIPIENT_COLUMNS
from campaigns.certifications.models.choices import kind_applies_to
from campaigns.certifications.validators import ALLOWED_EXTENSIONS, validate_attachment
from models_registry.models import ModelSite
from wards.models import AdministrativeUnit, Organization, ResidentialArea
from wards.periods import ended_message, is_open_for_work

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, **kwargs)


def year_choices(first: int = 2012) -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year, first - 1, -1)]


class DossierCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Title"), choices=CertificationKind.choices)
    year = _year_field(help_text=_("The rule set in force that year is applied automatically."))
    registered_on = forms.DateField(
        label=_("Registration date"),
        widget=DATE_WIDGET,
        help_text=_("The date the holder registered to strive for the title (in Q1)."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, holder, holder_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        unit_kind = holder.kind if holder_type == HolderType.UNIT else None
        self.fields["kind"].choices = [
            (value, label)
            for value, label in CertificationKind.choices
            if kind_applies_to(value, holder_type, unit_kind)
        ]


class MetChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[("", _("— not assessed —")), ("true", _("Met")), ("false", _("Not met"))],
            coerce=lambda value: value == "true",
            empty_value=None,
            required=False,
            **kwargs,
        )

    def prepare_value(self, value):
        if value is True:
            return "true"
        if value is False:
            return "false"
        return ""


class AssessmentForm(forms.ModelForm):
    met = MetChoiceField(label=_("Self-assessment"))
    attachment = forms.FileField(
        label=_("Attached file"),
        required=False,
        validators=[validate_attachment],
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{e}" for e in ALLOWED_EXTENSIONS)}
        ),
        help_text=_("PDF, JPG, PNG, DOCX or XLSX, up to 5 MB."),
    )

    class Meta:
        model = CriterionAssessment
        fields = ["met", "evidence", "attachment"]
        widgets = {"evidence": forms.Textarea({"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.criterion.is_computed:
            self.fields["met"].disabled = True
            self.fields["met"].help_text = _("Computed from the data; not self-assessed.")


AssessmentFormSet = forms.modelformset_factory(
    CriterionAssessment, form=AssessmentForm, extra=0, can_delete=False
)


class DecisionForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices, widget=forms.RadioSelect)
    decision_number = forms.CharField(
        label=_("Decision number"), max_length=60, help_text=_("e.g. 125/QĐ-UBND")
    )
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE_WIDGET)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=200)
    certificate_number = forms.CharField(
        label=_("Certificate number"),
        max_length=60,
        required=False,
        help_text=_("Required when the title is recognised."),
    )


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What needs correcting"), widget=forms.Textarea({"rows": 3}), max_length=2000
    )


class ClassificationCreateForm(forms.Form):
    year = _year_field()


class ScoreForm(forms.Form):
    """Points for one item of a scoring sheet, never above the item's maximum."""

    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, score, **kwargs):
        super().__init__(*args, **kwargs)
        self.score = score
        self.fields["points"] = forms.DecimalField(
            label=_("Points"),
            min_value=0,
            max_value=score.max_points,
            max_digits=5,
            decimal_places=1,
            required=False,
            widget=forms.NumberInput({"step": "0.5"}),
        )
        self.order_fields(["points", "note"])


class DossierFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, choices=())
    kind = forms.ChoiceField(
        label=_("Title"),
        required=False,
        choices=[("", _("All titles")), *CertificationKind.choices],
    )
    holder_type = forms.ChoiceField(
        label=_("Holder"), required=False, choices=[("", _("All holders")), *HolderType.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *DossierStatus.choices]
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=None, empty_label=_("All units")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].choices = [("", _("All years")), *year_choices()]


RESULT_FILTER_CHOICES = [
    ("", _("Any result")),
    ("met", _("Met")),
    ("not_met", _("Not met")),
    ("pending", _("Not decided yet")),
    ("none", _("No dossier")),
]


class OrganizationTitleFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Organization.Kind.choices],
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=None, empty_label=_("All units")
    )
    result = forms.ChoiceField(label=_("Result"), required=False, choices=RESULT_FILTER_CHOICES)
    at_risk = forms.BooleanField(label=_("Only at risk"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].choices = year_choices()


class AwardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Decision year"), coerce=int, required=False, choices=())
    form = forms.ChoiceField(
        label=_("Form of award"), required=False, choices=[("", _("All forms")), *AwardForm.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *year_choices(2000)]


class AwardRecordForm(forms.ModelForm):
    class Meta:
        model = Award
        fields = [
            "form",
            "issuer",
            "decision_number",
            "decision_date",
            "recipient_type",
            "recipient_unit",
            "recipient_organization",
            "recipient_model_site",
            "recipient_person",
            "period_start_year",
            "period_end_year",
            "occasion",
            "festival_day",
            "reason",
        ]
        widgets = {"decision_date": DATE_WIDGET, "reason": forms.Textarea({"rows": 2})}

    RECIPIENT_FIELDS = RECIPIENT_COLUMNS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only recipients of units that exist today are offered (wards.periods); an award
        # already recorded keeps its recipient. Older records are corrected in the admin.
        current = AdministrativeUnit.objects.valid_on(timezone.localdate())
        kept = self.instance.pk
        self.fields["recipient_unit"].queryset = (
            AdministrativeUnit.objects.visible_to(user)
            .filter(Q(pk__in=current) | Q(pk=self.instance.recipient_unit_id if kept else None))
            .order_by("display_order", "name")
        )
        self.fields["recipient_organization"].queryset = (
            Organization.objects.visible_to(user)
            .filter(
                Q(unit__in=current, is_active=True)
                | Q(pk=self.instance.recipient_organization_id if kept else None)
            )
            .select_related("unit")
            .order_by("name")
        )
        self.fields["recipient_model_site"].queryset = (
            ModelSite.objects.visible_to(user)
            .filter(
                Q(unit__in=current, status=ModelSite.Status.ACTIVE)
                | Q(pk=self.instance.recipient_model_site_id if kept else None)
            )
            .select_related("model", "unit")
            .order_by("pk")
        )
        self.fields["recipient_person"].queryset = (
            Person.objects.visible_to(user)
            .filter(Q(unit__in=current) | Q(pk=self.instance.recipient_person_id if kept else None))
            .select_related("unit")
            .order_by("full_name")
        )
        self.fields["festival_day"].queryset = FestivalDay.objects.visible_to(user).select_related(
            "unit"
        )
        for name in self.RECIPIENT_FIELDS.values():
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        chosen = self.RECIPIENT_FIELDS.get(data.get("recipient_type"))
        if chosen and not data.get(chosen):
            self.add_error(chosen, gettext("Choose the recipient."))
        for name in self.RECIPIENT_FIELDS.values():
            if name != chosen:
                data[name] = None
        self._check_recipient_existed(data, chosen)
        start, end = data.get("period_start_year"), data.get("period_end_year")
        if start and end and end < start:
            self.add_error("period_end_year", gettext("The period cannot end before it starts."))
        if (
            data.get("form") == AwardForm.COMMEMORATIVE_MEDAL
            and data.get("recipient_type") != RecipientType.PERSON
        ):
            self.add_error(
                "recipient_type", gettext("The commemorative medal is awarded to a person.")
            )
        person = data.get("recipient_person")
        if (
            data.get("form") == AwardForm.COMMEMORATIVE_MEDAL
            and person
            and Award.objects.filter(form=AwardForm.COMMEMORATIVE_MEDAL, recipient_person=person)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "recipient_person",
                forms.ValidationError(
                    gettext(
                        "%(person)s has already received the commemorative medal “Bảo vệ an "
                        "ninh Tổ quốc”; it is given only once."
                    ),
                    code="medal_once",
                    params={"person": person.full_name},
                ),
            )
        return data

    def _check_recipient_existed(self, data: dict, chosen: str | None) -> None:
        """A unit, organisation or site is awarded only on a date its unit existed."""
        recipient, day = data.get(chosen) if chosen else None, data.get("decision_date")
        if recipient is None or day is None or chosen == "recipient_person":
            return
        unit = recipient if chosen == "recipient_unit" else recipient.unit
        if not unit.is_valid_on(day):
            self.add_error(
                "decision_date",
                forms.ValidationError(
                    gettext("%(unit)s did not exist on the decision date."),
                    code="recipient_not_existing",
                    params={"unit": unit.name},
                ),
            )

    def validate_unique(self):
        # The medal rule is checked in clean() with a message on the person field; the
        # database constraint still backs it.
        pass


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "birth_year", "position", "unit", "note"]
        widgets = {"note": forms.Textarea({"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            AdministrativeUnit.objects.visible_to(user)
            .valid_on(timezone.localdate())
            .order_by("display_order", "name")
        )


class FestivalDayForm(forms.ModelForm):
    class Meta:
        model = FestivalDay
        fields = [
            "unit",
            "year",
            "held_on",
            "venue",
            "showcase_areas",
            "showcase_sites",
            "participants",
            "note",
        ]
        widgets = {
            "held_on": DATE_WIDGET,
            "note": forms.Textarea({"rows": 2}),
            "showcase_areas": forms.SelectMultiple({"size": 8}),
            "showcase_sites": forms.SelectMultiple({"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = AdministrativeUnit.objects.editable_by(user)
        # A new Ngày hội only for units that exist today; a recorded one keeps its unit.
        current = Q(pk__in=AdministrativeUnit.objects.valid_on(timezone.localdate()))
        if self.instance.pk:
            current |= Q(pk=self.instance.unit_id)
        self.fields["unit"].queryset = units.filter(current).order_by("display_order", "name")
        self.fields["showcase_areas"].queryset = (
            ResidentialArea.objects.visible_to(user)
            .select_related("unit")
            .order_by("unit__display_order", "name")
        )
        self.fields["showcase_sites"].queryset = (
            ModelSite.objects.visible_to(user)
            .select_related("model", "unit")
            .order_by("unit__display_order", "pk")
        )
        if not self.instance.pk and not self.is_bound:
            year = timezone.localdate().year
            self.initial.setdefault("year", year)
            self.initial.setdefault("held_on", datetime.date(year, 8, 19))

    def clean(self):
        data = super().clean()
        held_on, year, unit = data.get("held_on"), data.get("year"), data.get("unit")
        if held_on and year and held_on.year != year:
            self.add_error("held_on", gettext("The date must fall in the chosen year."))
        changed = not self.instance.pk or {"unit", "year"} & set(self.changed_data)
        if unit and year and changed and not is_open_for_work(unit, year):
            self.add_error("year", ended_message(unit))
        if unit:
            foreign = [
                a.name
                for a in data.get("showcase_areas") or []
                if a.unit_id != unit.pk and a.unit.parent_id != unit.pk
            ]
            if foreign:
                self.add_error(
                    "showcase_areas",
                    gettext("These residential areas are not in %(unit)s: %(areas)s.")
                    % {"unit": unit.name, "areas": ", ".join(foreign)},
                )
        return data


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ["organization", "year", "kind", "occurred_on", "description"]
        widgets = {"occurred_on": DATE_WIDGET, "description": forms.Textarea({"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.editable_by(user)
            .filter(unit__in=AdministrativeUnit.objects.valid_on(timezone.localdate()))
            .select_related("unit")
            .order_by("name")
        )
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)

    def clean(self):
        data = super().clean()
        occurred_on, year = data.get("occurred_on"), data.get("year")
        if occurred_on and year and occurred_on.year != year:
            self.add_error("occurred_on", gettext("The date must fall in the chosen year."))
        organization = data.get("organization")
        if organization and year and not is_open_for_work(organization.unit, year):
            self.add_error("year", ended_message(organization.unit))
        return data
