"""The numbers of the dashboard, the period review and the API: one place, one set of rules.

* Scope: a unit (the city, a district, a province or one ward/commune) and an "as of" date. The
  *members* are the wards and communes of the scope as they stood on that date; units that no
  longer existed are rolled into their successors (:class:`wards.selectors.Succession`).
* A year's value across units follows the indicator's ``aggregation`` (sum, average, maximum;
  "latest" adds units up); a period folds the years by ``period_aggregation`` (flows such as
  offenders add up, stocks such as teams take the last year). Certification and model counts
  are as of the last year.
* Basis: approved reports only, unless ``include_submitted`` (then submitted reports count too).
* Reads the kept aggregates (:mod:`campaigns.aggregates`) when the scope is an area that
  still exists; otherwise groups the base values of the scope's source units in the database.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Count, Max, Q, Sum

from campaigns.aggregates import BASIS_STATUSES
from campaigns.certifications.models.choices import CertificationKind as Kind
from campaigns.certifications.models.choices import HolderType as Holder
from campaigns.certifications.selectors import certified_counts, kept_title_counts
from campaigns.models import (
    AggregateBasis,
    Indicator,
    IndicatorAggregate,
    IndicatorAggregation,
    IndicatorPeriodAggregation,
    ReportValue,
)
from campaigns.selectors import YearReports, expected_reports
from models_registry.selectors import (
    Exemplary,
    exemplary_models,
    kept_registry_totals,
    registry_summary,
)
from wards.models import AdministrativeUnit, ReportingArea
from wards.numbers import json_number
from wards.scoping import ground_of
from wards.selectors import Succession

# Indicator codes the headline figures are built from (stable codes in the catalogue).
OFFENDERS = "offenders_handled"
CRIMINAL_CASES = "criminal_cases"
HOTSPOTS = "social_evil_hotspots_dismantled"
POLICE_SHARE = "police_university_share"
COMPARISON_CODES = [
    OFFENDERS,
    CRIMINAL_CASES,
    "criminal_cases_solved",
    HOTSPOTS,
    "tip_offs",
    "traffic_accidents",
]
# Up to this many units a scope's ids are sent as a list (indexes), beyond as a subquery.
LIST_LIMIT = 2000
# A page or an API answer lists at most this many wards/communes of a scope (one row each):
# beyond, the request is refused with a 413 asking for a smaller scope, never left to time out.
MAX_LISTED_UNITS = 2000


@dataclass(frozen=True)
class Query:
    """What the user asked for; validated by :class:`campaigns.dashboard.forms.PeriodForm`."""

    unit: AdministrativeUnit
    year_from: int
    year_to: int
    as_of: datetime.date
    include_submitted: bool = False

    @property
    def years(self) -> list[int]:
        return list(range(self.year_from, self.year_to + 1))

    @property
    def basis(self) -> str:
        return AggregateBasis.SUBMITTED if self.include_submitted else AggregateBasis.APPROVED

    @property
    def statuses(self) -> list[str]:
        return list(BASIS_STATUSES[self.basis])

    @property
    def previous(self) -> "Query":
        """The period of the same length just before this one."""
        span = self.year_to - self.year_from + 1
        return Query(
            unit=self.unit,
            year_from=self.year_from - span,
            year_to=self.year_from - 1,
            as_of=self.as_of,
            include_submitted=self.include_submitted,
        )


class Scope:
    """A scope unit on an "as of" date: the wards/communes that report into it (``sources``, a
    queryset kept as a subquery so a whole country costs no list of ids) and, computed only
    when a comparison needs them, the ``members`` those sources roll into on that date."""

    def __init__(self, unit: AdministrativeUnit, as_of: datetime.date):
        self.unit, self.as_of = unit, as_of

    def __getstate__(self) -> dict:
        # Cached with a Summary: keep what was resolved, never the querysets (pickling one
        # would fetch every unit of the scope); they are rebuilt when read.
        return {k: v for k, v in self.__dict__.items() if k not in ("sources", "ground")}

    @cached_property
    def ground(self):
        """The scope unit's ground over time (one query): what its units became after it
        ended (TP. Mỹ Tho → its five wards of 2025) and what it absorbed."""
        return ground_of(self.unit)

    @cached_property
    def sources(self):
        """Every ward/commune that ever reported on the scope's ground (or the scope itself)."""
        if self.unit.is_commune_level:
            return AdministrativeUnit.objects.filter(pk=self.unit.pk)
        return AdministrativeUnit.objects.filter(self.ground.unit_q()).commune_level()

    @property
    def source_pks(self):
        return self.sources.values("pk")

    def listed_count(self) -> int:
        """How many wards/communes ever reported into the scope: rows of a per-unit table
        (no query for a ward or commune)."""
        return 1 if self.unit.is_commune_level else self.sources.count()

    @property
    def reporting_pks(self):
        """The sources and the scope unit itself (a city reports city-level indicators)."""
        return AdministrativeUnit.objects.filter(
            Q(pk__in=self.source_pks) | Q(pk=self.unit.pk)
        ).values("pk")

    @cached_property
    def area_name(self) -> str:
        """The scope's name: a reporting area's ("Khu vực TP. Mỹ Tho") when one starts from
        the scope unit, else the unit's (one query)."""
        area = ReportingArea.objects.filter(root=self.unit).only("name").first()
        return area.name if area else self.unit.name

    @cached_property
    def _resolution(self) -> tuple[list[AdministrativeUnit], dict[int, int]]:
        """(members, reporting unit id → member id): three or four queries."""
        succession = Succession.on(self.as_of)
        self._source_names = dict(self.sources.values_list("pk", "name"))
        self._source_ids = list(self._source_names)
        candidates = {s: succession.resolve(s) for s in self._source_ids}
        valid = set(
            AdministrativeUnit.objects.valid_on(self.as_of)
            .commune_level()
            .filter(pk__in={m for ms in candidates.values() for m in ms})
            .values_list("pk", flat=True)
        )
        source_to_member: dict[int, int] = {}
        for source, successors in candidates.items():
            alive = sorted(successors & valid)
            if alive:
                # A split unit's figures go to its first successor so nothing counts twice.
                source_to_member[source] = alive[0]
        members = list(
            AdministrativeUnit.objects.filter(pk__in=set(source_to_member.values())).order_by(
                "display_order", "name"
            )
        )
        return members, source_to_member

    @property
    def members(self) -> list[AdministrativeUnit]:
        return self._resolution[0]

    @property
    def source_to_member(self) -> dict[int, int]:
        return self._resolution[1]

    @property
    def member_ids(self) -> list[int]:
        return [m.pk for m in self.members]

    def _source_ids_resolved(self) -> list[int]:
        self._resolution  # noqa: B018 - loads the source ids with the roll-up
        return self._source_ids

    def unfollowed(self) -> list[AdministrativeUnit]:
        """Reporting units gone by "as of" whose successor is not recorded: their figures
        cannot be put in any unit of that date (one query, none when there are none)."""
        missing = set(self._source_ids_resolved()) - set(self.source_to_member)
        if not missing:
            return []
        return list(AdministrativeUnit.objects.filter(pk__in=missing).order_by("display_order"))

    def folded_into(self, member_id: int) -> list[str]:
        """Names of the older units whose figures the member carries (none for itself)."""
        return sorted(
            self._source_names[source]
            for source, member in self.source_to_member.items()
            if member == member_id and source != member_id
        )

    @property
    def uses_area_aggregates(self) -> bool:
        """Whether the kept aggregates of the scope unit give its figures directly: the unit
        still exists on "as of" and nothing of its ground lies outside it."""
        return (
            not self.unit.is_commune_level
            and self.unit.is_valid_on(self.as_of)
            and not self.ground.extra
        )


