from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from wards.models import Organization, User


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
