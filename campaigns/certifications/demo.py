"""Demonstration titles, classification, awards and Ngày hội (``manage.py load_demo``).

Agrees with the seed article (domain.md §9) for 2020: 17/17 wards and communes "An toàn về
ANTT" (each with at least 70% of its residential areas certified, so the TT 23 share criterion
holds), exactly 46 agencies, enterprises and schools certified, 11 wards "văn minh đô thị" and
6 communes "văn hóa nông thôn mới". 2015–2019 climb towards those figures. The years go on to
today: 2021–2024 decided for the old units (from 2024 without Phường 3, 7, 8, merged away on
30/11/2024), 2025 for the five wards of Đồng Tháp, and 2026 in progress (assessed in November –
December: some dossiers decided, some awaiting a decision, some being prepared, some not
started). Each year uses the rule set in force (TT 23/2012 for 2021, TT 124/2021 from 2022 with
its exclusions; "văn hóa nông thôn mới" ends with TT 17/2011 at the end of 2022). Records of
2015–2024 are decided by the former city police (``approver-tp``), from 2025 by the provincial
police (``approver``). Names, decision numbers and scores are plausible inventions [I]; the
notes say so.

Deterministic, and idempotent: organisations, people, awards, Ngày hội and incidents are
updated in place; the demo years' dossiers and scoring sheets of the demo units are rebuilt on
every run (work done by hand on them in a demo database is reset).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.certifications import selectors
from campaigns.certifications.models import (
    Award,
    CertificationKind,
    ClassificationScore,
    Criterion,
    CriterionAssessment,
    CriterionKind,
    Dossier,
    DossierStatus,
    FestivalDay,
    HolderType,
    Incident,
    MovementClassification,
    Person,
    Result,
    RuleSet,
    ScoringItem,
    holder_kind_of,
)
from campaigns.certifications.seed import seed_rule_sets
from campaigns.certifications.selectors import eligibility
from models_registry.models import ModelSite
from wards import demo as wards_demo
from wards.demo import NEW_WARDS, OLD_UNITS
from wards.models import AdministrativeUnit, Organization, ResidentialArea, User

D = datetime.date
YEARS = list(range(2015, 2021))
RECENT_YEARS = list(range(2021, 2026))  # decided
OPEN_YEAR = 2026  # in progress: assessed in November – December 2026
ALL_YEARS = [*YEARS, *RECENT_YEARS, OPEN_YEAR]
DEMO_NOTE = "[I] Dữ liệu minh họa."
UNIT_SLUGS = [slug for slug, *_ in OLD_UNITS]
NEW_SLUGS = [slug for slug, *_ in NEW_WARDS]
# From 2025 the district level is gone: [I] the province recognises the wards' titles.
PROVINCE_COMMITTEE = "Ủy ban nhân dân tỉnh Đồng Tháp"
WARDS = [slug for slug, _name, kind, _code in OLD_UNITS if kind == "ward"]
COMMUNES = [slug for slug, _name, kind, _code in OLD_UNITS if kind == "commune"]

# Wards/communes that were not certified "An toàn về ANTT" in a year: 14/17 in 2015 … 17/17.
UNITS_NOT_SAFE = {
    2015: {"phuong-3", "phuong-8", "phuoc-thanh"},
    2016: {"phuong-8", "phuoc-thanh"},
    2017: {"phuong-8"},
    2018: {"trung-an"},
    2019: set(),
    2020: set(),
}
# Culture titles: 8 → 11 wards and 4 → 6 communes ("giữ vững 11 phường, 6 xã" by 2020).
WARDS_NOT_CIVILIZED = {
    2015: {"phuong-3", "phuong-8", "tan-long"},
    2016: {"phuong-8", "tan-long"},
    2017: {"phuong-8"},
}
COMMUNES_NOT_RURAL = {2015: {"phuoc-thanh", "thoi-son"}, 2016: {"phuoc-thanh"}}
# 2021–2025: units not certified ANTT, wards not "văn minh đô thị", communes not "văn hóa".
RECENT_NOT_SAFE = {2022: {"phuong-10"}, 2024: {"phuoc-thanh"}}
RECENT_NOT_CIVILIZED = {2021: {"tan-long"}, 2025: {"phuong-trung-an"}}
RECENT_NOT_RURAL = {2022: {"phuoc-thanh"}}
# 2026, the year in progress: the wards' own dossiers (ANTT, văn minh đô thị) by status;
# a ward not named has not started. Residential areas are decided by 20/11, except those of
# Phường Trung An (awaiting); organisations by 30/11, except a few awaiting or in preparation.
OPEN_UNIT_DOSSIERS = {
    CertificationKind.ANTT_SAFE: {
        "phuong-my-tho": DossierStatus.DRAFT,
        "phuong-thoi-son": DossierStatus.SUBMITTED,
        "phuong-dao-thanh": DossierStatus.SUBMITTED,
        "phuong-my-phong": DossierStatus.DRAFT,
    },
    CertificationKind.CIVILIZED_URBAN: {"phuong-thoi-son": DossierStatus.SUBMITTED},
}
OPEN_AREAS_AWAITING = {"phuong-trung-an"}
OPEN_AREAS_NOT_STARTED = {("phuong-my-tho", "Khu phố 15")}  # late: no 2026 dossier yet
# 2026 scoring sheets: approved by nobody yet; submitted, self-scoring or not started.
OPEN_SHEETS = {
    "phuong-my-tho": "submitted",
    "phuong-thoi-son": "submitted",
    "phuong-dao-thanh": "draft",
}

# Organisations added to the foundation's list: (unit slug, kind, name, school level, size).
EXTRA_ORGANIZATIONS = [
    ("phuong-2", "agency", "Chi cục Thuế TP. Mỹ Tho", "", ""),
    ("phuong-3", "enterprise", "Công ty TNHH Xây dựng Phường 3", "", "medium"),
    ("phuong-4", "agency", "Bưu điện TP. Mỹ Tho", "", ""),
    ("phuong-7", "enterprise", "Công ty TNHH Điện máy Mỹ Tho", "", "small"),
    ("phuong-8", "school", "Trường Tiểu học Phường 8", "primary", ""),
    ("trung-an", "enterprise", "Công ty TNHH Giày da Trung An", "", "large"),
]
# Never assessed in the demo: the police is the standing office; the others did not apply.
NO_DOSSIER = {
    "Công an TP. Mỹ Tho",
    "Ban Chỉ huy Quân sự TP. Mỹ Tho",
    "Cơ sở Cơ khí Phường 8",
    "Hợp tác xã Du lịch Cồn Thới Sơn",
    "Công ty TNHH Điện máy Mỹ Tho",
    "Trường Tiểu học Phường 8",
}
# Assessed in 2020 but not certified: (name, criterion failed, incident kind or None).
NOT_MET_2020 = {
    "Công ty TNHH May mặc Phường 4": (
        "labour_accident",
        "Tai nạn lao động nghiêm trọng tại xưởng may.",
    ),
    "Công ty TNHH Gạch ngói Đạo Thạnh": ("fire_explosion", "Cháy lò nung gạch, thiệt hại lớn."),
    "Trường THCS Phường 7": ("school_violence", "Vụ học sinh đánh nhau gây thương tích."),
    "Công ty TNHH Giày da Trung An": ("illegal_strike", "Ngừng việc tập thể không đúng pháp luật."),
    "Hợp tác xã Vận tải thủy Tân Long": (None, ""),
    "Công ty TNHH Cơ khí Phước Thạnh": (None, ""),
}
ORGANIZATIONS_MET_2020 = 46
# Organisations certified each year, climbing to the article's 46.
ORGANIZATIONS_MET = {2015: 30, 2016: 34, 2017: 38, 2018: 41, 2019: 44, 2020: 46}
# The six not certified in 2020 had held the title in 2018 and 2019.
LOST_IN_2020_HELD = (2018, 2019)

EXCELLENT, GOOD, AVERAGE = Decimal("0.94"), Decimal("0.80"), Decimal("0.62")


def _q1_day(year: int, index: int) -> datetime.date:
    return D(year, 1 + index % 3, 5 + index % 20)


def _wards_demo_organizations(units) -> None:
    for slug, kind, name, school_level, size in EXTRA_ORGANIZATIONS:
        Organization.objects.update_or_create(
            unit=units[slug],
            name=name,
            defaults={"kind": kind, "school_level": school_level, "enterprise_size": size},
        )
    # Carry these over to the five wards too, as the foundation does with its own.
    wards_demo.load_organizations(units)


def _units_of_year(units, year: int) -> list[AdministrativeUnit]:
    """The wards/communes that make a year's dossiers: those valid on its last day."""
    day = D(year, 12, 31)
    return [units[s] for s in [*UNIT_SLUGS, *NEW_SLUGS] if units[s].is_valid_on(day)]


