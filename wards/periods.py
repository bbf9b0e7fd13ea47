"""Which units may take new work in a year: today's units, for the years they existed.

A page that offers a year and a unit offers only the units valid in that year, and no page
invites new work (a dossier, a scoring sheet, a model site, a grade, an award) for a unit that
has ended. "Today" comes from the calendar in Asia/Ho_Chi_Minh (``timezone.localdate()``),
never from the data; tests freeze the clock.

A year's units are the units valid on its last day, or today for the current year: the
units that make that year's reports, dossiers and grades (a unit merged away on 30/11/2024
does not make 2024's; the wards formed on 1/7/2025 make 2025's, covering their predecessors).
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from wards.models import AdministrativeUnit, AdministrativeUnitQuerySet

FIRST_YEAR = 2012


def today() -> datetime.date:
    return timezone.localdate()


def reference_day(year: int, on: datetime.date | None = None) -> datetime.date:
    """The day a year's units are taken on: 31 December, or today for the current year."""
    on = on or today()
    return datetime.date(year, 12, 31) if year < on.year else on


def units_of_year(
    year: int, on: datetime.date | None = None, qs: AdministrativeUnitQuerySet | None = None
) -> AdministrativeUnitQuerySet:
    """Units valid in ``year`` (on its :func:`reference_day`), whether or not they still exist."""
    on = on or today()
    qs = AdministrativeUnit.objects.all() if qs is None else qs
    if year > on.year:
        return qs.none()
    return qs.valid_on(reference_day(year, on))


def open_units(
    year: int, on: datetime.date | None = None, qs: AdministrativeUnitQuerySet | None = None
) -> AdministrativeUnitQuerySet:
    """Units that may take new work for ``year``: valid in that year and still valid today."""
    on = on or today()
    return units_of_year(year, on, qs).valid_on(on)


def is_open_for_work(unit: AdministrativeUnit, year: int, on: datetime.date | None = None) -> bool:
    on = on or today()
    return year <= on.year and unit.is_valid_on(on) and unit.is_valid_on(reference_day(year, on))


def work_years(unit: AdministrativeUnit, on: datetime.date | None = None) -> list[int]:
    """Years, newest first, in which ``unit`` may take new work (empty once it has ended)."""
    on = on or today()
    return [y for y in range(on.year, FIRST_YEAR - 1, -1) if is_open_for_work(unit, y, on)]


def ended_message(unit: AdministrativeUnit, on: datetime.date | None = None) -> str:
    """Why ``unit`` takes no new work, naming its recorded successors when there are any."""
    from wards.selectors import successors_on

    on = on or today()
    if unit.valid_to is None or unit.valid_to >= on:
        return gettext("%(unit)s did not exist in that year.") % {"unit": unit.name}
    successors = [u.name for u in successors_on(unit, on) if u.pk != unit.pk]
    params = {"unit": unit.name, "day": date_format(unit.valid_to, "SHORT_DATE_FORMAT")}
    if successors:
        params["successors"] = ", ".join(successors)
        return (
            gettext("%(unit)s ended on %(day)s; new work is done by its successor: %(successors)s.")
            % params
        )
    return gettext("%(unit)s ended on %(day)s; no new work can be recorded for it.") % params