def scope_of(unit: AdministrativeUnit, as_of: datetime.date) -> Scope:
    """The scope of ``unit`` on ``as_of``; queries run only as its parts are read."""
    return Scope(unit, as_of)


def _year_value(aggregation: str, total: Decimal, count: int, maximum: Decimal) -> Decimal:
    if aggregation == IndicatorAggregation.AVERAGE:
        return total / count if count else Decimal(0)
    if aggregation == IndicatorAggregation.MAXIMUM:
        return maximum
    return total


def period_value(period_aggregation: str, by_year: dict[int, Decimal | None], years: list[int]):
    """Fold a year → value series over the period by the indicator's period aggregation:
    flows add the years up, stocks take the last year with a figure."""
    values = [by_year.get(y) for y in years if by_year.get(y) is not None]
    if not values:
        return None
    if period_aggregation == IndicatorPeriodAggregation.AVERAGE:
        return sum(values, Decimal(0)) / len(values)
    if period_aggregation == IndicatorPeriodAggregation.MAXIMUM:
        return max(values)
    if period_aggregation == IndicatorPeriodAggregation.LATEST:
        last = max(y for y in years if by_year.get(y) is not None)
        return by_year[last]
    return sum(values, Decimal(0))


def indicator_catalogue() -> dict[str, Indicator]:
    return {
        i.code: i
        for i in Indicator.objects.select_related("section").order_by(
            "section__order", "order", "code"
        )
    }