def _decider(users, year: int):
    """The former city police decided up to 2024; the provincial police from 2025."""
    return users["approver-tp"] if year <= 2024 else users["approver"]


class _Builder:
    """Collects dossiers and their assessment rows, then writes them in a few bulk inserts."""

    def __init__(self, rule_sets: dict[str, RuleSet], approver, officials, users=None):
        self.criteria: dict[tuple[int, str], list[Criterion]] = {}
        for criterion in Criterion.objects.filter(rule_set__in=rule_sets.values()).order_by(
            "order"
        ):
            self.criteria.setdefault((criterion.rule_set_id, criterion.holder_kind), []).append(
                criterion
            )
        self.rule_sets = rule_sets
        self.approver = approver
        self.officials = officials
        self.users = users or {}
        self.all_rule_sets = list(RuleSet.objects.prefetch_related("exclusions"))
        self.items: list[tuple[Dossier, dict[str, bool]]] = []
        self.sequence = 0

    def add(
        self,
        *,
        holder,
        kind: str,
        year: int,
        rule_set: RuleSet,
        met: bool,
        failing: str = "",
        status: str = DossierStatus.DECIDED,
        issuing_body: str,
        decided_on: datetime.date,
        decided_by=None,
    ) -> None:
        self.sequence += 1
        dossier = Dossier(kind=kind, year=year, rule_set=rule_set, status=status)
        dossier.set_holder(holder)
        dossier.registered_on = _q1_day(year, self.sequence)
        dossier.created_by = self.officials.get(dossier.unit.slug)
        dossier.proposed_result = Result.MET if met else Result.NOT_MET
        if status != DossierStatus.DRAFT:
            dossier.submitted_by = dossier.created_by
            dossier.submitted_at = timezone.make_aware(
                datetime.datetime.combine(
                    decided_on - datetime.timedelta(days=10), datetime.time(9)
                )
            )
        if status == DossierStatus.DECIDED:
            dossier.result = Result.MET if met else Result.NOT_MET
            dossier.decision_number = f"{100 + self.sequence % 900}/QĐ-UBND"
            dossier.decision_date = decided_on
            dossier.issuing_body = issuing_body
            dossier.certificate_number = f"{self.sequence:04d}/GCN-{year}" if met else ""
            dossier.decided_by = decided_by or self.approver
            dossier.decided_at = dossier.submitted_at + datetime.timedelta(days=10)
        answers = {} if met else {failing: False}
        self.items.append((dossier, answers))

    def write(self) -> None:
        dossiers = Dossier.objects.bulk_create([d for d, _ in self.items], batch_size=500)
        rows = []
        for dossier, answers in zip(dossiers, (a for _, a in self.items), strict=True):
            for criterion in self.criteria[(dossier.rule_set_id, holder_kind_of(dossier.holder))]:
                computed = criterion.kind != CriterionKind.YES_NO
                met = None if computed else answers.get(criterion.code, True)
                if dossier.status == DossierStatus.DRAFT and not computed:
                    met = None
                rows.append(
                    CriterionAssessment(
                        dossier=dossier,
                        criterion=criterion,
                        met=met,
                        evidence="" if met is None else "Biên bản, báo cáo lưu tại đơn vị.",
                    )
                )
        CriterionAssessment.objects.bulk_create(rows, batch_size=1000)


