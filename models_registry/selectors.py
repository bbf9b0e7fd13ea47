"""Read-side questions about the registry: the one counting rule and every total built on it.

THE COUNTING RULE, used by the registry page, a model's page, the unit pages and the dashboard:

1. A model counts **once**, however many sites it has.
2. A model counts on a date if it had **started** by then and had **not been retired**
   (``retired_on`` is the first day it no longer runs).
3. A site counts on a date if it is **active** then (started, not retired) and its model counts.
4. A site counts in its unit **as that unit stood on the date**: units merged or renamed since the
   site was founded are followed to their successors (:class:`wards.selectors.Succession`); a site
   whose unit had gone with no recorded successor is not counted. A site of a unit that was split
   covers every successor, but its households, cameras and funding are added to one of them only
   (the lowest id) so that totals never count them twice.
5. Coverage "x/y đơn vị": x = units with at least one counted site of the model; y = the wards and
   communes that existed on the date (or the given set of units).

Every function here takes ``as_of`` and optionally a set of unit ids, and runs a constant number of
queries whatever the number of models, sites and units.
"""

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from models_registry import counts
from models_registry.models import ExemplaryYear, ModelSite, PreventionModel, SiteEvaluation
from wards.models import AdministrativeUnit
from wards.selectors import Succession

COUNTING_RULE = _(
    "How models are counted: a model counts once, however many sites it has; it counts on a date "
    "if it had started by then and had not been retired. A site counts if it was active on that "
    "date. Units merged since then are counted as their successors."
)

# Before any model is registered the year filter still offers this first year.
FIRST_YEAR_FALLBACK = 2015


# Vietnamese alphabetical order: a ă â b c d đ e ê … o ô ơ … u ư; tones only break ties.
_LETTER_MARKS = {"\u0306": "1", "\u0302": "2", "\u031b": "3"}  # breve, circumflex, horn
_TONE_MARKS = {"\u0300": "2", "\u0301": "4", "\u0303": "3", "\u0309": "1", "\u0323": "5"}


def vietnamese_sort_key(text: str) -> tuple[str, str]:
    """Sort key in Vietnamese alphabetical order ("Ấp…" with the A's, "Đội…" after "Dòng…").

    Neither SQLite nor a PostgreSQL built without ICU collates Vietnamese, so lists of names
    are sorted with this key in Python.
    """
    letters: list[list[str]] = []  # [base letter, rank]: ă, â after a; đ after d; ô, ơ after o
    tones: list[str] = []
    for char in unicodedata.normalize("NFD", text.casefold()):
        if char in _LETTER_MARKS and letters:
            letters[-1][1] = _LETTER_MARKS[char]
        elif char in _TONE_MARKS:
            tones.append(_TONE_MARKS[char])
        elif char == "đ":
            letters.append(["d", "4"])
        else:
            letters.append([char, "0" if char.isalpha() else ""])
            tones.append("0")
    return "".join(base + rank for base, rank in letters), "".join(tones)


def fold_vietnamese(text: str) -> str:
    """Lower case without diacritics ("Tổ tự quản" → "to tu quan"), for searches typed so."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def as_of_for_year(year: int, today: datetime.date | None = None) -> datetime.date:
    """The day a year's figures are taken on: 31 December, or today for the current year."""
    today = today or timezone.localdate()
    return datetime.date(year, 12, 31) if year < today.year else today


@dataclass(frozen=True)
class RegistryYears:
    first: int
    default: int
    last: int

    @property
    def choices(self) -> list[int]:
        return list(range(self.last, self.first - 1, -1))


def registry_years(today: datetime.date | None = None) -> RegistryYears:
    """Years the registry can be read for, and the default: the latest year with data.

    "Latest year with data" is the latest year a site started or a site was graded in, never
    after this year. On data of 2015–2020 it opens the page on 2020; once something is
    registered this year it opens on this year. Two queries.
    """
    today = today or timezone.localdate()
    starts = ModelSite.objects.aggregate(first=Min("start_date"), last=Max("start_date"))
    graded = SiteEvaluation.objects.aggregate(last=Max("year"))["last"]
    first = starts["first"].year if starts["first"] else min(FIRST_YEAR_FALLBACK, today.year)
    candidates = [y for y in (starts["last"] and starts["last"].year, graded) if y]
    default = min(max(candidates), today.year) if candidates else today.year
    return RegistryYears(first=min(first, default), default=default, last=today.year)


