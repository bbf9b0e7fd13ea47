"""Closed years: once a year's reporting period has closed, nothing dated in it changes.

The one place every app asks "may this unit's data of year Y still change?". Reports, model
sites and their grades, dossiers and their decisions, classification sheets and awards all call
:func:`ensure_years_open` from their service layer (and their admin forms), so no write path
forgets it.

The closing calendar belongs to the reports (``campaigns.ReportingPeriod.closes_on``), but this
app is the ground floor and imports no other app, and the registry may import only this one. So
the calendar is plugged in at start-up: ``campaigns`` registers a function answering "which of these
years had closed by ``day`` for ``unit``" (:func:`register_calendar`): a year whose reporting
period has closed, and every year before the first period once that one has closed. Without a
registered calendar nothing is closed.

An approver reopens a closed year for one unit with a reason (:class:`wards.models.YearReopening`,
the audit row, like a report reopening); while it is open, that unit's data of that year may
change again; closing it again is recorded on the same row.
"""

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

# (unit, day, years) -> the years among ``years`` whose reporting had closed by ``day``.
Calendar = Callable[[object, datetime.date, list[int]], set[int]]
_calendar: Calendar | None = None


def register_calendar(calendar: Calendar) -> None:
    """Plug in the closing calendar (done once by ``campaigns`` in ``AppConfig.ready``)."""
    global _calendar
    _calendar = calendar


def calendar_closed_years(
    unit, years: Iterable[int], *, today: datetime.date | None = None
) -> set[int]:
    """The years among ``years`` that the calendar closes for ``unit``, reopened or not."""
    wanted = sorted({int(y) for y in years if y is not None})
    if _calendar is None or unit is None or not wanted:
        return set()
    return set(_calendar(unit, today or timezone.localdate(), wanted))


def closed_years(unit, years: Iterable[int], *, today: datetime.date | None = None) -> list[int]:
    """The years among ``years`` that are closed for ``unit`` and not reopened for it, sorted."""
    from wards.models import YearReopening

    closed = calendar_closed_years(unit, years, today=today)
    if not closed:
        return []
    reopened = set(
        YearReopening.objects.open_for(unit).filter(year__in=closed).values_list("year", flat=True)
    )
    return sorted(closed - reopened)


def is_year_closed(unit, year: int, *, today: datetime.date | None = None) -> bool:
    return bool(closed_years(unit, [year], today=today))


class YearClosed(ValidationError):
    """A write touching a closed year; a ``ValidationError`` so forms show it like any other."""

    def __init__(self, *, unit, years: list[int], field: str | None = None):
        message = gettext(
            "%(years)s is closed for %(unit)s: the figures of a closed year no longer change. "
            "An approver can reopen the year for this unit, with a reason."
        ) % {"years": ", ".join(str(y) for y in years), "unit": getattr(unit, "name", unit)}
        error = ValidationError(message, code="year_closed")
        super().__init__({field: error} if field else error)
        self.unit = unit
        self.years = years


def ensure_years_open(
    unit, years: Iterable[int], *, field: str | None = None, today: datetime.date | None = None
) -> None:
    """Refuse (:class:`YearClosed`) a change to ``unit``'s data of any closed ``years``."""
    closed = closed_years(unit, years, today=today)
    if closed:
        raise YearClosed(unit=unit, years=closed, field=field)


def years_between(first: datetime.date | int | None, last: datetime.date | int | None) -> range:
    """The years from ``first`` to ``last`` (dates or years), both included; empty if unknown."""
    if first is None:
        return range(0)
    start = first if isinstance(first, int) else first.year
    end = last if isinstance(last, int) else (last or timezone.localdate()).year
    return range(start, max(start, end) + 1)


Touched = dict[object, set[int]]


def touch(touched: Touched, unit, years: Iterable[int]) -> Touched:
    """Add ``years`` of ``unit`` to a change's footprint (a unit → years mapping)."""
    if unit is not None:
        touched.setdefault(unit, set()).update(years)
    return touched


def ensure_footprint_open(
    touched: Touched, *, field: str | None = None, today: datetime.date | None = None
) -> None:
    """Refuse a change whose footprint (unit → years it alters) reaches a closed year."""
    for unit, years in touched.items():
        ensure_years_open(unit, years, field=field, today=today)


def changed_fields(old, new, fields: Iterable[str]) -> set[str]:
    """Names of ``fields`` whose value differs between two versions of a row."""
    return {f for f in fields if getattr(old, f) != getattr(new, f)}