def _committee_name(unit: AdministrativeUnit) -> str:
    """ "Phường 1", "xã Đạo Thạnh", "TP. Mỹ Tho": how a People's Committee is named."""
    if unit.name.startswith("Xã "):
        return "xã " + unit.name.removeprefix("Xã ")
    return unit.name


def _load_dossiers(units, rule_sets, approver, officials, users) -> None:
    demo_units = [units[s] for s in [*UNIT_SLUGS, *NEW_SLUGS]]
    city = units["tp-my-tho"]
    Dossier.objects.filter(Q(unit__in=demo_units) | Q(unit=city), year__in=ALL_YEARS).delete()
    tt23 = rule_sets["tt-23-2012-antt"]
    builder = _Builder(rule_sets, approver, officials, users)
    city_committee = f"Ủy ban nhân dân {_committee_name(city)}"
    areas_by_unit: dict[int, list[ResidentialArea]] = {}
    for area in ResidentialArea.objects.filter(unit__in=demo_units).order_by("name"):
        areas_by_unit.setdefault(area.unit_id, []).append(area)

    for year in YEARS:
        for index, slug in enumerate(UNIT_SLUGS):
            unit = units[slug]
            committee = f"Ủy ban nhân dân {_committee_name(unit)}"
            areas = areas_by_unit.get(unit.pk, [])
            safe = slug not in UNITS_NOT_SAFE[year]
            # A safe unit has 4 or 5 of its 5 areas certified (≥ 70%); an unsafe one 3 (60%).
            areas_met = (5 if (index + year) % 3 else 4) if safe else 3
            for number, area in enumerate(areas):
                met = number < areas_met
                builder.add(
                    holder=area,
                    kind=CertificationKind.ANTT_SAFE,
                    year=year,
                    rule_set=tt23,
                    met=met,
                    failing="5.3",
                    issuing_body=committee,
                    decided_on=D(year, 11, 18),
                )
            builder.add(
                holder=unit,
                kind=CertificationKind.ANTT_SAFE,
                year=year,
                rule_set=tt23,
                met=safe,
                issuing_body=city_committee,
                decided_on=D(year, 12, 10),
            )
            if slug in WARDS:
                kind, code = CertificationKind.CIVILIZED_URBAN, "tt-02-2013-van-minh-do-thi"
                met = slug not in WARDS_NOT_CIVILIZED.get(year, set())
            else:
                kind, code = CertificationKind.NEW_RURAL_CULTURE, "tt-17-2011-van-hoa-nong-thon-moi"
                met = slug not in COMMUNES_NOT_RURAL.get(year, set())
            builder.add(
                holder=unit,
                kind=kind,
                year=year,
                rule_set=rule_sets[code],
                met=met,
                failing="3",
                issuing_body=city_committee,
                decided_on=D(year, 12, 18),
            )
        _add_organization_dossiers(builder, units, year, tt23)
    for year in [*RECENT_YEARS, OPEN_YEAR]:
        _add_recent_year(builder, units, areas_by_unit, year)
    builder.write()


def _ranked_organizations(units) -> list[Organization]:
    order = {slug: i for i, slug in enumerate(["tp-my-tho", *UNIT_SLUGS])}
    organizations = Organization.objects.filter(
        unit__in=[units[s] for s in ["tp-my-tho", *UNIT_SLUGS]]
    ).select_related("unit")
    return sorted(
        (o for o in organizations if o.name not in NO_DOSSIER),
        key=lambda o: (order[o.unit.slug], o.kind, o.name),
    )


