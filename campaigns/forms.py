"""Forms of the yearly report: the data-entry form built from the catalogue, review actions,
and the file upload of the import."""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.checks import Entry, Problem, change_percent, needs_explanation, report_problems
from campaigns.models import Indicator, IndicatorSection, UnitReport, ValidationRule
from wards.numbers import PlainNumberMixin, PlainNumbersFormMixin

COMMENT_MAX_LENGTH = 1000
# Uploads larger than this are refused before being read (settings can raise it).
IMPORT_MAX_BYTES = getattr(settings, "CAMPAIGNS_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_EXTENSIONS = (".xlsx", ".csv")


class IndicatorValueField(PlainNumberMixin, forms.DecimalField):
    """A figure typed the Vietnamese way ("1.816", "70,5") or plainly ("70.5"), checked
    against its indicator (whole number, minimum, maximum, size) with messages in Vietnamese.
    Blank is allowed here: "not reported" is a value of its own."""

    default_error_messages = {
        "invalid": _("Enter a number, for example 12 or 70,5."),
    }

    def __init__(self, *, indicator: Indicator, **kwargs):
        self.indicator = indicator
        inputmode = "numeric" if indicator.is_whole_number else "decimal"
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "inputmode": inputmode,
                    "autocomplete": "off",
                    "class": "form-control text-end",
                    "data-value-input": "",
                }
            ),
        )
        super().__init__(required=False, localize=True, label=indicator.name, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            # Spaces (also non-breaking) people type or paste as thousands separators.
            value = "".join(value.split()).replace("\u00a0", "")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        self.indicator.clean_value(value)


def display_number(value: Decimal | None) -> Decimal | int | None:
    """70.50 → 70.5, 12.00 → 12: what a person expects to see in a field or a table."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


@dataclass
class EntryRow:
    """One indicator on the data-entry page."""

    indicator: Indicator
    value: forms.BoundField
    comment: forms.BoundField
    last_year: Decimal | None
    change: Decimal | None
    needs_comment: bool


@dataclass
class EntrySection:
    section: IndicatorSection
    rows: list[EntryRow]

    @property
    def has_errors(self) -> bool:
        return any(row.value.errors or row.comment.errors for row in self.rows)


class ReportValuesForm(PlainNumbersFormMixin, forms.Form):
    """Every indicator of a unit's report for a year: a value and a comment each.

    ``action`` "save" checks types and ranges only; "submit" also checks what submission
    needs (required figures, blocking rules, explanations of big changes) and puts each
    problem next to its field. Warnings are kept in ``warnings`` for the page to show.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        data=None,
        *,
        report: UnitReport,
        indicators: list[Indicator],
        entries: dict[int, Entry],
        last_year: dict[int, Decimal],
        rules: list[ValidationRule],
        action: str = "save",
    ):
        initial = {"version": report.version}
        for indicator in indicators:
            entry = entries.get(indicator.pk)
            if entry is not None:
                initial[self.value_name(indicator)] = display_number(entry.value)
                initial[self.comment_name(indicator)] = entry.comment
        super().__init__(data, initial=initial)
        self.report = report
        self.indicators = indicators
        self.last_year = last_year
        self.rules = rules
        self.action = action
        self.warnings: list[Problem] = []
        self.blocking: list[Problem] = []
        for indicator in indicators:
            self.fields[self.value_name(indicator)] = IndicatorValueField(indicator=indicator)
            self.fields[self.comment_name(indicator)] = forms.CharField(
                label=gettext("Comment on %(name)s") % {"name": indicator.name},
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    @staticmethod
    def value_name(indicator: Indicator) -> str:
        return f"v_{indicator.code}"

    @staticmethod
    def comment_name(indicator: Indicator) -> str:
        return f"c_{indicator.code}"

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        problems = report_problems(
            indicators=self.indicators,
            entries=self.entries(),
            last_year=self.last_year,
            rules=self.rules,
        )
        self.warnings = [p for p in problems if not p.blocks]
        if self.action == "submit":
            self.blocking = [p for p in problems if p.blocks]
            by_id = {i.pk: i for i in self.indicators}
            for problem in self.blocking:
                indicator = by_id[problem.indicator_id]
                name = (
                    self.value_name(indicator)
                    if problem.field == "value"
                    else self.comment_name(indicator)
                )
                self.add_error(name, ValidationError(problem.message, code=problem.kind))
        return cleaned

    def entries(self) -> dict[int, Entry]:
        """The cleaned values and comments by indicator id."""
        data = self.cleaned_data
        return {
            indicator.pk: Entry(
                data.get(self.value_name(indicator)), data.get(self.comment_name(indicator)) or ""
            )
            for indicator in self.indicators
        }

    def sections(self) -> list[EntrySection]:
        """Rows grouped by section, each with last year's value and the change in %."""
        sections: list[EntrySection] = []
        for indicator in self.indicators:
            if not sections or sections[-1].section.pk != indicator.section_id:
                sections.append(EntrySection(section=indicator.section, rows=[]))
            value_field = self[self.value_name(indicator)]
            comment_field = self[self.comment_name(indicator)]
            current = self._current_value(indicator)
            last = self.last_year.get(indicator.pk)
            needs_comment = needs_explanation(indicator, current, last)
            self._decorate(value_field, comment_field, last, needs_comment)
            sections[-1].rows.append(
                EntryRow(
                    indicator=indicator,
                    value=value_field,
                    comment=comment_field,
                    last_year=display_number(last),
                    change=change_percent(current, last),
                    needs_comment=needs_comment,
                )
            )
        return sections

    @staticmethod
    def _decorate(value_field, comment_field, last, needs_comment: bool) -> None:
        """Bootstrap's error class and the accessibility links the inputs need."""
        value_attrs = value_field.field.widget.attrs
        described = [f"{value_field.auto_id}_help"]
        if value_field.errors and "is-invalid" not in value_attrs["class"]:
            value_attrs["class"] += " is-invalid"
            value_attrs["aria-invalid"] = "true"
            described.append(f"{value_field.auto_id}_error")
        value_attrs["aria-describedby"] = " ".join(described)
        value_attrs["data-last"] = "" if last is None else str(last)
        comment_attrs = comment_field.field.widget.attrs
        comment_attrs["placeholder"] = (
            gettext("Explain the change") if needs_comment else gettext("Comment (optional)")
        )
        if comment_field.errors and "is-invalid" not in comment_attrs["class"]:
            comment_attrs["class"] += " is-invalid"
            comment_attrs["aria-invalid"] = "true"
            comment_attrs["aria-describedby"] = f"{comment_field.auto_id}_error"

    def _current_value(self, indicator: Indicator) -> Decimal | None:
        name = self.value_name(indicator)
        if hasattr(self, "cleaned_data") and name in self.cleaned_data:
            return self.cleaned_data[name]
        if self.is_bound:
            return None
        value = self.initial.get(name)
        return Decimal(value) if value is not None else None

    def blocking_summary(self) -> list[tuple[Indicator, str]]:
        by_id = {i.pk: i for i in self.indicators}
        return [(by_id[p.indicator_id], p.message) for p in self.blocking]

    def warning_summary(self) -> list[tuple[Indicator, str]]:
        by_id = {i.pk: i for i in self.indicators}
        return [(by_id[p.indicator_id], p.message) for p in self.warnings]


class VersionForm(PlainNumbersFormMixin, forms.Form):
    """The report version the page showed, so that an action never applies to unseen data."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason: the unit will see it.")},
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in file (.xlsx or .csv)"),
        help_text=_("Use the template downloaded from this page. At most %(size)s."),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "size": filesizeformat(IMPORT_MAX_BYTES)
        }
        self.fields["file"].widget.attrs["accept"] = ",".join(IMPORT_EXTENSIONS)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise ValidationError(
                gettext(
                    "Upload an Excel workbook (.xlsx) or a CSV file. Old .xls files: open them "
                    "in Excel and save as .xlsx."
                ),
                code="extension",
            )
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(
                gettext("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(IMPORT_MAX_BYTES)},
                code="too_large",
            )
        if upload.size == 0:
            raise ValidationError(gettext("The file is empty."), code="empty")
        return upload