def series(
    query: Query, scope: Scope, catalogue: dict[str, Indicator], years: Iterable[int] | None = None
) -> dict[str, dict[int, Decimal]]:
    """indicator code → {year → value over the scope}: one query."""
    years = list(years if years is not None else query.years)
    by_id = {i.pk: i for i in catalogue.values()}
    result: dict[str, dict[int, Decimal]] = defaultdict(dict)
    if scope.uses_area_aggregates:
        rows = IndicatorAggregate.objects.filter(
            area=scope.unit, basis=query.basis, year__in=years
        ).values_list("indicator_id", "year", "total", "value_count", "maximum")
    else:
        rows = (
            ReportValue.objects.filter(
                report__unit__in=scope.reporting_pks,
                report__period__year__in=years,
                report__status__in=query.statuses,
                value__isnull=False,
            )
            .values_list("indicator_id", "report__period__year")
            .annotate(total=Sum("value"), n=Count("id"), top=Max("value"))
            .order_by()
        )
    for indicator_id, year, total, count, maximum in rows:
        indicator = by_id.get(indicator_id)
        if indicator is not None:
            result[indicator.code][year] = _year_value(indicator.aggregation, total, count, maximum)
    return dict(result)


def by_member(
    query: Query,
    scope: Scope,
    catalogue: dict[str, Indicator],
    codes: list[str],
    member_ids: list[int] | None = None,
) -> dict[int, dict[str, Decimal | None]]:
    """member id → indicator code → period value: one grouped query (``member_ids``: only
    these members, e.g. one page of them; default all)."""
    wanted = {catalogue[c].pk: catalogue[c] for c in codes if c in catalogue}
    member_ids = scope.member_ids if member_ids is None else member_ids
    chosen = set(member_ids)
    rows = (
        ReportValue.objects.filter(
            report__unit_id__in=[s for s, m in scope.source_to_member.items() if m in chosen],
            report__period__year__in=query.years,
            report__status__in=query.statuses,
            indicator_id__in=list(wanted),
            value__isnull=False,
        )
        .values_list("report__unit_id", "indicator_id", "report__period__year")
        .annotate(total=Sum("value"), n=Count("id"), top=Max("value"))
        .order_by()
    )
    # Sum the sources of one member per year first, then fold the years.
    acc: dict[tuple[int, int, int], list] = defaultdict(lambda: [Decimal(0), 0, None])
    for unit_id, indicator_id, year, total, count, top in rows:
        cell = acc[(scope.source_to_member[unit_id], indicator_id, year)]
        cell[0] += total
        cell[1] += count
        cell[2] = top if cell[2] is None else max(cell[2], top)
    yearly: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for (member_id, indicator_id, year), (total, count, top) in acc.items():
        aggregation = wanted[indicator_id].aggregation
        yearly[(member_id, indicator_id)][year] = _year_value(aggregation, total, count, top)
    result: dict[int, dict[str, Decimal | None]] = {m: {} for m in member_ids}
    for member_id in member_ids:
        for indicator_id, indicator in wanted.items():
            result[member_id][indicator.code] = period_value(
                indicator.period_aggregation, yearly.get((member_id, indicator_id), {}), query.years
            )
    return result