def counted_models(as_of: datetime.date) -> QuerySet[PreventionModel]:
    """Models that count on ``as_of`` (rule 2)."""
    return PreventionModel.objects.counted_on(as_of)


def unit_universe(
    as_of: datetime.date, units: Iterable[int] | None = None
) -> list[AdministrativeUnit]:
    """The wards and communes that existed on ``as_of`` (the "y" of coverage), in display order."""
    qs = AdministrativeUnit.objects.valid_on(as_of).commune_level()
    if units is not None:
        qs = qs.filter(pk__in=list(units))
    return list(qs.order_by("display_order", "name"))


@dataclass(frozen=True)
class CountedSite:
    id: int
    model_id: int
    unit_ids: tuple[int, ...]  # the units it counts in on the date (rule 4), lowest id first
    households: int
    members: int
    teams: int
    cameras: int
    funding_state: int
    funding_socialized: int

    @property
    def primary_unit_id(self) -> int:
        return self.unit_ids[0]


@dataclass(frozen=True)
class Coverage:
    """A model's reach on a date: "covered/unit_total đơn vị" and its active sites."""

    model_id: int
    as_of: datetime.date
    site_count: int
    unit_ids: frozenset[int]
    unit_total: int

    @property
    def covered(self) -> int:
        return len(self.unit_ids)

    @property
    def is_complete(self) -> bool:
        return self.unit_total > 0 and self.covered >= self.unit_total


@dataclass
class Totals:
    """Sums over counted sites: used per unit, per model and for the whole city."""

    model_ids: set[int] = field(default_factory=set)
    sites: int = 0
    camera_sites: int = 0
    households: int = 0
    members: int = 0
    teams: int = 0
    cameras: int = 0
    funding_state: int = 0
    funding_socialized: int = 0
    # The funding of the camera sites only (sites with at least one camera): what the
    # "cameras per unit" page shows beside the cameras, not the unit's other models' money.
    camera_funding_state: int = 0
    camera_funding_socialized: int = 0

    @property
    def models(self) -> int:
        return len(self.model_ids)

    @property
    def funding_total(self) -> int:
        return self.funding_state + self.funding_socialized

    def add(self, site: CountedSite) -> None:
        self.model_ids.add(site.model_id)
        self.sites += 1
        self.camera_sites += 1 if site.cameras else 0
        self.households += site.households
        self.members += site.members
        self.teams += site.teams
        self.cameras += site.cameras
        self.funding_state += site.funding_state
        self.funding_socialized += site.funding_socialized
        if site.cameras:
            self.camera_funding_state += site.funding_state
            self.camera_funding_socialized += site.funding_socialized


@dataclass
class Snapshot:
    """Every counted site on ``as_of``, with the units it counts in; loaded once."""

    as_of: datetime.date
    units: list[AdministrativeUnit]
    sites: list[CountedSite]

    @property
    def unit_total(self) -> int:
        return len(self.units)

    def coverage(self, model_id: int) -> Coverage:
        own = [s for s in self.sites if s.model_id == model_id]
        return Coverage(
            model_id=model_id,
            as_of=self.as_of,
            site_count=len(own),
            unit_ids=frozenset(u for s in own for u in s.unit_ids),
            unit_total=self.unit_total,
        )

    def coverage_by_model(self, model_ids: Iterable[int]) -> dict[int, Coverage]:
        by_model: dict[int, list[CountedSite]] = defaultdict(list)
        for site in self.sites:
            by_model[site.model_id].append(site)
        return {
            mid: Coverage(
                model_id=mid,
                as_of=self.as_of,
                site_count=len(by_model[mid]),
                unit_ids=frozenset(u for s in by_model[mid] for u in s.unit_ids),
                unit_total=self.unit_total,
            )
            for mid in model_ids
        }

    def totals(self, model_id: int | None = None) -> Totals:
        totals = Totals()
        for site in self.sites:
            if model_id is None or site.model_id == model_id:
                totals.add(site)
        return totals

    def per_unit(self) -> list[tuple[AdministrativeUnit, Totals]]:
        """Each unit of the universe with the totals of the sites counted in it (rule 4)."""
        by_unit: dict[int, Totals] = {u.pk: Totals() for u in self.units}
        for site in self.sites:
            for unit_id in site.unit_ids:
                totals = by_unit[unit_id]
                if unit_id == site.primary_unit_id:
                    totals.add(site)
                else:  # a split unit: the model is there, its figures are counted once elsewhere
                    totals.model_ids.add(site.model_id)
        return [(u, by_unit[u.pk]) for u in self.units]


