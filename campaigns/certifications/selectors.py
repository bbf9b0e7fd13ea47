"""Read-side questions about certifications: eligibility, proposed results, counts, histories.

The counting selectors take unit ids and years and run a fixed number of queries whatever the
number of units or years, so the dashboard can call them for the whole city.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.certifications import permissions
from campaigns.certifications.models import (
    Award,
    CertificationKind,
    ClassificationThreshold,
    Criterion,
    CriterionAssessment,
    CriterionKind,
    Dossier,
    DossierStatus,
    HolderType,
    Incident,
    MovementClassification,
    Result,
    RuleSet,
    TitleCount,
    decisive_day,
    holder_kind_of,
    holder_type_of,
    level_for,
    owning_unit_of,
)
from campaigns.certifications.models.choices import kind_applies_to
from wards.models import AdministrativeUnit, Organization, ResidentialArea
from wards.periods import open_units, reference_day

MET_Q = Q(status=DossierStatus.DECIDED, result=Result.MET)
NOT_MET_Q = Q(status=DossierStatus.DECIDED, result=Result.NOT_MET)


def _valid_on(valid_from, valid_to, day: datetime.date) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_to is None or valid_to >= day)


def _valid_in_year(valid_from, valid_to, year: int) -> bool:
    """Whether something with these (possibly empty) dates existed at some time in ``year``."""
    return (valid_from is None or valid_from <= datetime.date(year, 12, 31)) and (
        valid_to is None or valid_to >= datetime.date(year, 1, 1)
    )


# --- eligibility and rule sets ---------------------------------------------------------------


@dataclass
class Eligibility:
    """Which rule set would assess a holder for a title in a year, and why it cannot if not."""

    rule_set: RuleSet | None
    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.rule_set is not None and not self.reasons


def governing_from(rule_sets: list[RuleSet], subject: str, year: int, holder_kind: str):
    """``RuleSet.objects.governing`` over rule sets already loaded."""
    day = decisive_day(year)
    for rule_set in sorted(rule_sets, key=lambda r: r.valid_from, reverse=True):
        if (
            rule_set.subject == subject
            and rule_set.valid_from <= day
            and (rule_set.valid_to is None or rule_set.valid_to >= day)
            and holder_kind in rule_set.holder_kinds
        ):
            return rule_set
    return None


def eligibility(
    *, holder, kind: str, year: int, rule_sets: list[RuleSet] | None = None
) -> Eligibility:
    """Whether ``holder`` can get a dossier for title ``kind`` in ``year``, under which rules.

    The rule set is chosen by the year (see ``rules.decisive_day``); its exclusions (e.g. primary
    schools under TT 124) give the reasons shown to the user. Pass ``rule_sets`` (with their
    exclusions prefetched) to check many holders without a query each.
    """
    holder_type = holder_type_of(holder)
    unit = owning_unit_of(holder)
    title = CertificationKind(kind).label
    reasons: list[str] = []
    if not kind_applies_to(kind, holder_type, unit.kind if holder_type == "unit" else None):
        reasons.append(
            gettext("The title “%(title)s” is not awarded to %(holder)s.")
            % {"title": title, "holder": holder.name}
        )
        return Eligibility(rule_set=None, reasons=reasons)
    if not _valid_in_year(unit.valid_from, unit.valid_to, year):
        reasons.append(
            gettext("%(unit)s did not exist in %(year)s.") % {"unit": unit.name, "year": year}
        )
    if holder_type == HolderType.RESIDENTIAL_AREA and not _valid_in_year(
        holder.valid_from, holder.valid_to, year
    ):
        reasons.append(
            gettext("%(area)s did not exist in %(year)s.") % {"area": holder.name, "year": year}
        )
    if rule_sets is None:
        rule_set = RuleSet.objects.governing(kind, year, holder_kind_of(holder))
    else:
        rule_set = governing_from(rule_sets, kind, year, holder_kind_of(holder))
    if rule_set is None:
        reasons.append(
            gettext("No rule set for “%(title)s” is in force for the year %(year)s.")
            % {"title": title, "year": year}
        )
    elif holder_type == HolderType.ORGANIZATION:
        reasons.extend(
            gettext("%(holder)s is not eligible under %(rules)s: %(reason)s")
            % {"holder": holder.name, "rules": rule_set.legal_basis, "reason": reason}
            for reason in rule_set.ineligibility_reasons(holder)
        )
    return Eligibility(rule_set=rule_set, reasons=reasons)


# --- proposed result -------------------------------------------------------------------------


@dataclass
class CriterionOutcome:
    """How one criterion stands in a dossier; ``met`` is None while not assessed."""

    criterion: Criterion
    assessment: CriterionAssessment | None
    met: bool | None
    # child share: certified / total residential areas, share in %, required %
    certified: int | None = None
    total: int | None = None
    share: Decimal | None = None
    # indicator threshold: the approved yearly value (None when there is no approved report)
    value: Decimal | None = None

    @property
    def is_computed(self) -> bool:
        return self.criterion.is_computed


@dataclass
class Evaluation:
    outcomes: list[CriterionOutcome]

    @property
    def failing(self) -> list[CriterionOutcome]:
        return [o for o in self.outcomes if o.met is not True]

    @property
    def unanswered(self) -> list[CriterionOutcome]:
        return [o for o in self.outcomes if o.met is None and not o.is_computed]

    @property
    def result(self) -> str:
        return Result.NOT_MET if self.failing else Result.MET

    @property
    def failing_codes(self) -> str:
        return ", ".join(o.criterion.code for o in self.failing)


def residential_area_share(*, unit_id: int, kind: str, year: int) -> tuple[int, int]:
    """(residential areas of the unit certified ``kind`` in ``year``, areas existing that year).

    Two queries.
    """
    areas = [
        pk
        for pk, valid_from, valid_to in ResidentialArea.objects.filter(unit_id=unit_id).values_list(
            "pk", "valid_from", "valid_to"
        )
        if _valid_in_year(valid_from, valid_to, year)
    ]
    certified = (
        Dossier.objects.met()
        .filter(kind=kind, year=year, residential_area_id__in=areas)
        .values("residential_area_id")
        .distinct()
        .count()
    )
    return certified, len(areas)


def evaluate_dossier(dossier: Dossier) -> Evaluation:
    """The proposed result: every criterion must hold (domain.md §3).

    Yes/no criteria take the self-assessment; a share criterion counts the unit's certified
    residential areas; a threshold criterion reads the approved yearly report figure through
    ``campaigns.selectors.approved_values`` (no approved report: not met).
    """
    assessments = list(
        dossier.assessments.select_related("criterion").order_by(
            "criterion__order", "criterion__code"
        )
    )
    outcomes: list[CriterionOutcome] = []
    indicator_ids = [
        a.criterion.indicator_id
        for a in assessments
        if a.criterion.kind == CriterionKind.INDICATOR_THRESHOLD
    ]
    values: dict[tuple[int, int], Decimal] = {}
    if indicator_ids:
        from campaigns.selectors import approved_values

        values = approved_values(
            unit_ids=[dossier.unit_id], indicator_ids=indicator_ids, year=dossier.year
        )
    share_cache: tuple[int, int] | None = None
    for assessment in assessments:
        criterion = assessment.criterion
        if criterion.kind == CriterionKind.CHILD_SHARE:
            if share_cache is None:
                share_cache = residential_area_share(
                    unit_id=dossier.unit_id, kind=dossier.kind, year=dossier.year
                )
            certified, total = share_cache
            share = (Decimal(certified) * 100 / total) if total else Decimal(0)
            outcomes.append(
                CriterionOutcome(
                    criterion=criterion,
                    assessment=assessment,
                    met=bool(total) and share >= criterion.child_share_percent,
                    certified=certified,
                    total=total,
                    share=share,
                )
            )
        elif criterion.kind == CriterionKind.INDICATOR_THRESHOLD:
            value = values.get((dossier.unit_id, criterion.indicator_id))
            outcomes.append(
                CriterionOutcome(
                    criterion=criterion,
                    assessment=assessment,
                    met=value is not None and criterion.compare(value),
                    value=value,
                )
            )
        else:
            outcomes.append(
                CriterionOutcome(criterion=criterion, assessment=assessment, met=assessment.met)
            )
    return Evaluation(outcomes=outcomes)


# --- counts for pages and the dashboard -----------------------------------------------------


def certified_count(*, kind: str, holder_type: str, year: int, unit_ids: Iterable[int]) -> int:
    """How many holders of ``holder_type`` were certified ``kind`` in ``year`` (one query).

    ``unit_ids`` are the owning units (wards/communes, or the city for its own organisations).
    """
    return (
        Dossier.objects.met()
        .filter(kind=kind, holder_type=holder_type, year=year, unit_id__in=_ids(unit_ids))
        .count()
    )


def _ids(unit_ids: Iterable[int] | QuerySet) -> list[int] | QuerySet:
    """A queryset stays a subquery (thousands of units); any other iterable becomes a list."""
    return unit_ids if isinstance(unit_ids, QuerySet) else list(unit_ids)


def certified_counts(
    *, year: int, unit_ids: Iterable[int] | QuerySet
) -> dict[tuple[str, str], int]:
    """Certified holders in ``year`` keyed by (title, holder type); one query.

    ``unit_ids`` may be a queryset of unit pks (a subquery: a whole country's units)."""
    rows = (
        Dossier.objects.met()
        .filter(year=year, unit_id__in=_ids(unit_ids))
        .values("kind", "holder_type")
        .annotate(n=Count("pk"))
    )
    return {(r["kind"], r["holder_type"]): r["n"] for r in rows}


def kept_title_counts(
    *, area_id: int, years: Iterable[int]
) -> dict[int, dict[tuple[str, str], int]]:
    """year → (title, holder type) → holders, from the kept counts of an area (one query).

    The same figures as :func:`certified_counts` over the area's wards and communes that
    existed on each year's last day and the area itself, without counting dossiers."""
    years = list(years)
    result: dict[int, dict[tuple[str, str], int]] = {year: {} for year in years}
    rows = TitleCount.objects.filter(area_id=area_id, year__in=years, holders__gt=0)
    for year, kind, holder_type, n in rows.values_list("year", "kind", "holder_type", "holders"):
        result[year][(kind, holder_type)] = n
    return result


@dataclass
class OverviewYear:
    year: int
    units: int = 0
    wards: int = 0
    communes: int = 0
    areas: int = 0
    units_safe: int = 0
    units_assessed: int = 0
    wards_civilized: int = 0
    communes_rural: int = 0
    communes_rural_assessed: int = 0  # none once no rule set governs the title (TT 17 ended)
    areas_safe: int = 0
    areas_assessed: int = 0
    organizations_safe: int = 0
    organizations_assessed: int = 0


def certification_overview(*, unit_ids: Iterable[int], years: Iterable[int]) -> list[OverviewYear]:
    """Per year: wards/communes, residential areas and organisations certified, against the
    number that existed (x/y figures such as "17/17"). Three queries."""
    unit_ids = list(unit_ids)
    years = sorted(set(years), reverse=True)
    rows = {year: OverviewYear(year=year) for year in years}
    units = list(
        AdministrativeUnit.objects.filter(pk__in=unit_ids)
        .commune_level()
        .values_list("kind", "valid_from", "valid_to")
    )
    areas = list(
        ResidentialArea.objects.filter(unit_id__in=unit_ids).values_list(
            "valid_from", "valid_to", "unit__valid_from", "unit__valid_to"
        )
    )
    today = timezone.localdate()
    for row in rows.values():
        # The units of a year are those valid on its last day (today for the current year):
        # a unit merged away in November or in mid-year is not counted in "x/y".
        day = reference_day(row.year, today)
        for kind, valid_from, valid_to in units:
            if _valid_on(valid_from, valid_to, day):
                row.units += 1
                row.wards += kind in ("ward", "township")
                row.communes += kind == "commune"
        row.areas = sum(
            1
            for a_from, a_to, u_from, u_to in areas
            if _valid_on(a_from, a_to, day) and _valid_on(u_from, u_to, day)
        )
    counts = (
        Dossier.objects.filter(unit_id__in=unit_ids, year__in=years)
        .values("year", "kind", "holder_type")
        .annotate(met=Count("pk", filter=MET_Q), assessed=Count("pk"))
    )
    for c in counts:
        row = rows[c["year"]]
        kind, holder_type = c["kind"], c["holder_type"]
        if kind == CertificationKind.ANTT_SAFE:
            if holder_type == HolderType.UNIT:
                row.units_safe, row.units_assessed = c["met"], c["assessed"]
            elif holder_type == HolderType.RESIDENTIAL_AREA:
                row.areas_safe, row.areas_assessed = c["met"], c["assessed"]
            else:
                row.organizations_safe = c["met"]
                row.organizations_assessed = c["assessed"]
        elif kind == CertificationKind.CIVILIZED_URBAN:
            row.wards_civilized = c["met"]
        elif kind == CertificationKind.NEW_RURAL_CULTURE:
            row.communes_rural = c["met"]
            row.communes_rural_assessed = c["assessed"]
    return [rows[y] for y in years]


def dossier_years(*, unit_ids: Iterable[int]) -> list[int]:
    """Years that have any dossier for these units, newest first (one query)."""
    return list(
        Dossier.objects.filter(unit_id__in=list(unit_ids))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


@dataclass
class TitleCell:
    dossier_id: int
    status: str
    result: str

    @property
    def is_met(self) -> bool:
        return self.status == DossierStatus.DECIDED and self.result == Result.MET

    @property
    def pk(self) -> int:
        """So that templates link a cell and a dossier the same way."""
        return self.dossier_id


@dataclass
class UnitYear:
    """One row of a unit's history: its own titles and what its holders earned."""

    year: int
    titles: dict[str, TitleCell] = field(default_factory=dict)
    areas_total: int = 0
    areas_safe: int = 0
    areas_assessed: int = 0
    organizations_safe: int = 0
    organizations_assessed: int = 0
    classification_id: int | None = None
    classification_points: Decimal | None = None
    classification_level: str | None = None
    awards: int = 0

    @property
    def antt(self) -> TitleCell | None:
        return self.titles.get(CertificationKind.ANTT_SAFE)

    @property
    def culture(self) -> TitleCell | None:
        return self.titles.get(CertificationKind.CIVILIZED_URBAN) or self.titles.get(
            CertificationKind.NEW_RURAL_CULTURE
        )

    @property
    def areas_share(self) -> Decimal | None:
        if not self.areas_total:
            return None
        return Decimal(self.areas_safe) * 100 / self.areas_total


def unit_history(*, unit_ids: Iterable[int], years: Iterable[int]) -> dict[int, list[UnitYear]]:
    """Years × titles for each unit: its own titles, its residential areas and organisations
    certified, its movement classification and the awards it received. Six queries at most."""
    unit_ids = list(unit_ids)
    years = sorted(set(years), reverse=True)
    table = {uid: {y: UnitYear(year=y) for y in years} for uid in unit_ids}
    own = Dossier.objects.filter(holder_unit_id__in=unit_ids, year__in=years).values_list(
        "holder_unit_id", "year", "kind", "pk", "status", "result"
    )
    for unit_id, year, kind, pk, status, result in own:
        table[unit_id][year].titles[kind] = TitleCell(dossier_id=pk, status=status, result=result)
    children = (
        Dossier.objects.filter(
            unit_id__in=unit_ids,
            year__in=years,
            kind=CertificationKind.ANTT_SAFE,
            holder_type__in=[HolderType.RESIDENTIAL_AREA, HolderType.ORGANIZATION],
        )
        .values("unit_id", "year", "holder_type")
        .annotate(met=Count("pk", filter=MET_Q), assessed=Count("pk"))
    )
    for c in children:
        row = table[c["unit_id"]][c["year"]]
        if c["holder_type"] == HolderType.RESIDENTIAL_AREA:
            row.areas_safe, row.areas_assessed = c["met"], c["assessed"]
        else:
            row.organizations_safe, row.organizations_assessed = c["met"], c["assessed"]
    for unit_id, valid_from, valid_to in ResidentialArea.objects.filter(
        unit_id__in=unit_ids
    ).values_list("unit_id", "valid_from", "valid_to"):
        for row in table[unit_id].values():
            row.areas_total += _valid_in_year(valid_from, valid_to, row.year)
    sheets = list(
        MovementClassification.objects.filter(holder_unit_id__in=unit_ids, year__in=years)
        .annotate(
            own_total=Sum("scores__self_points"),
            approved_total=Sum("scores__approved_points"),
        )
        .values_list("holder_unit_id", "year", "pk", "rule_set_id", "own_total", "approved_total")
    )
    if sheets:
        thresholds = defaultdict(list)
        for t in ClassificationThreshold.objects.filter(rule_set_id__in={s[3] for s in sheets}):
            thresholds[t.rule_set_id].append(t)
        for unit_id, year, pk, rule_set_id, own_total, approved_total in sheets:
            row = table[unit_id][year]
            points = approved_total if approved_total is not None else own_total
            row.classification_id = pk
            row.classification_points = points
            row.classification_level = level_for(points, thresholds[rule_set_id])
    awards = (
        Award.objects.filter(recipient_unit_id__in=unit_ids, decision_date__year__in=years)
        .values("recipient_unit_id", "decision_date__year")
        .annotate(n=Count("pk"))
    )
    for a in awards:
        table[a["recipient_unit_id"]][a["decision_date__year"]].awards = a["n"]
    return {uid: [table[uid][y] for y in years] for uid in unit_ids}


@dataclass
class OrganizationRow:
    organization: Organization
    cells: dict[int, TitleCell] = field(default_factory=dict)
    incident_years: dict[int, list[str]] = field(default_factory=dict)

    def cell(self, year: int) -> TitleCell | None:
        return self.cells.get(year)

    def at_risk(self, year: int) -> bool:
        return year in self.incident_years


RESULT_FILTERS = ("met", "not_met", "pending", "none")


def organization_titles(
    *,
    unit_ids: Iterable[int],
    years: Iterable[int],
    year: int,
    org_kind: str = "",
    unit_id: int | None = None,
    result: str = "",
    at_risk_only: bool = False,
) -> list[OrganizationRow]:
    """Organisations with their ANTT results by year and the incidents that put them at risk.

    ``result`` filters on the result in ``year``: "met", "not_met", "pending" (dossier not yet
    decided) or "none" (no dossier). Three queries.
    """
    years = sorted(set(years) | {year}, reverse=True)
    organizations = Organization.objects.filter(unit_id__in=_ids(unit_ids)).select_related("unit")
    if org_kind:
        organizations = organizations.filter(kind=org_kind)
    if unit_id:
        organizations = organizations.filter(unit_id=unit_id)
    rows = {
        org.pk: OrganizationRow(organization=org)
        for org in organizations.order_by("unit__display_order", "unit__name", "kind", "name")
    }
    dossiers = Dossier.objects.filter(
        organization_id__in=list(rows),
        kind=CertificationKind.ANTT_SAFE,
        year__in=years,
    ).values_list("organization_id", "year", "pk", "status", "result")
    for org_id, dossier_year, pk, status, dossier_result in dossiers:
        rows[org_id].cells[dossier_year] = TitleCell(
            dossier_id=pk, status=status, result=dossier_result
        )
    incidents = Incident.objects.filter(organization_id__in=list(rows), year__in=years)
    for org_id, incident_year, kind in incidents.values_list("organization_id", "year", "kind"):
        rows[org_id].incident_years.setdefault(incident_year, []).append(
            str(Incident.Kind(kind).label)
        )

    def keep(row: OrganizationRow) -> bool:
        cell = row.cell(year)
        if at_risk_only and not row.at_risk(year):
            return False
        if result == "met":
            return cell is not None and cell.is_met
        if result == "not_met":
            return cell is not None and cell.status == DossierStatus.DECIDED and not cell.is_met
        if result == "pending":
            return cell is not None and cell.status != DossierStatus.DECIDED
        if result == "none":
            return cell is None
        return True

    return [row for row in rows.values() if keep(row)]


# --- the preparation board -------------------------------------------------------------------


@dataclass
class BoardEntry:
    """A title a holder can hold: the year's dossier, or whether one can be opened and why not."""

    kind: str
    label: str
    dossier: Dossier | None
    found: Eligibility | None


@dataclass
class BoardRow:
    holder: AdministrativeUnit | ResidentialArea | Organization
    holder_type: str
    entries: list[BoardEntry]


def preparation_board(user, *, year: int, unit_id: int | None = None) -> list[BoardRow]:
    """The holders ``user`` prepares dossiers for in ``year`` (only of ``unit_id`` if given), each
    with every title that applies to it: its dossier of the year, else its eligibility.

    Only holders of units valid in the year that still exist today (wards.periods), and active
    organisations. Six queries whatever the number of holders: the units, the residential areas,
    the organisations, the year's dossiers, the rule sets in force and their exclusions (and for
    an official, one more: whether the account is limited to some residential areas).
    """
    day = reference_day(year)
    current = open_units(year)
    units = open_units(year, qs=AdministrativeUnit.objects.editable_by(user).commune_level())
    areas = (
        ResidentialArea.objects.editable_by(user)
        .filter(unit__in=current)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("unit")
    )
    organizations = (
        Organization.objects.editable_by(user).filter(unit__in=current).select_related("unit")
    )
    if unit_id is not None:
        units = units.filter(pk=unit_id)
        areas = areas.filter(unit_id=unit_id)
        organizations = organizations.filter(unit_id=unit_id)
    holders = [
        *units.order_by("display_order", "name"),
        *areas.order_by("unit__display_order", "name"),
        *organizations.filter(is_active=True).order_by("unit__display_order", "kind", "name"),
    ]
    existing = {
        (d.holder_type, d.holder_unit_id or d.residential_area_id or d.organization_id, d.kind): d
        for d in Dossier.objects.editable_by(user).filter(year=year)
    }
    rule_sets = list(
        RuleSet.objects.in_force_on(datetime.date(year, 11, 15)).prefetch_related("exclusions")
    )
    rows = []
    for holder in holders:
        holder_type = holder_type_of(holder)
        unit_kind = holder.kind if holder_type == HolderType.UNIT else None
        entries = []
        for kind, label in CertificationKind.choices:
            if not kind_applies_to(kind, holder_type, unit_kind):
                continue
            dossier = existing.get((holder_type, holder.pk, kind))
            found = None
            if dossier is None:
                found = eligibility(holder=holder, kind=kind, year=year, rule_sets=rule_sets)
            entries.append(BoardEntry(kind=kind, label=label, dossier=dossier, found=found))
        rows.append(BoardRow(holder=holder, holder_type=holder_type, entries=entries))
    return rows


# --- what is due, for the home page -----------------------------------------------------------


def dossiers_in_preparation(user) -> list[Dossier]:
    """Dossiers ``user`` may edit that are not yet submitted (one query)."""
    return list(
        Dossier.objects.editable_by(user)
        .filter(status=DossierStatus.DRAFT)
        .select_related("unit", "holder_unit", "residential_area", "organization")
        .order_by("-year", "holder_type", "pk")[:20]
    )


def holders_without_dossier(user, *, year: int) -> int:
    """How many of ``user``'s holders have no ANTT dossier for ``year`` (three queries).

    Holders whose unit did not exist that year are not counted.
    """
    units = (
        AdministrativeUnit.objects.editable_by(user)
        .commune_level()
        .valid_on(datetime.date(year, 12, 31))
    )
    unit_ids = list(units.values_list("pk", flat=True))
    if not unit_ids:
        return 0
    day = reference_day(year)
    have = set(
        Dossier.objects.filter(
            unit_id__in=unit_ids, year=year, kind=CertificationKind.ANTT_SAFE
        ).values_list("holder_type", "holder_unit_id", "residential_area_id", "organization_id")
    )
    have_keys = {(t, u or a or o) for t, u, a, o in have}
    areas = (
        ResidentialArea.objects.editable_by(user)
        .filter(unit_id__in=unit_ids)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    )
    missing = sum((HolderType.UNIT, uid) not in have_keys for uid in unit_ids)
    missing += sum(
        (HolderType.RESIDENTIAL_AREA, pk) not in have_keys
        for pk in areas.values_list("pk", flat=True)
    )
    return missing


def latest_city_summary(user) -> OverviewYear | None:
    """The figures of the latest year with a decided dossier in ``user``'s scope (five queries)."""
    unit_ids = list(AdministrativeUnit.objects.visible_to(user).values_list("pk", flat=True))
    # The latest year per unit, then the latest of those: a plain MAX(year) would walk the year
    # index past every other unit's dossiers (the whole country's) before reaching the city's.
    year = max(
        Dossier.objects.filter(unit_id__in=unit_ids, status=DossierStatus.DECIDED)
        .values("unit_id")
        .annotate(latest=Max("year"))
        .order_by()
        .values_list("latest", flat=True),
        default=None,
    )
    if year is None:
        return None
    return certification_overview(unit_ids=unit_ids, years=[year])[0]


def dossiers_awaiting_decision(user, *, limit: int = 10) -> tuple[int, list[Dossier]]:
    """(how many, the oldest few) submitted dossiers ``user`` may decide; two queries."""
    if not permissions.can_decide_dossiers(user):
        return 0, []
    qs = Dossier.objects.visible_to(user).filter(status=DossierStatus.SUBMITTED)
    first = list(
        qs.select_related("unit", "holder_unit", "residential_area", "organization").order_by(
            "submitted_at", "pk"
        )[:limit]
    )
    return qs.count(), first