def child_areas(query: Query) -> list[AdministrativeUnit]:
    """The districts/cities right below a province (or a district's own areas) on "as of"."""
    return list(
        AdministrativeUnit.objects.valid_on(query.as_of)
        .filter(parent=query.unit)
        .exclude(kind__in=AdministrativeUnit.COMMUNE_LEVEL_KINDS)
        .order_by("display_order", "name")
    )


def by_area(
    query: Query, areas: list[AdministrativeUnit], catalogue: dict[str, Indicator], codes: list[str]
) -> dict[int, dict[str, Decimal | None]]:
    """area id → indicator code → period value, from the kept aggregates: one query."""
    wanted = {catalogue[c].pk: catalogue[c] for c in codes if c in catalogue}
    rows = IndicatorAggregate.objects.filter(
        area__in=areas, basis=query.basis, year__in=query.years, indicator_id__in=list(wanted)
    ).values_list("area_id", "indicator_id", "year", "total", "value_count", "maximum")
    yearly: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for area_id, indicator_id, year, total, count, top in rows:
        aggregation = wanted[indicator_id].aggregation
        yearly[(area_id, indicator_id)][year] = _year_value(aggregation, total, count, top)
    return {
        area.pk: {
            indicator.code: period_value(
                indicator.period_aggregation, yearly.get((area.pk, indicator_id), {}), query.years
            )
            for indicator_id, indicator in wanted.items()
        }
        for area in areas
    }


