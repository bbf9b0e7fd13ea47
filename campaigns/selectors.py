"""Read-side questions about reports: values, last year's figures, worklist, completeness.

Every function here runs a fixed number of queries whatever the number of units or indicators
(the worklist and the entry page pin that in their tests).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, F, Q

from campaigns import permissions
from campaigns.checks import Entry, Problem, report_problems
from campaigns.models import (
    AggregateBasis,
    Campaign,
    Indicator,
    ReportCount,
    ReportingPeriod,
    ReportNudge,
    ReportStatus,
    ReportTransition,
    ReportValue,
    ReviewRemark,
    TransitionAction,
    UnitReport,
    ValidationRule,
    ValueChange,
)
from wards.models import AdministrativeUnit
from wards.scoping import Ground, ground_of


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
    if permissions.acts_on_every_unit(user):
        return qs
    unit = user.unit
    if unit is None:
        return qs.none()
    if permissions.reports_for_own_unit(user):
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
        .select_related("campaign__city")
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


def closed_years(unit: AdministrativeUnit, day: datetime.date, years: list[int]) -> set[int]:
    """The years among ``years`` closed for ``unit`` on ``day`` (one query): its period in the
    campaign the unit reports to has closed, or the year precedes the first period and that one
    has closed. The calendar behind :mod:`wards.closure`."""
    rows = sorted(ReportingPeriod.objects.for_unit(unit).values_list("year", "closes_on"))
    if not rows:
        return set()
    first_year, first_closes = rows[0]
    closed = {year for year, closes_on in rows if closes_on < day}
    return {y for y in years if y in closed or (y < first_year and first_closes < day)}


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


class EntryContext:
    """What checking a unit's report of a period needs besides its values, loaded once per
    request and each part only when first read: the form's indicators, last year's approved
    figures and the active rules (one query each). The entry page builds it for its form and
    hands it to the services, which would otherwise load the same rows again."""

    def __init__(self, *, unit: AdministrativeUnit, period: ReportingPeriod):
        self.unit, self.period = unit, period

    def matches(self, unit: AdministrativeUnit, period: ReportingPeriod) -> bool:
        return self.unit.pk == unit.pk and self.period.pk == period.pk

    @cached_property
    def indicators(self) -> list[Indicator]:
        return indicators_for(self.unit, self.period.year)

    @cached_property
    def last_year(self) -> dict[int, Decimal]:
        return last_year_values(self.unit, self.period.year, self.indicators)

    @cached_property
    def rules(self) -> list[ValidationRule]:
        return active_rules()

    def problems(self, entries: dict[int, Entry]) -> list[Problem]:
        return report_problems(
            indicators=self.indicators, entries=entries, last_year=self.last_year, rules=self.rules
        )


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


def latest_remarks(report: UnitReport) -> dict[int, ReviewRemark]:
    """The remarks on single figures given with the report's latest return, by indicator id.

    Only while the report is returned (once resubmitted they are history). One query for any
    started report, whatever its status, so that a page costs the same in every status.
    """
    if not report.is_started:
        return {}
    latest_return = (
        ReportTransition.objects.filter(report=report, action=TransitionAction.RETURN)
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    return {
        r.indicator_id: r
        for r in ReviewRemark.objects.filter(
            report=report,
            report__status=ReportStatus.RETURNED,
            transition_id__in=latest_return,
        )
    }


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


def reports_in_period_q(*, year, due_on) -> Q:
    """The one rule of which units owe a report for a period, as a filter on units: those that
    exist on its due date (:func:`reports_in`). ``year`` and ``due_on`` are the period's values,
    or expressions reaching a period through a join (:func:`expected_reports`).
    """
    return Q(valid_from__lte=due_on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=due_on))


def owes_report(
    valid_from: datetime.date, valid_to: datetime.date | None, due_on: datetime.date
) -> bool:
    """:func:`reports_in_period_q` for one unit's dates, in Python (the two are tested
    against each other)."""
    return valid_from <= due_on and (valid_to is None or valid_to >= due_on)


def expected_units(period: ReportingPeriod, user=None) -> list[AdministrativeUnit]:
    """Units expected to report in ``period``: the organising unit's wards and communes that
    exist on the due date (a year is reported by the units of its due date), and a city
    organiser itself when city-level indicators apply that year.

    With ``user``, only the units they may see.
    """
    city = period.campaign.city
    units = AdministrativeUnit.objects.filter(
        reports_in_period_q(year=period.year, due_on=period.due_on)
    )
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


# --- completeness of an area's figures ------------------------------------------------------


@dataclass(frozen=True)
class YearReports:
    """How many reports of an area a year expects and how many count on each basis."""

    year: int
    expected: int = 0
    approved: int = 0
    submitted: int = 0  # submitted or approved: sent in and not sent back

    def counted(self, include_submitted: bool = False) -> int:
        return self.submitted if include_submitted else self.approved

    def is_complete(self, include_submitted: bool = False) -> bool:
        """Every expected report counts (a year that expects none has no figures: not complete)."""
        return self.expected > 0 and self.counted(include_submitted) >= self.expected


def expected_reports(
    *,
    area: AdministrativeUnit,
    years: Iterable[int],
    ground: Ground | None = None,
    kept_counts: bool = False,
) -> dict[int, YearReports]:
    """Expected reports of ``area`` in each of ``years``, with how many are approved or
    submitted: the area itself and every unit on its ground (what it covered, what it became
    after it ended: TP. Mỹ Tho → its five wards of 2025), like the dashboard's scope. Four
    queries whatever the number of units (five without ``ground``).

    A unit is expected in a year when a period of that year belongs to the campaign organised
    by its parent (a ward or commune) or by itself (a city, in years with city-level
    indicators) and
    :func:`reports_in_period_q` says it owes that period a report, as :func:`expected_units`.

    ``kept_counts``: read the approved and submitted reports from the area's kept
    :class:`ReportCount` rows instead of counting reports (when the area's aggregates give its
    figures: it exists and its ground lies within it).
    """
    years = sorted(set(years))
    if area.is_commune_level:
        units = AdministrativeUnit.objects.filter(pk=area.pk)
    else:
        ground = ground if ground is not None else ground_of(area)
        units = AdministrativeUnit.objects.filter(ground.unit_q() | Q(pk=area.pk))
    expected: dict[int, int] = dict.fromkeys(years, 0)
    # The wards and communes counted by parent and dates first (a few groups per campaign),
    # then matched with their campaign's periods by the same rule (owes_report): a country's
    # 10,000 communes × 10 periods would otherwise be joined row by row.
    groups = list(
        units.commune_level()
        .values_list("parent_id", "valid_from", "valid_to")
        .annotate(n=Count("pk"))
        .order_by()
    )
    periods: dict[int, list[tuple[int, datetime.date]]] = defaultdict(list)
    for city_id, year, due_on in ReportingPeriod.objects.filter(
        year__in=years, campaign__city_id__in={g[0] for g in groups}
    ).values_list("campaign__city_id", "year", "due_on"):
        periods[city_id].append((year, due_on))
    for parent_id, valid_from, valid_to, n in groups:
        for year, due_on in periods.get(parent_id, ()):
            if owes_report(valid_from, valid_to, due_on):
                expected[year] += n
    city_years = _city_report_years(years)
    own = "campaigns__periods__"
    for row in (
        units.filter(
            Q(kind=AdministrativeUnit.Kind.CITY)
            & Q(**{f"{own}year__in": sorted(city_years)})
            & reports_in_period_q(year=F(f"{own}year"), due_on=F(f"{own}due_on"))
        )
        .values(f"{own}year")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        expected[row[f"{own}year"]] += row["n"]
    approved: dict[int, int] = dict.fromkeys(years, 0)
    submitted: dict[int, int] = dict.fromkeys(years, 0)
    if kept_counts:
        # The "submitted" basis counts approved and submitted reports, as `submitted` here.
        for year, basis, city_level, n in ReportCount.objects.filter(
            area=area, year__in=years, reports__gt=0
        ).values_list("year", "basis", "city_level", "reports"):
            if city_level and year not in city_years:
                continue  # as below
            (submitted if basis == AggregateBasis.SUBMITTED else approved)[year] += n
    else:
        for year, status, kind, n in (
            UnitReport.objects.filter(
                Q(unit__parent_id=F("period__campaign__city_id"))
                | Q(unit_id=F("period__campaign__city_id")),
                unit__in=units.values("pk"),
                period__year__in=years,
                status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED],
            )
            .values_list("period__year", "status", "unit__kind")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            if kind not in AdministrativeUnit.COMMUNE_LEVEL_KINDS and year not in city_years:
                continue  # a city report in a year without city-level indicators is not expected
            submitted[year] += n
            if status == ReportStatus.APPROVED:
                approved[year] += n
    return {
        y: YearReports(year=y, expected=expected[y], approved=approved[y], submitted=submitted[y])
        for y in years
    }


def _city_report_years(years: list[int]) -> set[int]:
    """The years in which city-level indicators apply (a city then reports too): one query."""
    spans = Indicator.objects.reported_by(Indicator.Reporter.CITY).values_list(
        "valid_from_year", "valid_to_year"
    )
    return {y for start, end in spans for y in years if start <= y and (end is None or end >= y)}


def nudged_on(period: ReportingPeriod, day: datetime.date) -> set[int]:
    """Ids of the units an approver reminded on ``day`` (the progress page's buttons)."""
    return set(
        ReportNudge.objects.filter(period=period, sent_on=day).values_list("unit_id", flat=True)
    )
