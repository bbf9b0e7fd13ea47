"""Numbers in and out: what people type (ASCII digits only, plain decimals only), and the one
way a figure is shown (:func:`format_number`, the ``num`` filter) or sent as JSON
(:func:`json_number`).

Python is generous where a form should not be: ``"²".isdigit()`` is true yet ``int("²")``
fails, ``int("٣")`` is 3 and ``Decimal("1e3")`` is 1000. Every integer parameter and number
field of the project goes through here, so such input is refused with a message (a form error,
or a 400 for a parameter) instead of a 500 or a silently different number.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.utils.formats import number_format

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


# Numbers shown and sent: the one display format and the one JSON number, rounded half-up.

_MOST_DECIMALS = 2  # what a reported value can hold (campaigns' VALUE_DECIMAL_PLACES)


def _as_decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value: object, decimals: int | str | None = None) -> str:
    """A figure as people read it: thousands grouped, a decimal comma in Vietnamese (1.816,
    70,5), rounded half up; "—" when there is none (``None`` or ``""``).

    ``decimals`` given: exactly that many decimals (a card's "70,0%"). Otherwise whole values
    show none and others at most two, trailing zeros dropped (12.00 → 12, 70.50 → 70,5), so a
    reported figure shows as it was entered. This is the ``num`` template filter everywhere.
    """
    if value is None or value == "":
        return "—"
    number = _as_decimal(value)
    if decimals not in (None, ""):
        places = int(decimals)
        return number_format(_round(number, places), decimal_pos=places, force_grouping=True)
    number = _round(number, _MOST_DECIMALS)
    if number == number.to_integral_value():
        return number_format(int(number), force_grouping=True)
    return number_format(number.normalize(), force_grouping=True)


def json_number(
    value: object, *, integer: bool | None = None, places: int | None = 2
) -> int | float | None:
    """A number for JSON or a spreadsheet cell: ``None`` stays ``None``; ``integer=True`` gives
    an int (a count), ``integer=False`` a float even when whole (a share), ``None`` an int when
    the value is whole and a float otherwise. Floats are rounded half up to ``places`` decimals
    (``None``: kept as they are)."""
    if value is None:
        return None
    number = _as_decimal(value)
    if integer or (integer is None and number == number.to_integral_value()):
        return int(_round(number, 0))
    return float(number if places is None else _round(number, places))
