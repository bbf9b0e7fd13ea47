"""Read-side questions about reports: values, last year's figures, worklist, completeness.

Every function here runs a fixed number of queries whatever the number of units or indicators
(the worklist and the entry page pin that in their tests).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from campaigns.checks import Entry, Problem, report_problems
from campaigns.models import (
    Campaign,
    Indicator,
    ReportingPeriod,
    ReportStatus,
    ReportTransition,
    ReportValue,
    UnitReport,
    ValidationRule,
    ValueChange,
)
from wards.models import AdministrativeUnit


def approved_values(
    *, unit_ids: Iterable[int], indicator_ids: Iterable[int], year: int
) -> dict[tuple[int, int], Decimal]:
    """Approved figures of ``year``, keyed by (unit id, indicator id); blanks are left out.

    Only reports in status "approved" count: a draft, submitted or returned report is not an
    official figure yet. One query.
    """
    rows = ReportValue.objects.filter(
        report__period__year=year,
        report__status=ReportStatus.APPROVED,
        report__unit_id__in=list(unit_ids),
        indicator_id__in=list(indicator_ids),
        value__isnull=False,
    ).values_list("report__unit_id", "indicator_id", "value")
    return {(unit_id, indicator_id): value for unit_id, indicator_id, value in rows}


# --- campaigns and periods ------------------------------------------------------------------


def campaigns_for(user) -> "Iterable[Campaign]":
    """Campaigns whose reports ``user`` works with: an official's unit's; for approvers and
    leaders every campaign organised by, or over, a unit of their ground (the province's
    approver sees TP. Mỹ Tho's campaign of 2015–2024 and Đồng Tháp's from 2025); all for an
    administrator."""
    qs = Campaign.objects.select_related("city")
    if user.is_admin_role:
        return qs
    unit = user.unit
    if unit is None:
        return qs.none()
    if user.role == user.Role.OFFICIAL:
        return qs.filter(Q(city_id=unit.pk) | Q(city_id=unit.parent_id))
    visible = AdministrativeUnit.objects.visible_to(user)
    return qs.filter(
        Q(city__in=visible.values("pk")) | Q(city__in=visible.values("parent_id"))
    ).distinct()


def periods_for(user) -> list[ReportingPeriod]:
    """Every period of ``user``'s campaigns, newest first (the year selectors)."""
    campaign_ids = [c.pk for c in campaigns_for(user)]
    return list(
        ReportingPeriod.objects.filter(campaign_id__in=campaign_ids)
        .select_related("campaign")
        .order_by("-year", "campaign__name")
    )


def default_period(periods: list[ReportingPeriod], day: datetime.date) -> ReportingPeriod | None:
    """The period open on ``day`` (the newest, if several), else the newest period."""
    open_periods = [p for p in periods if p.is_open_on(day)]
    if open_periods:
        return max(open_periods, key=lambda p: p.year)
    return max(periods, key=lambda p: p.year, default=None)


def period_for_unit(unit: AdministrativeUnit, year: int) -> ReportingPeriod | None:
    """The period of ``year`` in the campaign that ``unit`` reports to (its city's).

    None when the unit did not exist at any time that year. Whether it is expected to report
    in it (it exists on the due date) is :func:`reports_in`.
    """
    existed = unit.valid_from.year <= year and (unit.valid_to is None or unit.valid_to.year >= year)
    if not existed:
        return None
    return (
        ReportingPeriod.objects.for_unit(unit)
        .filter(year=year)
        .select_related("campaign", "campaign__city")
        .first()
    )


def reports_in(unit: AdministrativeUnit, period: ReportingPeriod) -> bool:
    """A yearly report is made by the units that exist on its due date, for the whole year:
    a unit that ended before (Phường 3 in 2024, every unit of TP. Mỹ Tho in 2025) reports
    nothing new for that year; its successor covers it."""
    return unit.is_valid_on(period.due_on)


def open_periods_for_unit(unit: AdministrativeUnit, day: datetime.date) -> list[ReportingPeriod]:
    """Open periods the unit reports in (none for a unit that has ended)."""
    periods = (
        ReportingPeriod.objects.for_unit(unit)
        .open_on(day)
        .select_related("campaign")
        .order_by("-year")
    )
    return [p for p in periods if reports_in(unit, p)]


# --- one report --------------------------------------------------------------------------


def indicators_for(unit: AdministrativeUnit, year: int) -> list[Indicator]:
    """The indicators on ``unit``'s form for ``year``, in section and display order."""
    reporter = (
        Indicator.Reporter.CITY
        if unit.kind == AdministrativeUnit.Kind.CITY
        else Indicator.Reporter.COMMUNE_LEVEL
    )
    return list(
        Indicator.objects.valid_in(year)
        .reported_by(reporter)
        .select_related("section")
        .order_by("section__order", "section__code", "order", "code")
    )