def snapshot(
    as_of: datetime.date,
    *,
    units: Iterable[int] | None = None,
    models: Iterable[int] | None = None,
) -> Snapshot:
    """Load the counted sites on ``as_of`` (rules 2–4), optionally of some units or models.

    Three to five queries: the units, the succession of units (one more, two when changes
    exist) and the sites.
    """
    universe = unit_universe(as_of, units)
    universe_ids = {u.pk for u in universe}
    succession = Succession.on(as_of)
    sites_qs = ModelSite.objects.counted_on(as_of)
    if units is not None:
        # Only sites of the universe's units, or of units gone by then (their successors may be
        # in the universe, rule 4): the database filters, not this loop.
        sites_qs = sites_qs.filter(Q(unit_id__in=universe_ids) | Q(unit__valid_to__lt=as_of))
    if models is not None:
        sites_qs = sites_qs.filter(model_id__in=list(models))
    rows = sites_qs.order_by("pk").values_list(
        "pk",
        "model_id",
        "unit_id",
        "households",
        "members",
        "teams",
        "cameras",
        "funding_state",
        "funding_socialized",
    )
    counted: list[CountedSite] = []
    resolved: dict[int, tuple[int, ...]] = {}
    for pk, model_id, unit_id, households, members, teams, cameras, state, social in rows:
        if unit_id not in resolved:
            resolved[unit_id] = tuple(sorted(succession.resolve(unit_id) & universe_ids))
        unit_ids = resolved[unit_id]
        if not unit_ids:
            continue
        counted.append(
            CountedSite(
                id=pk,
                model_id=model_id,
                unit_ids=unit_ids,
                households=households,
                members=members,
                teams=teams,
                cameras=cameras,
                funding_state=state,
                funding_socialized=social,
            )
        )
    return Snapshot(as_of=as_of, units=universe, sites=counted)


# --- the registry's list ----------------------------------------------------------------------


class StatusFilter:
    COUNTED = "counted"
    RETIRED = "retired"
    ALL = "all"
    CHOICES = [
        (COUNTED, _("Running (counted)")),
        (RETIRED, _("Retired")),
        (ALL, _("All")),
    ]


@dataclass(frozen=True)
class RegistryFilters:
    q: str
    category: str
    unit: AdministrativeUnit | None
    status: str
    grade: str
    year: int

    @property
    def is_default(self) -> bool:
        return not (self.q or self.category or self.unit or self.grade) and (
            self.status == StatusFilter.COUNTED
        )


def registry_models(user, *, filters: RegistryFilters, snap: Snapshot) -> list[PreventionModel]:
    """The models ``user`` may read that pass ``filters`` on ``snap``'s date, in Vietnamese
    alphabetical order. One query (the unit filter reuses the snapshot's counted sites).

    The unit filter keeps a model counted in the unit on the date (merged units followed to their
    successors, rule 4) or that ever had a site in that very unit; the grade filter, a model with
    a site given that grade (confirmed) in the filters' year.
    """
    as_of = snap.as_of
    models = PreventionModel.objects.readable_by(user).select_related("origin_unit")
    if filters.status == StatusFilter.COUNTED:
        models = models.counted_on(as_of)
    elif filters.status == StatusFilter.RETIRED:
        models = models.retired_by(as_of)
    if filters.category:
        models = models.filter(category=filters.category)
    if filters.unit:
        counted_here = {s.model_id for s in snap.sites if filters.unit.pk in s.unit_ids}
        models = models.filter(Q(pk__in=counted_here) | Q(sites__unit=filters.unit)).distinct()
    if filters.grade:
        graded = SiteEvaluation.objects.confirmed().filter(year=filters.year, grade=filters.grade)
        models = models.filter(pk__in=graded.values("site__model_id"))
    # A city has tens of models: searched and sorted in Python, so that "to tu quan" finds
    # "Tổ tự quản" and "Đội…" comes after "Dòng…" (neither database collates Vietnamese).
    ordered = sorted(models, key=lambda m: vietnamese_sort_key(m.name))
    if filters.q:
        needle = fold_vietnamese(filters.q)
        ordered = [
            m for m in ordered if needle in fold_vietnamese(f"{m.name} {m.description} {m.slug}")
        ]
    return ordered