@dataclass
class Summary:
    """The headline figures of a period for a scope (dashboard cards, report, API)."""

    query: Query
    scope: Scope
    units_total: int
    units_antt_certified: int
    organizations_antt_certified: int
    wards_civilized_urban: int
    communes_new_rural_culture: int
    # The same titles in an earlier year, so the narrative says kept, rose or fell.
    titles_year: int
    wards_civilized_urban_before: int
    communes_new_rural_culture_before: int
    prevention_models: int
    prevention_model_sites: int
    cameras: int
    offenders_handled: Decimal | None
    hotspots_dismantled: Decimal | None
    criminal_cases: Decimal | None
    criminal_cases_previous: Decimal | None
    police_university_share: Decimal | None
    series: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    # Reports expected and counted per year, this period's years and the previous period's.
    reports: dict[int, YearReports] = field(default_factory=dict)
    # Models named exemplary in the period's years, with where they ran at its end.
    exemplary: list[Exemplary] = field(default_factory=list)

    def year_complete(self, year: int) -> bool:
        counts = self.reports.get(year)
        return counts is not None and counts.is_complete(self.query.include_submitted)

    @property
    def incomplete_years(self) -> list[int]:
        """The period's years whose figures lack some expected report on the basis asked."""
        return [y for y in self.query.years if not self.year_complete(y)]

    @property
    def reports_expected(self) -> int:
        return sum(self.reports[y].expected for y in self.query.years if y in self.reports)

    @property
    def reports_approved(self) -> int:
        return sum(self.reports[y].approved for y in self.query.years if y in self.reports)

    @property
    def reports_submitted(self) -> int:
        return sum(self.reports[y].submitted for y in self.query.years if y in self.reports)

    @property
    def complete(self) -> bool:
        return not self.incomplete_years

    @property
    def previous_complete(self) -> bool:
        return all(self.year_complete(y) for y in self.query.previous.years)

    def completeness_dict(self) -> dict[str, dict]:
        """Year → integer counts and the verdict, for the JSON API."""
        return completeness_dict(self.query, self.reports)

    @property
    def scope_name(self) -> str:
        return self.scope.area_name

    @property
    def year_from(self) -> int:
        return self.query.year_from

    @property
    def year_to(self) -> int:
        return self.query.year_to

    @property
    def criminal_cases_change_percent(self) -> Decimal | None:
        """Against the previous period; only when every year of both periods is complete
        (partial years would compare different sets of units)."""
        if not self.criminal_cases_previous or self.criminal_cases is None:
            return None
        if not (self.complete and self.previous_complete):
            return None
        change = (self.criminal_cases - self.criminal_cases_previous) * 100
        return (change / self.criminal_cases_previous).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def as_dict(self) -> dict:
        """Plain numbers for the JSON API (no localisation)."""

        def count(value):
            return json_number(value, integer=True)

        def share(value):
            return json_number(value, integer=False)

        return {
            "unit": self.scope.unit.slug,
            "from": self.query.year_from,
            "to": self.query.year_to,
            "as_of": self.query.as_of.isoformat(),
            "basis": str(self.query.basis),
            "units_total": self.units_total,
            "units_antt_certified": self.units_antt_certified,
            "organizations_antt_certified": self.organizations_antt_certified,
            "wards_civilized_urban": self.wards_civilized_urban,
            "communes_new_rural_culture": self.communes_new_rural_culture,
            "prevention_models": self.prevention_models,
            "prevention_model_sites": self.prevention_model_sites,
            "cameras": self.cameras,
            "offenders_handled": count(self.offenders_handled),
            "hotspots_dismantled": count(self.hotspots_dismantled),
            "criminal_cases": count(self.criminal_cases),
            "criminal_cases_previous_period": count(self.criminal_cases_previous),
            "criminal_cases_change_percent": share(self.criminal_cases_change_percent),
            "police_university_share": share(self.police_university_share),
            "reports_expected": self.reports_expected,
            "reports_approved": self.reports_approved,
            "reports_submitted": self.reports_submitted,
            "complete": self.complete,
            "completeness": self.completeness_dict(),
        }


def completeness_dict(query: Query, reports: dict[int, YearReports]) -> dict[str, dict]:
    """``{"2025": {"expected": 5, "approved": 5, "submitted": 5, "complete": true}, …}``."""
    result = {}
    for year in query.years:
        counts = reports.get(year) or YearReports(year=year)
        result[str(year)] = {
            "expected": counts.expected,
            "approved": counts.approved,
            "submitted": counts.submitted,
            "complete": counts.is_complete(query.include_submitted),
        }
    return result


def reports_of(
    query: Query, *, with_previous: bool = False, scope: "Scope | None" = None
) -> dict[int, YearReports]:
    """Expected and counted reports of the query's scope per year (four queries, and one for
    the scope's ground unless ``scope`` already knows it)."""
    years = [*query.previous.years, *query.years] if with_previous else query.years
    scope = scope if scope is not None else scope_of(query.unit, query.as_of)
    ground = None if query.unit.is_commune_level else scope.ground
    return expected_reports(
        area=query.unit, years=years, ground=ground, kept_counts=scope.uses_area_aggregates
    )