def _add_organization_dossiers(builder: _Builder, units, year: int, tt23: RuleSet) -> None:
    ranked = _ranked_organizations(units)
    always = [o for o in ranked if o.name not in NOT_MET_2020]
    if len(always) != ORGANIZATIONS_MET_2020:
        raise ValueError(f"expected {ORGANIZATIONS_MET_2020} organisations, got {len(always)}")
    lost = [o for o in ranked if o.name in NOT_MET_2020]
    held = len(lost) if year in LOST_IN_2020_HELD else 0
    met_among_always = ORGANIZATIONS_MET[year] - held
    for rank, organization in enumerate(always):
        if rank < met_among_always:
            met = True
        elif rank < met_among_always + 2:
            met = False  # assessed, one criterion short
        else:
            continue  # not assessed yet that year
        _add_organization(builder, units, organization, year, tt23, met=met)
    for organization in lost:
        if year in LOST_IN_2020_HELD or year == 2020:
            _add_organization(builder, units, organization, year, tt23, met=year != 2020)


def _add_organization(builder, units, organization, year, tt23, *, met: bool) -> None:
    school = organization.kind == Organization.Kind.SCHOOL
    incident_kind, _ = NOT_MET_2020.get(organization.name, (None, ""))
    if incident_kind:
        failing = "8.4" if school else "7.5"
    else:
        failing = "8.2" if school else "7.4"
    unit = organization.unit
    body_unit = unit if unit.is_commune_level else units["tp-my-tho"]
    builder.add(
        holder=organization,
        kind=CertificationKind.ANTT_SAFE,
        year=year,
        rule_set=tt23,
        met=met,
        failing=failing,
        issuing_body=f"Ủy ban nhân dân {_committee_name(body_unit)}",
        decided_on=D(year, 11, 27),
    )


def _rule_set(holder, kind: str, year: int, rule_sets: list[RuleSet]):
    """The rule set that assesses ``holder`` in ``year``, or None if it is not eligible."""
    found = eligibility(holder=holder, kind=kind, year=year, rule_sets=rule_sets)
    return found.rule_set if found.eligible else None


def _failing_code(rule_set: RuleSet, holder) -> str:
    """A yes/no criterion the holder fails when its dossier is "chưa đạt"."""
    tt23 = rule_set.code == "tt-23-2012-antt"
    kind = holder_kind_of(holder)
    return {
        "unit": "6.3" if tt23 else "5.3",
        "residential_area": "5.3" if tt23 else "4.3",
        "agency_enterprise": "7.4" if tt23 else "6.4",
        "school": "8.2" if tt23 else "7.2",
    }.get(kind, "3")


def _add_recent_year(builder: _Builder, units, areas_by_unit, year: int) -> None:
    """2021–2025 decided for the units of each year; 2026 in progress (module docstring)."""
    open_year = year == OPEN_YEAR
    decider = _decider(builder.users, year)
    all_rule_sets = builder.all_rule_sets
    day = D(year, 12, 31)
    unit_body = (
        f"Ủy ban nhân dân {_committee_name(units['tp-my-tho'])}"
        if year <= 2024
        else PROVINCE_COMMITTEE
    )
    year_units = _units_of_year(units, year)
    for index, unit in enumerate(year_units):
        committee = f"Ủy ban nhân dân {_committee_name(unit)}"
        areas = [
            a
            for a in areas_by_unit.get(unit.pk, [])
            if (a.valid_from is None or a.valid_from <= day)
            and (a.valid_to is None or a.valid_to >= day)
        ]
        safe = unit.slug not in RECENT_NOT_SAFE.get(year, set())
        for number, area in enumerate(areas):
            if open_year and (unit.slug, area.name) in OPEN_AREAS_NOT_STARTED:
                continue
            rule_set = _rule_set(area, CertificationKind.ANTT_SAFE, year, all_rule_sets)
            # One area in five misses the title in some years (the unit keeps ≥ 70%).
            met = (number + index + year) % 5 != 0 or number >= 5
            status = DossierStatus.DECIDED
            if open_year and unit.slug in OPEN_AREAS_AWAITING:
                status = DossierStatus.SUBMITTED
            builder.add(
                holder=area,
                kind=CertificationKind.ANTT_SAFE,
                year=year,
                rule_set=rule_set,
                met=met,
                failing=_failing_code(rule_set, area),
                status=status,
                issuing_body=committee,
                decided_on=D(year, 11, 18),
                decided_by=decider,
            )
        titles = [CertificationKind.ANTT_SAFE]
        titles.append(
            CertificationKind.CIVILIZED_URBAN
            if unit.kind == "ward"
            else CertificationKind.NEW_RURAL_CULTURE
        )
        for kind in titles:
            rule_set = _rule_set(unit, kind, year, all_rule_sets)
            if rule_set is None:
                continue  # e.g. "văn hóa nông thôn mới" after TT 17/2011 ended (2023 on)
            if kind == CertificationKind.ANTT_SAFE:
                met, decided_on = safe, D(year, 12, 10)
            elif kind == CertificationKind.CIVILIZED_URBAN:
                met = unit.slug not in RECENT_NOT_CIVILIZED.get(year, set())
                decided_on = D(year, 12, 18)
            else:
                met = unit.slug not in RECENT_NOT_RURAL.get(year, set())
                decided_on = D(year, 12, 18)
            status = DossierStatus.DECIDED
            if open_year:
                status = OPEN_UNIT_DOSSIERS.get(kind, {}).get(unit.slug)
                if status is None:
                    continue  # not started yet
                decided_on = D(year, 11, 30)
            builder.add(
                holder=unit,
                kind=kind,
                year=year,
                rule_set=rule_set,
                met=met,
                failing=_failing_code(rule_set, unit)
                if kind == CertificationKind.ANTT_SAFE
                else "3",
                status=status,
                issuing_body=unit_body,
                decided_on=decided_on,
                decided_by=decider,
            )
    organizations = Organization.objects.filter(unit__in=year_units).select_related("unit")
    order = {u.pk: i for i, u in enumerate(year_units)}
    ranked = sorted(
        (o for o in organizations if o.name not in NO_DOSSIER),
        key=lambda o: (order[o.unit_id], o.kind, o.name),
    )
    for rank, organization in enumerate(ranked):
        rule_set = _rule_set(organization, CertificationKind.ANTT_SAFE, year, all_rule_sets)
        if rule_set is None:
            continue  # not assessed under TT 124 (primary school, small enterprise, …)
        status = DossierStatus.DECIDED
        if open_year and rank % 5 == 2:
            status = DossierStatus.SUBMITTED
        elif open_year and rank % 7 == 3:
            status = DossierStatus.DRAFT
        builder.add(
            holder=organization,
            kind=CertificationKind.ANTT_SAFE,
            year=year,
            rule_set=rule_set,
            met=(rank * 7 + year) % 13 != 0,
            failing=_failing_code(rule_set, organization),
            status=status,
            issuing_body=f"Ủy ban nhân dân {_committee_name(organization.unit)}",
            decided_on=D(year, 11, 27),
            decided_by=decider,
        )


