"""The period and scope the dashboard, the period review and the API are asked for."""

import datetime

from django import forms
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.dashboard.permissions import can_see_figures_of
from campaigns.dashboard.selectors import Query, scope_of
from campaigns.models import Campaign, ReportStatus, UnitReport
from wards import figures
from wards.models import AdministrativeUnit
from wards.numbers import PlainNumbersFormMixin

MIN_YEAR, MAX_YEAR, MAX_SPAN = 2000, 2100, 30
# Without years in the request: the present — from the latest closed year with approved
# reports to the current year in progress (2025–2026 in December 2026).


def latest_approved_year(unit: AdministrativeUnit | None = None) -> int:
    """The latest closed reporting year with approved reports in ``unit``'s scope (its ground
    over time: TP. Mỹ Tho's five wards of 2025 too), the whole database without one, else last
    year (one query).

    A year still open for data entry is partial, so it is not the default. With a unit, the
    reports are found through the scope's units (indexes), so the answer and its cost do not
    depend on how much data the rest of the country holds.
    """
    today = timezone.localdate()
    reports = UnitReport.objects.filter(status=ReportStatus.APPROVED, period__closes_on__lt=today)
    if unit is not None:
        reports = reports.filter(unit__in=scope_of(unit, today).reporting_pks)
    latest = reports.aggregate(year=Max("period__year"))["year"]
    return latest or today.year - 1


def default_unit(user) -> AdministrativeUnit | None:
    """An official's own unit; a city role's city; an administrator: the first campaign's city."""
    if user.unit_id:
        return user.unit
    campaign = Campaign.objects.select_related("city").order_by("start_year", "pk").first()
    return campaign.city if campaign else None


def _unit_by_slug(slug: str) -> AdministrativeUnit | None:
    """The unit with its parents, so that the scope check needs no query; from the figures
    cache when the request has read the version (any change of a unit bumps it)."""

    def load() -> AdministrativeUnit | None:
        return (
            AdministrativeUnit.objects.select_related("parent__parent__parent")
            .filter(slug=slug)
            .first()
        )

    version = figures.version_read()
    return load() if version is None else figures.cached("unit", (slug,), load, version=version)


class PeriodForm(PlainNumbersFormMixin, forms.Form):
    """``from``/``to`` years, ``unit`` slug, ``as_of`` date, ``submitted`` switch.

    An unknown unit is a bad parameter (400); a unit outside the user's scope is refused by the
    views (403), never answered.
    """

    year_from = forms.IntegerField(
        label=_("From year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": _("The first year must be a whole number, e.g. 2015.")},
    )
    year_to = forms.IntegerField(
        label=_("To year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": _("The last year must be a whole number, e.g. 2020.")},
    )
    unit = forms.SlugField(label=_("Unit"), required=False)
    as_of = forms.DateField(
        label=_("Units as of"),
        required=False,
        help_text=_(
            "Which units exist; units merged before this date are shown as their successors."
        ),
        error_messages={"invalid": _("Enter the date as dd/mm/yyyy or yyyy-mm-dd.")},
    )
    include_submitted = forms.BooleanField(label=_("Include submitted reports"), required=False)

    # Query-string names (the API documents them as from/to/unit/as_of/submitted).
    FIELD_FOR_PARAM = {
        "from": "year_from",
        "to": "year_to",
        "unit": "unit",
        "as_of": "as_of",
        "submitted": "include_submitted",
    }

    def __init__(self, params, *, user, **kwargs):
        data = {field: params.get(param) for param, field in self.FIELD_FOR_PARAM.items()}
        data = {k: v for k, v in data.items() if v not in (None, "")}
        if "include_submitted" in data:
            data["include_submitted"] = str(data["include_submitted"]).lower() in {
                "1",
                "true",
                "on",
                "yes",
            }
        if "year_to" not in data:
            data["year_to"] = timezone.localdate().year
            # From the user's own scope, not from the whole database.
            latest = latest_approved_year(default_unit(user))
            data.setdefault("year_from", min(latest, data["year_to"]))
        data.setdefault("year_from", data["year_to"])
        super().__init__(data, **kwargs)
        self.user = user
        self.forbidden = False

    def clean_unit(self) -> AdministrativeUnit | None:
        slug = self.cleaned_data.get("unit")
        if not slug:
            unit = default_unit(self.user)
            if unit is None:
                raise forms.ValidationError(gettext("Choose a unit."), code="required")
            return unit
        unit = _unit_by_slug(slug)
        if unit is None:
            raise forms.ValidationError(
                gettext("Unknown unit “%(slug)s”.") % {"slug": slug}, code="unknown_unit"
            )
        if not can_see_figures_of(self.user, unit):
            self.forbidden = True
            raise forms.ValidationError(
                gettext("You may not see the figures of %(unit)s.") % {"unit": unit.name},
                code="forbidden",
            )
        return unit

    def clean(self):
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from is not None and year_to is not None:
            if year_from > year_to:
                raise forms.ValidationError(
                    gettext("The first year (%(a)s) is after the last year (%(b)s).")
                    % {"a": year_from, "b": year_to},
                    code="years_reversed",
                )
            if year_to - year_from + 1 > MAX_SPAN:
                raise forms.ValidationError(
                    gettext("A period can cover at most %(n)s years.") % {"n": MAX_SPAN},
                    code="span_too_long",
                )
        return data

    def query(self) -> Query:
        data = self.cleaned_data
        # By default the units as they stand at the end of the last year, or today while
        # that year is still running.
        as_of = data.get("as_of") or min(
            datetime.date(data["year_to"], 12, 31), timezone.localdate()
        )
        return Query(
            unit=data["unit"],
            year_from=data["year_from"],
            year_to=data["year_to"],
            as_of=as_of,
            include_submitted=bool(data.get("include_submitted")),
        )

    def errors_as_text(self) -> dict[str, list[str]]:
        names = {field: param for param, field in self.FIELD_FOR_PARAM.items()}
        return {names.get(k, k): [str(m) for m in v] for k, v in self.errors.items()}


# The review's ``format`` parameter: the page itself, or one of its files.
REVIEW_FORMATS = ("", "xlsx", "csv", "pdf")


class ReviewForm(PeriodForm):
    """The period form of the review, with its ``format`` (the page, or a file)."""

    FIELD_FOR_PARAM = {**PeriodForm.FIELD_FOR_PARAM, "format": "export_format"}

    export_format = forms.CharField(required=False)

    def clean_export_format(self) -> str:
        value = self.cleaned_data["export_format"]
        if value not in REVIEW_FORMATS:
            raise forms.ValidationError(
                gettext("Unknown format “%(format)s”: choose one of %(formats)s.")
                % {"format": value, "formats": ", ".join(f for f in REVIEW_FORMATS if f)},
                code="unknown_format",
            )
        return value