def summary(
    query: Query, catalogue: dict[str, Indicator] | None = None, scope: Scope | None = None
) -> Summary:
    """Every headline figure for ``query``, in a constant number of queries (``scope``: the
    query's scope when the caller has it already)."""
    catalogue = catalogue if catalogue is not None else indicator_catalogue()
    scope = scope if scope is not None else scope_of(query.unit, query.as_of)
    yearly = series(query, scope, catalogue)
    previous = query.previous
    previous_cases = series(previous, scope, {CRIMINAL_CASES: catalogue[CRIMINAL_CASES]})
    # Titles and models are counted as of the end of the period's last year, over the units
    # that existed then (the "as of" date only decides how the comparison rolls units up).
    year_end = datetime.date(query.year_to, 12, 31)
    units_then = scope.sources.valid_on(year_end)
    units_total = units_then.count()
    if units_total <= LIST_LIMIT:
        # A city or a province: a short list of ids lets the database use its indexes.
        unit_ids = list(units_then.values_list("pk", flat=True))
        holders = [*unit_ids, query.unit.pk]
    else:
        # A country: the units stay a subquery instead of a list of thousands of ids.
        unit_ids = units_then.values("pk")
        holders = AdministrativeUnit.objects.filter(
            Q(pk__in=unit_ids) | Q(pk=query.unit.pk)
        ).values("pk")
    # The titles of the first year (the year before, for one year) say whether they were kept.
    titles_year = query.year_from if query.year_from < query.year_to else query.year_to - 1
    if scope.uses_area_aggregates:
        kept = kept_title_counts(area_id=query.unit.pk, years=[titles_year, query.year_to])
        certified, certified_before = kept[query.year_to], kept[titles_year]
    else:
        certified = certified_counts(year=query.year_to, unit_ids=holders)
        before_units = scope.sources.valid_on(datetime.date(titles_year, 12, 31)).values("pk")
        certified_before = certified_counts(
            year=titles_year,
            unit_ids=AdministrativeUnit.objects.filter(
                Q(pk__in=before_units) | Q(pk=query.unit.pk)
            ).values("pk"),
        )
    kept = None
    if scope.uses_area_aggregates:
        kept = kept_registry_totals(area_id=query.unit.pk, year=query.year_to)
    if kept is None:
        counted = registry_summary(year_end, units=unit_ids)
        kept = (counted.models, counted.sites, counted.cameras)
    models, sites, cameras = kept

    def total(code: str, data=yearly, q=query):
        if code not in catalogue:
            return None
        return period_value(IndicatorPeriodAggregation.SUM, data.get(code, {}), q.years)

    share_series = yearly.get(POLICE_SHARE, {})
    return Summary(
        query=query,
        scope=scope,
        units_total=units_total,
        units_antt_certified=certified.get((Kind.ANTT_SAFE, Holder.UNIT), 0),
        organizations_antt_certified=certified.get((Kind.ANTT_SAFE, Holder.ORGANIZATION), 0),
        wards_civilized_urban=certified.get((Kind.CIVILIZED_URBAN, Holder.UNIT), 0),
        communes_new_rural_culture=certified.get((Kind.NEW_RURAL_CULTURE, Holder.UNIT), 0),
        titles_year=titles_year,
        wards_civilized_urban_before=certified_before.get((Kind.CIVILIZED_URBAN, Holder.UNIT), 0),
        communes_new_rural_culture_before=certified_before.get(
            (Kind.NEW_RURAL_CULTURE, Holder.UNIT), 0
        ),
        prevention_models=models,
        prevention_model_sites=sites,
        cameras=cameras,
        offenders_handled=total(OFFENDERS),
        hotspots_dismantled=total(HOTSPOTS),
        criminal_cases=total(CRIMINAL_CASES),
        # A previous period is compared only when every one of its years has figures.
        criminal_cases_previous=(
            total(CRIMINAL_CASES, previous_cases, previous)
            if all(y in previous_cases.get(CRIMINAL_CASES, {}) for y in previous.years)
            else None
        ),
        police_university_share=share_series.get(query.year_to),
        series=yearly,
        reports=reports_of(query, with_previous=True, scope=scope),
        exemplary=exemplary_models(years=query.years, as_of=year_end, units=unit_ids),
    )