def _load_incidents(units) -> None:
    old_units = [units[s] for s in ["tp-my-tho", *UNIT_SLUGS]]
    organizations = {
        o.name: o for o in Organization.objects.filter(name__in=NOT_MET_2020, unit__in=old_units)
    }
    for name, (kind, description) in NOT_MET_2020.items():
        if kind:
            Incident.objects.update_or_create(
                organization=organizations[name],
                year=2020,
                kind=kind,
                defaults={
                    "occurred_on": D(2020, 7, 14),
                    "description": f"{description} {DEMO_NOTE}",
                },
            )


def _load_classifications(units, users) -> None:
    """100-point sheets of every ward/commune of each year: approved for 2019–2025 (by the city
    police until 2024, by the province from 2025); 2026 submitted, self-scoring or not started."""
    demo_units = [units[s] for s in [*UNIT_SLUGS, *NEW_SLUGS]]
    sheet_years = [2019, 2020, *RECENT_YEARS, OPEN_YEAR]
    MovementClassification.objects.filter(holder_unit__in=demo_units, year__in=sheet_years).delete()
    sheets = []
    for year in sheet_years:
        rule_set = RuleSet.objects.governing(RuleSet.Subject.MOVEMENT_CLASSIFICATION, year, "unit")
        for index, unit in enumerate(_units_of_year(units, year)):
            status = MovementClassification.Status.APPROVED
            if year == OPEN_YEAR:
                status = OPEN_SHEETS.get(unit.slug)
                if status is None:
                    continue  # not started yet
            approved = status == MovementClassification.Status.APPROVED
            sheet = MovementClassification(
                year=year,
                rule_set=rule_set,
                status=status,
                approved_by=_decider(users, year) if approved else None,
                approved_at=timezone.make_aware(datetime.datetime(year, 12, 15, 9))
                if approved
                else None,
            )
            sheet.set_holder(unit)
            ratio = EXCELLENT if index % 17 < 10 else GOOD if index % 17 < 16 else AVERAGE
            if year == 2019 and index % 5 == 0:
                ratio = GOOD
            if year > 2020 and (index + year) % 4 == 0:
                ratio = GOOD if ratio == EXCELLENT else AVERAGE
            sheets.append((sheet, ratio))
    created = MovementClassification.objects.bulk_create([s for s, _ in sheets])
    items = {}
    for item in ScoringItem.objects.filter(holder_kind="unit"):
        items.setdefault(item.rule_set_id, []).append(item)
    scores = []
    for sheet, (_, ratio) in zip(created, sheets, strict=True):
        for item in items[sheet.rule_set_id]:
            own = min(
                item.max_points,
                (item.max_points * (ratio + Decimal("0.03")) * 2).quantize(Decimal(1)) / 2,
            )
            approved = (item.max_points * ratio * 2).quantize(Decimal(1)) / 2
            if sheet.status != MovementClassification.Status.APPROVED:
                approved = None
            scores.append(
                ClassificationScore(
                    classification=sheet,
                    item=item,
                    max_points=item.max_points,
                    self_points=own,
                    approved_points=approved,
                )
            )
    ClassificationScore.objects.bulk_create(scores)


