"""The one "service error → form error" helper."""

from django import forms
from django.core.exceptions import ValidationError

from wards.form_errors import add_service_errors


class SiteForm(forms.Form):
    households = forms.IntegerField()


def test_a_field_the_form_shows_gets_its_message_beside_it():
    form = SiteForm({"households": "3"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"households": "Quá nhiều hộ."}))
    assert form.errors == {"households": ["Quá nhiều hộ."]}


def test_a_field_the_form_does_not_show_goes_above_the_form():
    form = SiteForm({"households": "3"})
    assert form.is_valid()
    add_service_errors(
        form, ValidationError({"retired_on": "Đã khóa sổ.", "households": "Quá nhiều hộ."})
    )
    assert form.non_field_errors() == ["Đã khóa sổ."]
    assert form.errors["households"] == ["Quá nhiều hộ."]


def test_a_message_without_a_field_goes_above_the_form():
    form = SiteForm({"households": "3"})
    assert form.is_valid()
    add_service_errors(form, ValidationError(["Năm 2020 đã khóa sổ.", "Hỏi cấp trên."]))
    assert form.non_field_errors() == ["Năm 2020 đã khóa sổ.", "Hỏi cấp trên."]
