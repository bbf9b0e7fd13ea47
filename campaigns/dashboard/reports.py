"""What the dashboard, drill-down and period review pages show, built from the selectors."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from campaigns.certifications.models import MovementClassification
from campaigns.dashboard import maps, narrative
from campaigns.dashboard.exports import Table
from campaigns.dashboard.permissions import viewer_key
from campaigns.dashboard.selectors import (
    COMPARISON_CODES,
    CRIMINAL_CASES,
    HOTSPOTS,
    OFFENDERS,
    Query,
    Scope,
    Summary,
    by_area,
    by_member,
    child_areas,
    indicator_catalogue,
    period_value,
    reports_of,
    scope_of,
    summary,
)
from campaigns.models import Indicator, ReportValue
from campaigns.selectors import YearReports, completeness, period_for_unit
from wards import figures
from wards.models import AdministrativeUnit

CHART_CODES = [
    CRIMINAL_CASES,
    OFFENDERS,
    HOTSPOTS,
    "tip_offs",
    "traffic_accidents",
    "traffic_deaths",
]


def query_string(query: Query, **overrides) -> str:
    params = {
        "from": query.year_from,
        "to": query.year_to,
        "unit": query.unit.slug,
        "as_of": query.as_of.isoformat(),
    }
    if query.include_submitted:
        params["submitted"] = "1"
    params.update(overrides)
    return urlencode({k: v for k, v in params.items() if v is not None})


def year_note(year: int, counts: YearReports | None, include_submitted: bool) -> str:
    """The words for an incomplete year: "năm 2021 chưa đầy đủ: 4/18 báo cáo đã duyệt"."""
    if counts is None or counts.expected == 0:
        return _("%(year)s incomplete: no report expected") % {"year": year}
    values = {"year": year, "n": counts.counted(include_submitted), "e": counts.expected}
    if include_submitted:
        return _("%(year)s incomplete: %(n)s/%(e)s reports submitted") % values
    return _("%(year)s incomplete: %(n)s/%(e)s reports approved") % values


def partial_notes(s: Summary) -> dict[int, str]:
    """Incomplete year of the period → its words; empty when every year is complete."""
    return notes_of(s.query, s.reports)


def notes_of(query: Query, reports: dict[int, YearReports]) -> dict[int, str]:
    basis = query.include_submitted
    return {
        y: year_note(y, reports.get(y), basis)
        for y in query.years
        if not (reports.get(y) and reports[y].is_complete(basis))
    }


def _joined(notes: dict[int, str]) -> str:
    return "; ".join(notes[y] for y in sorted(notes))


def basis_text(query: Query) -> str:
    if query.include_submitted:
        return _("approved and submitted reports (provisional)")
    return _("approved reports")


def completeness_text(s: Summary) -> str:
    """One line for a title row: complete, or which years are not and by how much."""
    notes = partial_notes(s)
    if notes:
        return _("PARTIAL DATA: %(notes)s") % {"notes": _joined(notes)}
    counted = s.reports_submitted if s.query.include_submitted else s.reports_approved
    return _("complete: %(n)s/%(e)s reports") % {"n": counted, "e": s.reports_expected}


@dataclass
class Kpi:
    key: str
    label: str
    value: Decimal | int | None
    total: int | None = None  # the "y" of an "x/y" figure
    suffix: str = ""
    note: str = ""
    url: str = ""
    decimals: int = 0
    partial: str = ""  # the words for the incomplete years it counts, if any


def kpis(s: Summary) -> list[Kpi]:
    """The cards; a ward or commune sees only those that apply to it."""
    cards = _all_kpis(s)
    unit = s.query.unit
    if unit.is_commune_level:
        hidden = {"police_university_share"}
        ward = unit.kind == AdministrativeUnit.Kind.WARD
        hidden.add("communes_new_rural_culture" if ward else "wards_civilized_urban")
        cards = [k for k in cards if k.key not in hidden]
    return cards


def _all_kpis(s: Summary) -> list[Kpi]:
    cards = _cards(s)
    notes = partial_notes(s)
    flows = {"offenders_handled", "hotspots_dismantled", "criminal_cases"}
    for card in cards:
        # Flows add every year up; the other cards are figures of the last year.
        card.partial = _joined(notes) if card.key in flows else notes.get(s.query.year_to, "")
    return cards


def _cards(s: Summary) -> list[Kpi]:
    q = s.query
    qs = query_string(q)
    year = q.year_to
    certs = reverse("certifications:organization_titles")
    change = s.criminal_cases_change_percent
    change_note = (
        _("%(sign)s%(p)s%% against %(y1)s–%(y2)s")
        % {
            # A true minus sign, as everywhere else in the app (−12,5%).
            "sign": "+" if change > 0 else ("−" if change < 0 else ""),
            "p": number_format(abs(change), decimal_pos=1, use_l10n=True),
            "y1": q.previous.year_from,
            "y2": q.previous.year_to,
        }
        if change is not None
        else _("not compared with %(y1)s–%(y2)s: some years are incomplete")
        % {"y1": q.previous.year_from, "y2": q.previous.year_to}
        if s.criminal_cases_previous and not (s.complete and s.previous_complete)
        else _("no figures for the previous period")
    )
    ind = "dashboard:indicator_detail"
    return [
        Kpi(
            "units_antt_certified",
            _("Wards and communes “Safe in security and order”"),
            s.units_antt_certified,
            total=s.units_total,
            note=_("in %(y)s") % {"y": year},
            url=reverse("certifications:overview") + "?" + urlencode({"year": year}),
        ),
        Kpi(
            "organizations_antt_certified",
            _("Agencies, enterprises and schools certified"),
            s.organizations_antt_certified,
            note=_("in %(y)s") % {"y": year},
            url=certs + "?" + urlencode({"year": year, "result": "met"}),
        ),
        Kpi(
            "wards_civilized_urban",
            _("Wards “civilised urban”"),
            s.wards_civilized_urban,
            note=_("in %(y)s") % {"y": year},
            url=reverse("certifications:overview") + "?" + urlencode({"year": year}),
        ),
        Kpi(
            "communes_new_rural_culture",
            _("Communes “new rural culture”"),
            s.communes_new_rural_culture,
            note=_("in %(y)s") % {"y": year},
            url=reverse("certifications:overview") + "?" + urlencode({"year": year}),
        ),
        Kpi(
            "prevention_models",
            _("Crime-prevention models"),
            s.prevention_models,
            note=_("%(n)s sites, end of %(y)s") % {"n": s.prevention_model_sites, "y": year},
            url=reverse("models_registry:registry") + "?" + urlencode({"year": year}),
        ),
        Kpi(
            "offenders_handled",
            _("Offenders detected and handled"),
            s.offenders_handled,
            note=_("%(y1)s–%(y2)s") % {"y1": q.year_from, "y2": q.year_to},
            url=reverse(ind, args=[OFFENDERS]) + "?" + qs,
        ),
        Kpi(
            "hotspots_dismantled",
            _("Social-evil hotspots dismantled"),
            s.hotspots_dismantled,
            note=_("%(y1)s–%(y2)s") % {"y1": q.year_from, "y2": q.year_to},
            url=reverse(ind, args=[HOTSPOTS]) + "?" + qs,
        ),
        Kpi(
            "criminal_cases",
            _("Criminal cases"),
            s.criminal_cases,
            note=change_note,
            url=reverse(ind, args=[CRIMINAL_CASES]) + "?" + qs,
        ),
        Kpi(
            "police_university_share",
            _("City police officers with a university degree"),
            s.police_university_share,
            suffix="%",
            decimals=1,
            note=_("in %(y)s") % {"y": year},
            url=reverse(ind, args=["police_university_share"]) + "?" + qs,
        ),
    ]


@dataclass
class ComparisonRow:
    unit: object
    values: dict[str, Decimal | None]
    level: str
    level_display: str
    points: Decimal | None
    rank: int = 0
    # Older units whose figures this unit carries (reorganised into it before "as of").
    folded: list[str] = field(default_factory=list)


def comparison(
    query: Query,
    s: Summary,
    catalogue: dict[str, Indicator],
    values: dict[int, dict[str, Decimal | None]] | None = None,
    areas: list | None = None,
) -> list[ComparisonRow]:
    """The units right below the scope side by side.

    A city's (or district's) wards and communes, ranked by their movement classification points;
    a province's districts and cities, from the kept aggregates (they have no classification).
    """
    if areas is None:
        areas = child_areas(query) if not query.unit.is_commune_level else []
    if areas:
        values = by_area(query, areas, catalogue, COMPARISON_CODES)
        return [
            ComparisonRow(unit=a, values=values[a.pk], level="", level_display="", points=None)
            for a in areas
        ]
    if values is None:
        values = by_member(query, s.scope, catalogue, COMPARISON_CODES)
    sheets = {
        c.holder_unit_id: c
        for c in MovementClassification.objects.filter(
            holder_unit_id__in=s.scope.member_ids, year=query.year_to
        ).prefetch_related("scores", "rule_set__thresholds")
    }
    rows = []
    for member in s.scope.members:
        sheet = sheets.get(member.pk)
        rows.append(
            ComparisonRow(
                unit=member,
                values=values.get(member.pk, {}),
                level=(sheet.level or "") if sheet else "",
                level_display=sheet.get_level_display() if sheet else "",
                points=sheet.points if sheet else None,
                folded=s.scope.folded_into(member.pk),
            )
        )
    # Competition ranking: equal points share a rank (1, 1, 3, …); no sheet, no rank.
    scored = sorted((r for r in rows if r.points is not None), key=lambda r: -r.points)
    for position, row in enumerate(scored, start=1):
        previous = scored[position - 2] if position > 1 else None
        row.rank = previous.rank if previous and previous.points == row.points else position
    return rows


def chart_data(s: Summary, catalogue: dict[str, Indicator]) -> list[dict]:
    """Each chart's points, with the incomplete years flagged and named (drawn dashed and
    hatched by static/js/dashboard.js, and said in the caption)."""
    years = s.query.years
    notes = partial_notes(s)
    charts = []
    for code in CHART_CODES:
        if code not in catalogue:
            continue
        data = s.series.get(code, {})
        charts.append(
            {
                "code": code,
                "title": catalogue[code].name,
                "unit": catalogue[code].unit_of_measure,
                "labels": [str(y) for y in years],
                "values": [float(data[y]) if y in data else None for y in years],
                "partial": [y in notes for y in years],
                "notes": [notes.get(y, "") for y in years],
            }
        )
    return charts


def indicator_rows(
    years: list[int], yearly: dict[str, dict[int, Decimal]], catalogue: dict[str, Indicator]
) -> list[dict]:
    """Every indicator × year of the period (the charts' table view, the report, the API)."""
    rows = []
    for code, indicator in catalogue.items():
        data = yearly.get(code, {})
        if not data:
            continue
        rows.append(
            {
                "indicator": indicator,
                "values": [data.get(y) for y in years],
                "period": period_value(indicator.period_aggregation, data, years),
            }
        )
    return rows


def with_notes(rows: list[dict], years: list[int], notes: dict[int, str]) -> list[dict]:
    """Each row's ``cells``: (value, words for the year if incomplete) for the templates."""
    for row in rows:
        row["cells"] = [(v, notes.get(y, "")) for y, v in zip(years, row["values"], strict=True)]
    return rows


# --- cached figures (wards.figures: keyed on the figures version, exact) ------------------


def query_key(query: Query) -> tuple:
    """Everything of ``query`` a cached figure depends on: scope, years, "as of", basis."""
    return (
        query.unit.pk,
        query.year_from,
        query.year_to,
        query.as_of.isoformat(),
        query.include_submitted,
    )


def cached_catalogue(version: int) -> dict[str, Indicator]:
    return figures.cached("catalogue", (), indicator_catalogue, version=version)


def cached_summary(
    query: Query, catalogue: dict[str, Indicator], version: int, scope: Scope | None = None
) -> Summary:
    return figures.cached(
        "summary", query_key(query), lambda: summary(query, catalogue, scope), version=version
    )


def cached_comparison(
    query: Query,
    s: Summary,
    catalogue: dict[str, Indicator],
    version: int,
    map_code: str | None = None,
) -> tuple[list[ComparisonRow], list, "maps.UnitMap | None"]:
    """(comparison rows, units that cannot be followed, the map of ``map_code`` or None); the
    rows hold translated levels. One grouped query gives the table and the map their figures."""

    def compute():
        areas = child_areas(query) if not query.unit.is_commune_level else []
        member_values = None
        if not areas:
            codes = [*COMPARISON_CODES, map_code] if map_code else COMPARISON_CODES
            member_values = by_member(query, s.scope, catalogue, codes)
        rows = comparison(query, s, catalogue, member_values, areas)
        unfollowed = s.scope.unfollowed() if rows and rows[0].unit.is_commune_level else []
        # A province's districts are compared from the kept aggregates; its wards are no map.
        unit_map = (
            None
            if areas or not map_code
            else maps.unit_map(query, s.scope, catalogue, map_code, member_values)
        )
        return rows, unfollowed, unit_map

    return figures.cached(
        "comparison", (*query_key(query), map_code, get_language()), compute, version=version
    )


def dashboard_frame(query: Query, user, today: datetime.date, version: int) -> dict:
    """What the dashboard shows around its cached figures: the heading and the reporting
    progress (the user's view of it). Cheap: no figures are read."""
    scope = scope_of(query.unit, query.as_of)
    period = figures.cached(
        "period",
        (query.unit.pk, query.year_to),
        lambda: period_for_unit(query.unit, query.year_to),
        version=version,
    )
    return {
        "figures_version": version,
        "query": query,
        "qs": query_string(query),
        "scope": scope,
        "scope_name": scope.area_name,
        "period": period,
        "completeness": _cached_progress(period, user, today, version) if period else None,
    }


def dashboard_context(
    query: Query,
    map_indicator: str | None = None,
    version: int | None = None,
    scope: Scope | None = None,
) -> dict:
    """The dashboard's figures (cards, charts, tables, comparison, map, narrative): read from
    the cached summary and comparison, for rendering its cached HTML."""
    version = figures.current() if version is None else version
    catalogue = cached_catalogue(version)
    s = cached_summary(query, catalogue, version, scope)
    map_code = map_indicator if map_indicator in catalogue else maps.DEFAULT_INDICATOR
    rows, unfollowed, unit_map = cached_comparison(query, s, catalogue, version, map_code)
    # The summary carries the expected and counted reports of each year (completeness):
    # they change only with a status change, a new period or a unit change, which all bump
    # the version, so the marks of a cached summary are exact too.
    notes = partial_notes(s)
    return {
        "partial_notes": notes,
        "partial_text": _joined(notes),
        "year_headers": [(y, notes.get(y, "")) for y in query.years],
        "summary": s,
        "kpis": kpis(s),
        "charts": chart_data(s, catalogue),
        "indicator_rows": with_notes(
            indicator_rows(query.years, s.series, catalogue), query.years, notes
        ),
        "comparison": rows,
        "unfollowed": unfollowed,
        "comparison_indicators": [catalogue[c] for c in COMPARISON_CODES if c in catalogue],
        "narrative": narrative.paragraph(s, notes),
        "map": unit_map,
        "map_indicators": list(catalogue.values()),
        "map_indicator_unknown": bool(map_indicator) and map_indicator not in catalogue,
    }


def _cached_progress(period, user, today: datetime.date, version: int) -> SimpleNamespace:
    """The reporting progress line: counts that change only with a status change (which bumps
    the version), the day (late or on time) and what the user may see."""

    def compute() -> SimpleNamespace:
        c = completeness(period, user, today)
        return SimpleNamespace(
            expected=c.expected,
            submitted=c.submitted,
            approved=c.approved,
            on_time=c.on_time,
            late=c.late,
        )

    return figures.cached(
        "progress", (period.pk, *viewer_key(user), today.isoformat()), compute, version=version
    )


def indicator_context(
    query: Query,
    catalogue: dict[str, Indicator],
    code: str,
    version: int | None = None,
    *,
    scope: Scope | None = None,
) -> dict:
    """Each reporting unit × year of one indicator, each cell linking to its report (cached).
    ``scope``: the query's scope when the caller has it already."""
    indicator = catalogue[code]
    rows, scope_name, notes = figures.cached(
        "indicator",
        (*query_key(query), code, get_language()),  # the notes are translated words
        lambda: _indicator_rows(query, indicator, scope or scope_of(query.unit, query.as_of)),
        version=figures.current() if version is None else version,
    )
    return {
        "query": query,
        "qs": query_string(query),
        "indicator": indicator,
        "rows": rows,
        "scope_name": scope_name,
        "partial_notes": notes,
        "partial_text": _joined(notes),
        "year_headers": [(y, notes.get(y, "")) for y in query.years],
    }


def _indicator_rows(
    query: Query, indicator: Indicator, scope: Scope
) -> tuple[list[dict], str, dict[int, str]]:
    """(rows, the scope's name, incomplete year → its words)."""
    statuses = query.statuses
    cells = ReportValue.objects.filter(
        indicator=indicator,
        report__unit__in=scope.source_pks,
        report__period__year__in=query.years,
        report__status__in=statuses,
    ).values_list(
        "report__unit_id",
        "report__unit__name",
        "report__unit__slug",
        "report__unit__display_order",
        "report__period__year",
        "report__status",
        "value",
    )
    units: dict[int, dict] = {}
    for unit_id, name, slug, order, year, status, value in cells:
        row = units.setdefault(
            unit_id, {"name": name, "slug": slug, "order": order, "cells": {}, "total": Decimal(0)}
        )
        row["cells"][year] = {
            "value": value,
            "status": status,
            "url": reverse("campaigns:report_detail", args=[year, slug]),
        }
        if value is not None:
            row["total"] += value
    rows = sorted(units.values(), key=lambda r: (r["order"], r["name"]))
    for row in rows:
        row["cells"] = [row["cells"].get(y) for y in query.years]
    notes = notes_of(query, reports_of(query, scope=scope))
    return rows, scope.area_name, notes


@dataclass
class PeriodReview:
    query: Query
    summary: Summary
    paragraph: str
    indicator_rows: list[dict]
    comparison: list[ComparisonRow]
    comparison_indicators: list[Indicator]
    notes: dict[int, str]

    @property
    def partial_text(self) -> str:
        return _joined(self.notes)

    @property
    def year_headers(self) -> list[tuple[int, str]]:
        return [(y, self.notes.get(y, "")) for y in self.query.years]

    def headline_rows(self) -> list[tuple[str, object, int | None, str]]:
        """(label, value, total, note): total is the "y" of an "x/y" figure, else None; note
        names the incomplete years the figure counts."""
        s = self.summary
        every, last = self.partial_text, self.notes.get(self.query.year_to, "")
        return [
            (
                _("Wards and communes certified “Safe in security and order”"),
                s.units_antt_certified,
                s.units_total,
                last,
            ),
            (
                _("Agencies, enterprises and schools certified"),
                s.organizations_antt_certified,
                None,
                last,
            ),
            (_("Wards “civilised urban”"), s.wards_civilized_urban, None, last),
            (_("Communes “new rural culture”"), s.communes_new_rural_culture, None, last),
            (_("Crime-prevention models"), s.prevention_models, None, last),
            (_("Crime-prevention model sites"), s.prevention_model_sites, None, last),
            (_("Offenders detected and handled"), s.offenders_handled, None, every),
            (_("Social-evil hotspots dismantled"), s.hotspots_dismantled, None, every),
            (_("Criminal cases"), s.criminal_cases, None, every),
            (
                _("City police officers with a university degree (%)"),
                s.police_university_share,
                None,
                last,
            ),
        ]

    def title_row(self, table_title: str) -> str:
        """The first row of every sheet and CSV: what, unit, period, basis, completeness."""
        q = self.query
        span = f"{q.year_from}–{q.year_to}" if q.year_to != q.year_from else str(q.year_to)
        return _("%(title)s — %(unit)s, %(years)s — basis: %(basis)s — %(completeness)s") % {
            "title": table_title,
            "unit": self.summary.scope_name,
            "years": span,
            "basis": basis_text(q),
            "completeness": completeness_text(self.summary),
        }

    def tables(self) -> list[Table]:
        partial = bool(self.notes)
        headline_title = _("Headline figures")
        headline = Table(
            title=headline_title,
            key="tong-hop",
            sheet_name=headline_title,
            title_row=self.title_row(headline_title),
            headers=[_("Figure"), _("Value"), *([_("Note")] if partial else [])],
            rows=[
                [
                    label,
                    f"{value}/{total}" if total is not None else value,
                    *([note] if partial else []),
                ]
                for label, value, total, note in self.headline_rows()
            ],
        )
        indicators_title = _("Indicators by year")
        by_indicator = Table(
            title=indicators_title,
            key="chi-tieu-theo-nam",
            sheet_name=_("Indicators by year"),
            title_row=self.title_row(indicators_title),
            headers=[
                _("Code"),
                _("Indicator"),
                _("Unit of measure"),
                *[f"{y} ({note})" if note else str(y) for y, note in self.year_headers],
                _("Period (incomplete)") if partial else _("Period"),
            ],
            rows=[
                [
                    r["indicator"].code,
                    r["indicator"].name,
                    r["indicator"].unit_of_measure,
                    *r["values"],
                    r["period"],
                ]
                for r in self.indicator_rows
            ],
        )
        units_title = _("By unit")
        by_unit = Table(
            title=units_title,
            key="theo-don-vi",
            sheet_name=_("By unit"),
            title_row=self.title_row(units_title),
            headers=[
                _("Rank"),
                _("Unit"),
                *[i.name for i in self.comparison_indicators],
                _("Movement classification"),
                _("Points"),
            ],
            rows=[
                [
                    row.rank or None,
                    row.unit.name,
                    *[row.values.get(i.code) for i in self.comparison_indicators],
                    row.level_display,
                    row.points,
                ]
                for row in self.comparison
            ],
        )
        return [headline, by_indicator, by_unit]


def period_review(query: Query, version: int | None = None) -> PeriodReview:
    version = figures.current() if version is None else version
    catalogue = cached_catalogue(version)
    s = cached_summary(query, catalogue, version)
    rows, _unfollowed, _map = cached_comparison(query, s, catalogue, version)
    notes = partial_notes(s)
    return PeriodReview(
        query=query,
        summary=s,
        paragraph=narrative.paragraph(s, notes),
        indicator_rows=with_notes(
            indicator_rows(query.years, s.series, catalogue), query.years, notes
        ),
        comparison=rows,
        comparison_indicators=[catalogue[c] for c in COMPARISON_CODES if c in catalogue],
        notes=notes,
    )