PEOPLE = [
    ("Nguyễn Văn Hùng", 1968, "Trưởng Công an Phường 1", "phuong-1"),
    ("Trần Thị Mai", 1972, "Trưởng khu phố 3, Phường 4", "phuong-4"),
    ("Lê Văn Tâm", 1965, "Trưởng ấp 2, xã Tân Mỹ Chánh", "tan-my-chanh"),
]


def _load_awards_and_festivals(units) -> int:
    people = {}
    for name, birth_year, position, slug in PEOPLE:
        people[name], _ = Person.objects.update_or_create(
            full_name=name,
            unit=units[slug],
            defaults={"birth_year": birth_year, "position": position, "note": DEMO_NOTE},
        )
    city = units["tp-my-tho"]
    festivals = {}
    for year in YEARS:
        festival, _ = FestivalDay.objects.update_or_create(
            unit=city,
            year=year,
            defaults={
                "held_on": D(year, 8, 19),
                "venue": "Quảng trường Trung tâm TP. Mỹ Tho",
                "participants": 1200 + 80 * (year - 2015),
                "note": DEMO_NOTE,
            },
        )
        showcase = [UNIT_SLUGS[(year - 2015) * 2 % 17], UNIT_SLUGS[((year - 2015) * 2 + 11) % 17]]
        festival.showcase_areas.set(
            ResidentialArea.objects.filter(unit__slug__in=showcase, name__endswith=" 1")
        )
        festivals[year] = festival
    sites = ModelSite.objects.filter(
        Q(model__slug="camera-an-ninh", unit__slug="phuong-4")
        | Q(model__slug="2-lien", unit__slug="tan-my-chanh")
    ).order_by("pk")
    festivals[2020].showcase_sites.set(sites)
    for slug in ("phuong-4", "tan-my-chanh"):
        ward_day, _ = FestivalDay.objects.update_or_create(
            unit=units[slug],
            year=2020,
            defaults={"held_on": D(2020, 8, 15), "participants": 350, "note": DEMO_NOTE},
        )
        ward_day.showcase_areas.set(ResidentialArea.objects.filter(unit=units[slug])[:1])
        ward_day.showcase_sites.set([s for s in sites if s.unit_id == units[slug].pk])

    camera_site = next((s for s in sites if s.unit_id == units["phuong-4"].pk), None)
    water = Organization.objects.get(
        name="Công ty Cổ phần Cấp nước Tiền Giang", unit=units["phuong-5"]
    )
    military = Organization.objects.get(name="Ban Chỉ huy Quân sự TP. Mỹ Tho", unit=city)
    awards = [
        (
            "certificate_of_merit",
            "Bộ trưởng Bộ Công an",
            "5120/QĐ-BCA",
            D(2020, 11, 5),
            "unit",
            units["tan-my-chanh"],
            2015,
            2020,
            "review",
            None,
            "Thành tích xuất sắc trong phong trào Toàn dân bảo vệ ANTQ, mô hình “2 liên”.",
        ),
        (
            "emulation_flag",
            "Chủ tịch UBND tỉnh Tiền Giang",
            "3301/QĐ-UBND",
            D(2019, 12, 26),
            "unit",
            units["phuong-1"],
            2019,
            2019,
            "yearly",
            None,
            "Đơn vị dẫn đầu phong trào thi đua năm 2019.",
        ),
        (
            "commendation",
            "Chủ tịch UBND TP. Mỹ Tho",
            "2150/QĐ-UBND",
            D(2020, 8, 19),
            "model_site" if camera_site else "unit",
            camera_site or units["phuong-4"],
            2020,
            2020,
            "festival_day",
            festivals[2020],
            "Mô hình “Camera an ninh” phát huy hiệu quả.",
        ),
        (
            "commendation",
            "Giám đốc Công an tỉnh Tiền Giang",
            "1876/QĐ-CAT",
            D(2020, 8, 19),
            "organization",
            water,
            2020,
            2020,
            "festival_day",
            festivals[2020],
            "Tiêu biểu trong xây dựng cơ quan, doanh nghiệp an toàn về ANTT.",
        ),
        (
            "quyet_thang",
            "Tư lệnh Quân khu 9",
            "412/QĐ-BTL",
            D(2019, 12, 20),
            "organization",
            military,
            2019,
            2019,
            "yearly",
            None,
            "Danh hiệu “Đơn vị Quyết thắng”.",
        ),
        (
            "commemorative_medal",
            "Bộ trưởng Bộ Công an",
            "6021/QĐ-BCA",
            D(2020, 10, 1),
            "person",
            people["Nguyễn Văn Hùng"],
            2020,
            2020,
            "special",
            None,
            "Có nhiều đóng góp cho sự nghiệp bảo vệ an ninh Tổ quốc.",
        ),
        (
            "commemorative_medal",
            "Bộ trưởng Bộ Công an",
            "6021/QĐ-BCA",
            D(2020, 10, 1),
            "person",
            people["Trần Thị Mai"],
            2020,
            2020,
            "special",
            None,
            "Có nhiều đóng góp cho sự nghiệp bảo vệ an ninh Tổ quốc.",
        ),
        (
            "commendation",
            "Chủ tịch UBND TP. Mỹ Tho",
            "2151/QĐ-UBND",
            D(2020, 8, 19),
            "person",
            people["Lê Văn Tâm"],
            2020,
            2020,
            "festival_day",
            festivals[2020],
            "Tích cực tham gia mô hình “2 liên”.",
        ),
    ]
    _save_awards(awards)
    return len(awards)