def report_or_blank(period: ReportingPeriod, unit: AdministrativeUnit) -> UnitReport:
    """The unit's report of the period, or an unsaved draft (version 0) if not started."""
    report = (
        UnitReport.objects.filter(period=period, unit=unit)
        .select_related("submitted_by", "approved_by")
        .first()
    )
    if report is None:
        report = UnitReport(period=period, unit=unit, status=ReportStatus.DRAFT, version=0)
    report.period, report.unit = period, unit  # already loaded: no query later
    return report


def entries_of(report: UnitReport) -> dict[int, Entry]:
    """The report's stored values and comments by indicator id (one query, none if unsaved)."""
    if not report.is_started:
        return {}
    return {
        indicator_id: Entry(value, comment)
        for indicator_id, value, comment in ReportValue.objects.filter(report=report).values_list(
            "indicator_id", "value", "comment"
        )
    }


def last_year_values(
    unit: AdministrativeUnit, year: int, indicators: Iterable[Indicator]
) -> dict[int, Decimal]:
    """Last year's approved figures of ``unit`` by indicator id."""
    values = approved_values(
        unit_ids=[unit.pk], indicator_ids=[i.pk for i in indicators], year=year - 1
    )
    return {indicator_id: value for (_unit_id, indicator_id), value in values.items()}


def active_rules() -> list[ValidationRule]:
    return list(ValidationRule.objects.active())


def problems_of(report: UnitReport, indicators: list[Indicator] | None = None) -> list[Problem]:
    """The problems of the report's stored values (a few queries)."""
    if indicators is None:
        indicators = indicators_for(report.unit, report.period.year)
    return report_problems(
        indicators=indicators,
        entries=entries_of(report),
        last_year=last_year_values(report.unit, report.period.year, indicators),
        rules=active_rules(),
    )


@dataclass
class HistoryItem:
    """One line of a report's history: a status change, or the values changed by one save."""

    at: datetime.datetime
    actor: object
    transition: ReportTransition | None = None
    changes: list[ValueChange] = field(default_factory=list)

    @property
    def source(self) -> str:
        return self.changes[0].get_source_display() if self.changes else ""


def report_history(report: UnitReport) -> list[HistoryItem]:
    """Transitions and value changes, oldest first; the changes of one save are grouped."""
    if not report.is_started:
        return []
    items: list[HistoryItem] = [
        HistoryItem(at=t.created_at, actor=t.actor, transition=t)
        for t in report.transitions.select_related("actor").order_by("created_at", "pk")
    ]
    saves: dict[int, HistoryItem] = {}
    changes = report.value_changes.select_related("indicator", "changed_by").order_by(
        "version", "indicator__section__order", "indicator__order"
    )
    for change in changes:
        item = saves.get(change.version)
        if item is None:
            item = saves[change.version] = HistoryItem(
                at=change.created_at, actor=change.changed_by
            )
        item.changes.append(change)
    items.extend(saves.values())
    items.sort(key=lambda item: (item.at, 0 if item.changes else 1))
    return items


@dataclass(frozen=True)
class Conflict:
    """An indicator someone else changed after the version a form started from."""

    indicator: Indicator
    their_value: Decimal | None
    their_comment: str
    your_value: Decimal | None
    your_comment: str
    changed_by: object
    changed_at: datetime.datetime

    @property
    def differs(self) -> bool:
        return self.their_value != self.your_value or self.their_comment != self.your_comment


def changes_since(report: UnitReport, version: int) -> dict[int, ValueChange]:
    """The latest change of each indicator after ``version``, by indicator id."""
    latest: dict[int, ValueChange] = {}
    for change in (
        ValueChange.objects.filter(report=report, version__gt=version)
        .select_related("indicator", "changed_by")
        .order_by("version", "pk")
    ):
        latest[change.indicator_id] = change
    return latest


# --- many reports: worklist and completeness ---------------------------------------------


def expected_units(period: ReportingPeriod, user=None) -> list[AdministrativeUnit]:
    """Units expected to report in ``period``: the organising unit's wards and communes that
    exist on the due date (a year is reported by the units of its due date), and a city
    organiser itself when city-level indicators apply that year.

    With ``user``, only the units they may see.
    """
    city = period.campaign.city
    units = AdministrativeUnit.objects.valid_on(period.due_on)
    if user is not None:
        units = units.visible_to(user)
    own = Q(pk=city.pk) if city.kind == AdministrativeUnit.Kind.CITY else Q(pk__in=[])
    units = units.filter(
        own | Q(parent_id=city.pk, kind__in=AdministrativeUnit.COMMUNE_LEVEL_KINDS)
    ).select_related("parent", "parent__parent", "parent__parent__parent")
    units = list(units.order_by("display_order", "name"))
    city_reports = city.kind == AdministrativeUnit.Kind.CITY and (
        Indicator.objects.valid_in(period.year).reported_by(Indicator.Reporter.CITY).exists()
    )
    if not city_reports:
        units = [u for u in units if u.pk != city.pk]
    else:
        # The city's own report comes last, after its wards and communes.
        units.sort(key=lambda u: u.pk == city.pk)
    return units


