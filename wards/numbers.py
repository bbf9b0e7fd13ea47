"""Numbers people type: ASCII digits only, plain decimals only.

Python is generous where a form should not be: ``"²".isdigit()`` is true yet ``int("²")``
fails, ``int("٣")`` is 3 and ``Decimal("1e3")`` is 1000. Every integer parameter and number
field of the project goes through here, so such input is refused with a message (a form error,
or a 400 for a parameter) instead of a 500 or a silently different number.
"""

import re

from django import forms
from django.core.exceptions import BadRequest, ValidationError

_ASCII_INT = re.compile(r"[+-]?[0-9]+")
# Digits, the separators Vietnamese and plain layouts use (".", ",", spaces), a leading sign.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9.,\s\u00a0\u202f]*[0-9][0-9.,\s\u00a0\u202f]*")


def parse_int(raw: object) -> int | None:
    """The integer ``raw`` spells in ASCII digits (an optional sign), else None."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if not isinstance(raw, str):
        return None
    raw = raw.strip()
    return int(raw) if _ASCII_INT.fullmatch(raw) else None


def int_param(raw: str | None, *, default: int | None = None) -> int | None:
    """A query or form parameter that must be an integer: ``default`` when absent or empty,
    a 400 (:class:`BadRequest`) when present but not ASCII digits."""
    if raw is None or raw.strip() == "":
        return default
    value = parse_int(raw)
    if value is None:
        raise BadRequest(f"not an integer: {raw[:20]!r}")
    return value


def is_plain_number(raw: str) -> bool:
    """ASCII digits with separators only: no exponent ("1e3"), no "NaN" or "Infinity", no
    superscript or other scripts' digits."""
    return bool(_PLAIN_NUMBER.fullmatch(raw.strip()))


class PlainNumberMixin:
    """For a form number field: refuse anything but a plain number before Python parses it."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not is_plain_number(value):
            # The field's own wording ("Enter a whole number.", "Enter the amount in digits…").
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


_STRICT_CLASSES: dict[type, type] = {}


def strict_field_class(cls: type[forms.Field]) -> type[forms.Field]:
    """``cls`` with :class:`PlainNumberMixin` in front (made once per class)."""
    if issubclass(cls, PlainNumberMixin):
        return cls
    if cls not in _STRICT_CLASSES:
        _STRICT_CLASSES[cls] = type(f"Plain{cls.__name__}", (PlainNumberMixin, cls), {})
    return _STRICT_CLASSES[cls]


class PlainNumbersFormMixin:
    """Put in front of a form class: its integer and decimal fields accept plain numbers only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
                field.__class__ = strict_field_class(type(field))


class PlainNumbersModelForm(PlainNumbersFormMixin, forms.ModelForm):
    """The admin's base form (``ModelAdmin.form``) with plain numbers only."""