def _save_awards(awards: list[tuple]) -> None:
    for (
        form,
        issuer,
        number,
        day,
        recipient_type,
        recipient,
        start,
        end,
        occasion,
        festival,
        reason,
    ) in awards:
        column = {
            "unit": "recipient_unit",
            "organization": "recipient_organization",
            "model_site": "recipient_model_site",
            "person": "recipient_person",
        }[recipient_type]
        owning = recipient if recipient_type == "unit" else recipient.unit
        Award.objects.update_or_create(
            form=form,
            decision_number=number,
            recipient_type=recipient_type,
            **{column: recipient},
            defaults={
                "issuer": issuer,
                "decision_date": day,
                "unit": owning,
                "period_start_year": start,
                "period_end_year": end,
                "occasion": occasion,
                "festival_day": festival,
                "reason": f"{reason} {DEMO_NOTE}",
            },
        )


RECENT_PEOPLE = [
    ("Phạm Thị Lan", 1979, "Trưởng khu phố 4, Phường Mỹ Tho", "phuong-my-tho"),
    ("Võ Minh Trí", 1985, "Phó Trưởng Công an Phường Thới Sơn", "phuong-thoi-son"),
]


def _load_recent_awards_and_festivals(units) -> tuple[int, int]:
    """Ngày hội 2021–2024 held by the city, 2025–2026 by each of the five wards (the city
    level ended on 30/6/2025), and a few awards every year; returns (festivals, awards)."""
    city = units["tp-my-tho"]
    festivals: dict[tuple[str, int], FestivalDay] = {}
    for year in range(2021, 2025):
        festival, _ = FestivalDay.objects.update_or_create(
            unit=city,
            year=year,
            defaults={
                "held_on": D(year, 8, 19),
                "venue": "Quảng trường Trung tâm TP. Mỹ Tho",
                "participants": 300 if year == 2021 else 1400 + 60 * (year - 2022),
                "note": (
                    "Tổ chức trực tuyến kết hợp trực tiếp quy mô nhỏ do dịch COVID-19. "
                    if year == 2021
                    else ""
                )
                + DEMO_NOTE,
            },
        )
        showcase = [s for s in UNIT_SLUGS if units[s].is_valid_on(D(year, 8, 19))]
        festival.showcase_areas.set(
            ResidentialArea.objects.filter(
                unit__slug__in=showcase[(year - 2021) % 3 :: 5], name__endswith=" 1"
            )
        )
        festivals[("tp-my-tho", year)] = festival
    for year in (2025, OPEN_YEAR):
        for index, slug in enumerate(NEW_SLUGS):
            ward = units[slug]
            festival, _ = FestivalDay.objects.update_or_create(
                unit=ward,
                year=year,
                defaults={
                    "held_on": D(year, 8, 15 + index % 5),
                    "venue": f"Hội trường Ủy ban nhân dân {ward.name}",
                    "participants": 420 + 35 * index + 20 * (year - 2025),
                    "note": DEMO_NOTE,
                },
            )
            festival.showcase_areas.set(
                ResidentialArea.objects.filter(unit=ward).order_by("name")[:2]
            )
            festival.showcase_sites.set(
                ModelSite.objects.filter(
                    unit=ward, model__slug="camera-an-ninh", start_date__lte=festival.held_on
                ).active_on(festival.held_on)
            )
            festivals[(slug, year)] = festival
    people = {}
    for name, birth_year, position, slug in RECENT_PEOPLE:
        people[name], _ = Person.objects.update_or_create(
            full_name=name,
            unit=units[slug],
            defaults={"birth_year": birth_year, "position": position, "note": DEMO_NOTE},
        )

    def org(name: str, slug: str) -> Organization:
        return Organization.objects.get(name=name, unit=units[slug])

    camera_thoi_son = (
        ModelSite.objects.filter(unit=units["phuong-thoi-son"], model__slug="camera-an-ninh")
        .order_by("-start_date")
        .first()
    )
    awards = [
        ("emulation_flag", "Chủ tịch UBND tỉnh Tiền Giang", "3412/QĐ-UBND", D(2021, 12, 28),
         "unit", units["phuong-6"], 2021, 2021, "yearly", None,
         "Đơn vị dẫn đầu phong trào thi đua năm 2021."),
        ("certificate_of_merit", "Chủ tịch UBND tỉnh Tiền Giang", "2987/QĐ-UBND",
         D(2022, 12, 26), "unit", units["trung-an"], 2022, 2022, "yearly", None,
         "Hoàn thành xuất sắc nhiệm vụ bảo đảm an ninh, trật tự năm 2022."),
        ("commendation", "Giám đốc Công an tỉnh Tiền Giang", "1502/QĐ-CAT", D(2023, 8, 19),
         "organization", org("Công ty Cổ phần Cấp nước Tiền Giang", "phuong-5"), 2023, 2023,
         "festival_day", festivals[("tp-my-tho", 2023)],
         "Tiêu biểu trong xây dựng doanh nghiệp an toàn về ANTT."),
        ("emulation_flag", "Chủ tịch UBND tỉnh Tiền Giang", "3120/QĐ-UBND", D(2024, 12, 27),
         "unit", units["my-phong"], 2024, 2024, "yearly", None,
         "Đơn vị dẫn đầu phong trào thi đua năm 2024."),
        ("certificate_of_merit", "Chủ tịch UBND tỉnh Đồng Tháp", "1905/QĐ-UBND",
         D(2025, 8, 19), "unit", units["phuong-my-tho"], 2021, 2025, "review", None,
         "Thành tích trong 20 năm thực hiện Ngày hội toàn dân bảo vệ ANTQ (2005–2025)."),
        ("commendation", "Giám đốc Công an tỉnh Đồng Tháp", "2210/QĐ-CAT", D(2025, 8, 19),
         "model_site" if camera_thoi_son else "unit", camera_thoi_son or units["phuong-thoi-son"],
         2025, 2025, "festival_day", festivals[("phuong-thoi-son", 2025)],
         "Mô hình “Camera an ninh” tiếp tục phát huy hiệu quả sau sắp xếp."),
        ("commendation", "Chủ tịch UBND Phường Mỹ Tho", "215/QĐ-UBND", D(2026, 8, 15),
         "person", people["Phạm Thị Lan"], 2026, 2026, "festival_day",
         festivals[("phuong-my-tho", OPEN_YEAR)],
         "Tích cực vận động nhân dân lắp camera an ninh ở khu phố."),
        ("commendation", "Giám đốc Công an tỉnh Đồng Tháp", "2318/QĐ-CAT", D(2026, 8, 17),
         "organization", org("Trường THPT Chuyên Tiền Giang", "phuong-dao-thanh"), 2026, 2026,
         "festival_day", festivals[("phuong-dao-thanh", OPEN_YEAR)],
         "Trường học an toàn về an ninh, trật tự tiêu biểu."),
        ("commemorative_medal", "Bộ trưởng Bộ Công an", "7105/QĐ-BCA", D(2026, 10, 2),
         "person", people["Võ Minh Trí"], 2026, 2026, "special", None,
         "Có nhiều đóng góp cho sự nghiệp bảo vệ an ninh Tổ quốc."),
    ]  # fmt: skip
    _save_awards(awards)
    return len(festivals), len(awards)


