import json

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from wards.geojson import parse_geometry
from wards.models import Organization, UnitBoundary, User
from wards.numbers import PlainNumbersFormMixin


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Organization.Kind.choices]
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), required=False, queryset=None, empty_label=_("All units")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("name")

    def filter(self, organizations):
        data = self.cleaned_data
        if data.get("q"):
            organizations = organizations.filter(name__icontains=data["q"])
        if data.get("kind"):
            organizations = organizations.filter(kind=data["kind"])
        if data.get("unit"):
            organizations = organizations.filter(unit=data["unit"])
        return organizations


class LoginForm(AuthenticationForm):
    """The login form, with a wrong-password message that also warns about the lockout."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Wrong user name or password (letters are case-sensitive). After %(limit)s failed "
            "attempts the account is locked for %(minutes)s minutes."
        ),
    }

    def get_invalid_login_error(self):
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={
                "limit": settings.AXES_FAILURE_LIMIT,
                "minutes": round(settings.AXES_COOLOFF_TIME * 60),
            },
        )


class YearReopenForm(PlainNumbersFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    until = forms.IntegerField(
        label=_("To year (optional)"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("To reopen several years at once, e.g. 2020 to 2024."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the audit; the unit sees it."),
    )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("year"), cleaned.get("until")
        if first is not None and last is not None:
            if last < first:
                self.add_error("until", _("The last year cannot be before the first."))
            elif last - first > 20:
                self.add_error("until", _("At most 20 years at once."))
        return cleaned

    def years(self) -> list[int]:
        first = self.cleaned_data["year"]
        last = self.cleaned_data.get("until") or first
        return list(range(first, last + 1))


class UnitBoundaryAdminForm(forms.ModelForm):
    """The admin's boundary form: upload a .geojson file, or paste or edit the geometry."""

    upload = forms.FileField(
        label=_("GeoJSON file"),
        required=False,
        help_text=_(
            "A .geojson or .json file with the unit's outline (a Polygon or MultiPolygon, or one "
            "Feature); it replaces the geometry below."
        ),
    )
    geometry = forms.CharField(
        label=_("boundary (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "vLargeTextField"}),
        help_text=_("Filled from the file when one is uploaded."),
    )

    class Meta:
        model = UnitBoundary
        fields = ["unit", "valid_from", "valid_to", "source", "is_illustrative", "geometry"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.geometry and not self.is_bound:
            self.initial["geometry"] = json.dumps(self.instance.geometry, ensure_ascii=False)

    MAX_UPLOAD = 5 * 1024 * 1024

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            if upload.size > self.MAX_UPLOAD:
                self.add_error("upload", _("The file is larger than 5 MB."))
                return data
            text = upload.read()
        else:
            text = data.get("geometry") or ""
        if not text.strip():
            self.add_error("geometry", _("Upload a GeoJSON file or paste the geometry."))
            return data
        try:
            data["geometry"] = parse_geometry(text)
        except forms.ValidationError as exc:
            self.add_error("upload" if upload is not None else "geometry", exc)
        return data


class ProfileForm(forms.ModelForm):
    """What a user changes about themselves: their address and how notifications reach them."""

    class Meta:
        model = User
        fields = ["email", "email_preference"]
        widgets = {"email_preference": forms.RadioSelect}
        help_texts = {
            "email": _("Notifications are e-mailed here; leave it empty to get none by e-mail."),
        }

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and cleaned.get("email_preference") in (
            User.EmailPreference.IMMEDIATE,
            User.EmailPreference.DAILY,
        ):
            self.add_error(
                "email",
                forms.ValidationError(
                    _("Give an e-mail address, or choose notifications in the app only."),
                    code="email_needed",
                ),
            )
        return cleaned