def count_models(as_of: datetime.date, units: Iterable[int] | None = None) -> int:
    """How many models count on ``as_of`` (a model with 17 sites is one model).

    Without ``units``: every model that counts (rule 2), one query. With a set of unit ids: the
    models with at least one counted site in those units (rules 3–4).
    """
    if units is None:
        return counted_models(as_of).count()
    return len({site.model_id for site in snapshot(as_of, units=units).sites})


def model_coverage(
    model: PreventionModel, as_of: datetime.date, units: Iterable[int] | None = None
) -> Coverage:
    """A model's coverage on ``as_of``: e.g. 17 sites in 17 of 17 units."""
    return snapshot(as_of, units=units, models=[model.pk]).coverage(model.pk)


def coverage_by_model(
    model_ids: Iterable[int], as_of: datetime.date, units: Iterable[int] | None = None
) -> dict[int, Coverage]:
    """Coverage of several models at once (the registry list), in constant queries."""
    model_ids = list(model_ids)
    return snapshot(as_of, units=units, models=model_ids).coverage_by_model(model_ids)


def camera_totals_by_unit(
    as_of: datetime.date, units: Iterable[int] | None = None
) -> list[tuple[AdministrativeUnit, Totals]]:
    """Cameras, camera sites and funding per unit on ``as_of``, every unit listed."""
    return snapshot(as_of, units=units).per_unit()


def funding_totals(
    as_of: datetime.date,
    *,
    units: Iterable[int] | None = None,
    models: Iterable[int] | None = None,
) -> Totals:
    """State and xã hội hóa funding (and cameras, households…) of the counted sites."""
    return snapshot(as_of, units=units, models=models).totals()


@dataclass(frozen=True)
class RegistrySummary:
    """What the dashboard shows about the registry for a date and a set of units."""

    as_of: datetime.date
    models: int
    sites: int
    units_covered: int
    unit_total: int
    cameras: int
    funding_state: int
    funding_socialized: int

    @property
    def funding_total(self) -> int:
        return self.funding_state + self.funding_socialized


def registry_summary(
    as_of: datetime.date, units: Iterable[int] | QuerySet | None = None
) -> RegistrySummary:
    """Models, sites, units covered, cameras and funding on ``as_of``, in constant queries.

    ``models`` follows :func:`count_models`: every counted model for the whole city, or the
    models with a counted site in ``units`` when a set of units is given. ``units`` may be a
    queryset of unit pks (a whole country: it stays a subquery).
    """
    in_sql = _summary_in_sql(as_of, units)
    if in_sql is not None:
        return in_sql
    snap = snapshot(as_of, units=list(units) if units is not None else None)
    totals = snap.totals()
    models = count_models(as_of) if units is None else totals.models
    return RegistrySummary(
        as_of=as_of,
        models=models,
        sites=totals.sites,
        units_covered=len({u for s in snap.sites for u in s.unit_ids}),
        unit_total=snap.unit_total,
        cameras=totals.cameras,
        funding_state=totals.funding_state,
        funding_socialized=totals.funding_socialized,
    )


def _summary_in_sql(
    as_of: datetime.date, units: Iterable[int] | QuerySet | None
) -> RegistrySummary | None:
    """The same summary computed by the database, when rule 4 changes nothing.

    That is when no site that could count belongs to a unit that a change had turned into
    another by ``as_of``: then every site counts in its own unit, and counting is plain SQL
    (the national scale). Otherwise ``None``, and :func:`snapshot` follows the successions.
    Three queries.
    """
    universe = AdministrativeUnit.objects.valid_on(as_of).commune_level()
    if units is not None:
        universe = universe.filter(pk__in=units if isinstance(units, QuerySet) else list(units))
    moved = Succession.on(as_of).moved_unit_ids()
    counted = ModelSite.objects.counted_on(as_of)
    if (
        moved
        and counted.filter(unit_id__in=moved)
        .filter(Q(unit__in=universe.values("pk")) | Q(unit__valid_to__lt=as_of))
        .exists()
    ):
        return None
    totals = counted.filter(unit__in=universe.values("pk")).aggregate(
        sites=Count("pk"),
        models=Count("model", distinct=True),
        units_covered=Count("unit", distinct=True),
        cameras=Sum("cameras"),
        funding_state=Sum("funding_state"),
        funding_socialized=Sum("funding_socialized"),
    )
    return RegistrySummary(
        as_of=as_of,
        models=count_models(as_of) if units is None else totals["models"],
        sites=totals["sites"],
        units_covered=totals["units_covered"],
        unit_total=universe.count(),
        cameras=totals["cameras"] or 0,
        funding_state=totals["funding_state"] or 0,
        funding_socialized=totals["funding_socialized"] or 0,
    )