@transaction.atomic
def load(units: dict[str, AdministrativeUnit]) -> str:
    seed_rule_sets()  # a test that empties the tables also removes the migration's rows
    _wards_demo_organizations(units)
    rule_sets = {r.code: r for r in RuleSet.objects.all()}
    users = {u.username: u for u in User.objects.filter(username__in=["approver", "approver-tp"])}
    users.setdefault("approver-tp", users.get("approver"))
    users.setdefault("approver", users.get("approver-tp"))
    officials = {u.username: u for u in User.objects.filter(username__in=[*UNIT_SLUGS, *NEW_SLUGS])}
    _load_dossiers(units, rule_sets, users["approver-tp"], officials, users)
    _load_incidents(units)
    _load_classifications(units, users)
    award_count = _load_awards_and_festivals(units)
    festivals_recent, awards_recent = _load_recent_awards_and_festivals(units)
    unit_ids = [units[s].pk for s in ["tp-my-tho", *UNIT_SLUGS]]
    counts = selectors.certified_counts(year=2020, unit_ids=unit_ids)
    units_safe = counts.get((CertificationKind.ANTT_SAFE, HolderType.UNIT), 0)
    organizations = counts.get((CertificationKind.ANTT_SAFE, HolderType.ORGANIZATION), 0)
    civilized = counts.get((CertificationKind.CIVILIZED_URBAN, HolderType.UNIT), 0)
    rural = counts.get((CertificationKind.NEW_RURAL_CULTURE, HolderType.UNIT), 0)
    new_ids = [units[s].pk for s in NEW_SLUGS]
    now = selectors.certified_counts(year=OPEN_YEAR, unit_ids=new_ids)
    open_dossiers = Dossier.objects.filter(unit_id__in=new_ids, year=OPEN_YEAR)
    by_status = {s: open_dossiers.filter(status=s).count() for s in DossierStatus.values}
    return (
        f"Danh hiệu 2020: {units_safe}/17 phường, xã An toàn về ANTT; {organizations} cơ quan, "
        f"doanh nghiệp, trường học; {civilized} phường văn minh đô thị; {rural} xã văn hóa nông "
        f"thôn mới; {award_count} khen thưởng. "
        f"Năm {OPEN_YEAR} (đang xét, 5 phường): "
        f"{now.get((CertificationKind.ANTT_SAFE, HolderType.RESIDENTIAL_AREA), 0)} khu phố và "
        f"{now.get((CertificationKind.ANTT_SAFE, HolderType.ORGANIZATION), 0)} cơ quan, "
        f"doanh nghiệp, trường học đã đạt An toàn về ANTT; hồ sơ: "
        f"{by_status[DossierStatus.DECIDED]} đã quyết định, "
        f"{by_status[DossierStatus.SUBMITTED]} chờ quyết định, "
        f"{by_status[DossierStatus.DRAFT]} đang lập; "
        f"2021–{OPEN_YEAR}: {festivals_recent} Ngày hội, {awards_recent} khen thưởng"
    )
