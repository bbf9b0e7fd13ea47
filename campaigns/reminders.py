"""Scheduled reminders (``manage.py send_reminders``): before and after a report's due date.

Each reporting period lists its reminder days (days before the due date; negative after it).
On a given day the officials of every unit whose report is not submitted get the latest
reminder whose date has come, once per (person, report, reminder day): the notification's
key makes a second run the same day, or the next day, send nothing new. A run missed for a
few days catches up with the latest reminder only, not with every one it missed. After the
due date, the approvers are told which of their units are overdue. Periods that are not open
on the day (entry closed) get no reminder.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from campaigns import selectors
from campaigns.models import ReportingPeriod, ReportStatus, UnitReport
from campaigns.notifications import due_phrase, report_approvers, unit_editors
from wards.models import Notification
from wards.notifications import notify, site_language


@dataclass
class ReminderResult:
    reminded: int = 0
    overdue_notices: int = 0
    opened_notices: int = 0

    def __str__(self) -> str:
        return (
            f"{self.reminded} reminders to officials, {self.overdue_notices} overdue notices "
            f"to approvers, {self.opened_notices} notices of an opened period"
        )


def _current_reminder(period: ReportingPeriod, day: datetime.date) -> int | None:
    """The reminder day (days before due) whose date is the latest one not after ``day``."""
    passed = [d for d, date in period.reminder_dates() if date <= day]
    return passed[-1] if passed else None


def _not_submitted(period: ReportingPeriod) -> list[tuple[object, UnitReport]]:
    """(unit, report or an unsaved draft) of every expected unit still to submit."""
    units = selectors.expected_units(period)
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.filter(period=period, unit__in=[u.pk for u in units])
    }
    waiting = []
    for unit in units:
        report = reports.get(unit.pk) or UnitReport(
            period=period, unit=unit, status=ReportStatus.DRAFT, version=0
        )
        report.period, report.unit = period, unit
        if report.status in UnitReport.EDITABLE_STATUSES:
            waiting.append((unit, report))
    return waiting


def _remind(period: ReportingPeriod, day: datetime.date, result: ReminderResult) -> None:
    offset = _current_reminder(period, day)
    if offset is None:
        return
    overdue_by_approver: dict[int, list] = defaultdict(list)
    approvers = {}
    for unit, report in _not_submitted(period):
        if report.status == ReportStatus.RETURNED:
            text = gettext(
                "The %(year)s report of %(unit)s was returned and is not submitted again "
                "(%(due)s, due %(date)s)."
            )
        else:
            text = gettext(
                "The %(year)s report of %(unit)s is not submitted (%(due)s, due %(date)s)."
            )
        text %= {
            "year": period.year,
            "unit": unit.name,
            "due": due_phrase(period.due_on, day),
            "date": period.due_on.strftime("%d/%m/%Y"),
        }
        created = notify(
            recipients=unit_editors(unit),
            kind=Notification.Kind.REMINDER,
            text=text,
            url=report.get_entry_url(),
            key=f"reminder:{period.pk}:{unit.pk}:{offset}",
        )
        result.reminded += len(created)
        if day > period.due_on and report.first_submitted_at is None:
            for approver in report_approvers(report):
                approvers[approver.pk] = approver
                overdue_by_approver[approver.pk].append(unit)
    for approver_id, units in overdue_by_approver.items():
        names = ", ".join(u.name for u in units)
        created = notify(
            recipients=[approvers[approver_id]],
            kind=Notification.Kind.OVERDUE,
            text=ngettext(
                "%(year)s reports: %(count)s unit is overdue (%(due)s): %(units)s.",
                "%(year)s reports: %(count)s units are overdue (%(due)s): %(units)s.",
                len(units),
            )
            % {
                "year": period.year,
                "count": len(units),
                "due": due_phrase(period.due_on, day),
                "units": names,
            },
            url=_completeness_url(period),
            key=f"overdue:{period.pk}:{offset}",
        )
        result.overdue_notices += len(created)


def _completeness_url(period: ReportingPeriod) -> str:
    return reverse("campaigns:completeness", args=[period.year])


def _first_reminder(period: ReportingPeriod) -> datetime.date:
    dates = [date for _days, date in period.reminder_dates()]
    return min([*dates, period.due_on + datetime.timedelta(days=1)])


def _announce_opening(period: ReportingPeriod, result: ReminderResult) -> None:
    """Tell the officials once that entry is open (only before the first reminder: from then
    on, the reminders say it better)."""
    for unit, report in _not_submitted(period):
        created = notify(
            recipients=unit_editors(unit),
            kind=Notification.Kind.PERIOD_OPENED,
            text=gettext("Entry of the %(year)s reports is open for %(unit)s: due %(date)s.")
            % {"year": period.year, "unit": unit.name, "date": period.due_on.strftime("%d/%m/%Y")},
            url=report.get_entry_url(),
            key=f"period-opened:{period.pk}:{unit.pk}",
        )
        result.opened_notices += len(created)


def send_reminders(*, day: datetime.date) -> ReminderResult:
    """Create the day's reminders and notices (one transaction per period)."""
    result = ReminderResult()
    periods = ReportingPeriod.objects.open_on(day).select_related("campaign", "campaign__city")
    with site_language():
        for period in periods.order_by("year", "pk"):
            with transaction.atomic():
                if day < _first_reminder(period):
                    _announce_opening(period, result)
                _remind(period, day, result)
    return result