@dataclass
class ReportRow:
    """One unit of a period: its report (None if not started) and what a reviewer should see."""

    unit: AdministrativeUnit
    report: UnitReport | None
    problems: list[Problem]
    due_on: datetime.date
    today: datetime.date
    # Whether the user looking at the row decides its pending approval step (the worklist).
    can_decide: bool = True

    @property
    def status(self) -> str:
        return self.report.status if self.report else ""

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.blocks]

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocks]

    @property
    def is_clean(self) -> bool:
        """Submitted with nothing to look at: can be approved with others at once."""
        return self.status == ReportStatus.SUBMITTED and not self.problems and self.can_decide

    @property
    def timeliness(self) -> str:
        """ "on_time" / "late" once submitted; "overdue" or "pending" before."""
        if self.report and self.report.first_submitted_at:
            return "on_time" if self.report.submitted_on_time() else "late"
        return "overdue" if self.today > self.due_on else "pending"


def period_rows(
    period: ReportingPeriod, user, today: datetime.date, *, with_problems: bool = True
) -> list[ReportRow]:
    """A row per expected unit visible to ``user``, in a fixed number of queries."""
    units = expected_units(period, user)
    reports = {
        r.unit_id: r
        for r in UnitReport.objects.filter(period=period, unit__in=units).select_related(
            "submitted_by", "approved_by"
        )
    }
    problems: dict[int, list[Problem]] = defaultdict(list)
    if with_problems and reports:
        problems = _problems_by_unit(period, units, reports)
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        if report is not None:
            report.unit, report.period = unit, period
        rows.append(
            ReportRow(
                unit=unit,
                report=report,
                problems=problems.get(unit.pk, []),
                due_on=period.due_on,
                today=today,
            )
        )
    return rows


def _problems_by_unit(
    period: ReportingPeriod, units: list[AdministrativeUnit], reports: dict[int, UnitReport]
) -> dict[int, list[Problem]]:
    indicators = list(Indicator.objects.valid_in(period.year).select_related("section"))
    entries: dict[int, dict[int, Entry]] = defaultdict(dict)
    for unit_id, indicator_id, value, comment in ReportValue.objects.filter(
        report__in=list(reports.values())
    ).values_list("report__unit_id", "indicator_id", "value", "comment"):
        entries[unit_id][indicator_id] = Entry(value, comment)
    last = approved_values(
        unit_ids=[u.pk for u in units],
        indicator_ids=[i.pk for i in indicators],
        year=period.year - 1,
    )
    last_by_unit: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for (unit_id, indicator_id), value in last.items():
        last_by_unit[unit_id][indicator_id] = value
    rules = active_rules()
    result = {}
    for unit in units:
        if unit.pk not in reports:
            continue
        mine = [i for i in indicators if i.is_reported_by(unit)]
        result[unit.pk] = report_problems(
            indicators=mine, entries=entries[unit.pk], last_year=last_by_unit[unit.pk], rules=rules
        )
    return result


@dataclass
class Completeness:
    """Counts of one period for approvers and leaders."""

    rows: list[ReportRow]

    @property
    def expected(self) -> int:
        return len(self.rows)

    def _count(self, *statuses: str) -> int:
        return sum(1 for r in self.rows if r.status in statuses)

    @property
    def not_started(self) -> int:
        return sum(1 for r in self.rows if r.report is None)

    @property
    def draft(self) -> int:
        return self._count(ReportStatus.DRAFT)

    @property
    def returned(self) -> int:
        return self._count(ReportStatus.RETURNED)

    @property
    def submitted(self) -> int:
        """Submitted and not sent back: waiting for review or already approved."""
        return self._count(ReportStatus.SUBMITTED, ReportStatus.APPROVED)

    @property
    def waiting(self) -> int:
        return self._count(ReportStatus.SUBMITTED)

    @property
    def approved(self) -> int:
        return self._count(ReportStatus.APPROVED)

    @property
    def on_time(self) -> int:
        return sum(1 for r in self.rows if r.timeliness == "on_time")

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r.timeliness == "late")

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.rows if r.timeliness == "overdue")

    @property
    def approved_percent(self) -> float:
        return 100 * self.approved / self.expected if self.expected else 0.0


def completeness(period: ReportingPeriod, user, today: datetime.date) -> Completeness:
    return Completeness(rows=period_rows(period, user, today, with_problems=False))


def status_counts(period: ReportingPeriod, user) -> dict[str, int]:
    """Reports of the period visible to ``user`` counted by status (the home page)."""
    counts = dict.fromkeys(ReportStatus.values, 0)
    for status in (
        UnitReport.objects.visible_to(user).filter(period=period).values_list("status", flat=True)
    ):
        counts[status] += 1
    return counts
