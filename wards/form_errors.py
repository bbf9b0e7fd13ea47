"""A service's refusal shown on the form that asked for the change (one helper for every app)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseForm


def for_form(form: BaseForm, error: ValidationError) -> ValidationError:
    """``error`` with the messages of fields ``form`` does not show moved above the form."""
    if not hasattr(error, "error_dict"):
        return error
    shown: dict[str, list] = {}
    for field, errors in error.error_dict.items():
        shown.setdefault(field if field in form.fields else NON_FIELD_ERRORS, []).extend(errors)
    return ValidationError(shown)


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    form.add_error(None, for_form(form, error))