def kept_registry_totals(*, area_id: int, year: int) -> tuple[int, int, int] | None:
    """(models, sites, cameras) counted in an area on 31 December of ``year``, from the kept
    changes (:mod:`models_registry.counts`): what :func:`registry_summary` counts over the
    area's wards and communes of that day. ``None`` when a reorganisation moved a counted site
    by then (rule 4 puts it in its successor: count them instead). Three queries."""
    as_of = datetime.date(year, 12, 31)
    moved = Succession.on(as_of).moved_unit_ids()
    if moved and ModelSite.objects.counted_on(as_of).filter(unit_id__in=moved).exists():
        return None
    return counts.totals(area_id=area_id, year=year)


def grade_counts(model_ids: Iterable[int], year: int) -> dict[int, dict[str, int]]:
    """Confirmed grades of each model's sites in ``year``: {model id: {grade: number}}."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        SiteEvaluation.objects.confirmed()
        .filter(year=year, site__model_id__in=list(model_ids))
        .values_list("site__model_id", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for model_id, grade, n in rows:
        counts[model_id][grade] = n
    return counts


@dataclass(frozen=True)
class GradeCell:
    year: int
    running: bool
    evaluation: SiteEvaluation | None


def grade_matrix(
    sites: list[ModelSite], evaluations: Iterable[SiteEvaluation], last_year: int
) -> tuple[list[int], list[tuple[ModelSite, list[GradeCell]]]]:
    """A table of sites × years for a model's page, from already loaded rows (no query).

    Years run from the earliest site's start to ``last_year`` (or the latest graded year).
    ``running`` says whether the site ran that year, so an empty cell reads as "not graded".
    """
    evaluations = list(evaluations)
    by_key = {(e.site_id, e.year): e for e in evaluations}
    if not sites:
        return [], []
    first = min(s.start_date.year for s in sites)
    last = max([last_year, *(e.year for e in evaluations)])
    years = list(range(max(first, last - 15), last + 1))
    rows = []
    for site in sites:
        cells = []
        for year in years:
            running = site.start_date.year <= year and (
                site.retired_on is None or site.retired_on.year >= year
            )
            cells.append(GradeCell(year, running, by_key.get((site.pk, year))))
        rows.append((site, cells))
    return years, rows


@dataclass(frozen=True)
class Exemplary:
    """A model named exemplary in some years of a period, and where it ran at the period's end."""

    model: PreventionModel
    years: tuple[int, ...]
    unit_names: tuple[str, ...]
    funding_state: int
    funding_socialized: int

    @property
    def units_covered(self) -> int:
        return len(self.unit_names)

    @property
    def mostly_socialized(self) -> bool:
        """Funded mainly by residents' and businesses' contributions (xã hội hóa)."""
        return self.funding_socialized > self.funding_state


def exemplary_models(
    *, years: Iterable[int], as_of: datetime.date, units: Iterable[int] | QuerySet
) -> list[Exemplary]:
    """Models named exemplary in any of ``years`` that have a counted site on ``as_of`` in
    ``units`` (ids or a queryset of pks), by name. Two queries."""
    years = list(years)
    designations: dict[int, list[int]] = defaultdict(list)
    models: dict[int, PreventionModel] = {}
    for row in ExemplaryYear.objects.filter(year__in=years).select_related("model"):
        designations[row.model_id].append(row.year)
        models[row.model_id] = row.model
    if not designations:
        return []
    unit_filter = units if isinstance(units, QuerySet) else list(units)
    sites: dict[int, list] = defaultdict(list)
    for model_id, name, state, socialized in (
        ModelSite.objects.counted_on(as_of)
        .filter(model_id__in=list(designations), unit__in=unit_filter)
        .values_list("model_id", "unit__name", "funding_state", "funding_socialized")
        .order_by("unit__display_order", "unit__name")
    ):
        sites[model_id].append((name, state, socialized))
    return [
        Exemplary(
            model=models[model_id],
            years=tuple(sorted(designations[model_id])),
            unit_names=tuple(dict.fromkeys(name for name, _s, _x in sites[model_id])),
            funding_state=sum(s for _n, s, _x in sites[model_id]),
            funding_socialized=sum(x for _n, _s, x in sites[model_id]),
        )
        for model_id in sorted(designations, key=lambda m: models[m].name)
        if sites.get(model_id)
    ]
