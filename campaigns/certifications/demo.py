"""Demonstration titles, classification, awards and Ngày hội (``manage.py load_demo``).

Agrees with the seed article (domain.md §9) for 2020: 17/17 wards and communes "An toàn về
ANTT" (each with at least 70% of its residential areas certified, so the TT 23 share criterion
holds), exactly 46 agencies, enterprises and schools certified, 11 wards "văn minh đô thị" and
6 communes "văn hóa nông thôn mới". 2015–2019 climb towards those figures; 2021 has a few
dossiers in progress so the workflow can be tried. Names, decision numbers and scores are
plausible inventions [I]; the notes say so.

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
from models_registry.models import ModelSite
from wards.demo import OLD_UNITS
from wards.models import AdministrativeUnit, Organization, ResidentialArea, User

D = datetime.date
YEARS = list(range(2015, 2021))
IN_PROGRESS_YEAR = 2021
DEMO_NOTE = "[I] Dữ liệu minh họa."
UNIT_SLUGS = [slug for slug, *_ in OLD_UNITS]
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


class _Builder:
    """Collects dossiers and their assessment rows, then writes them in a few bulk inserts."""

    def __init__(self, rule_sets: dict[str, RuleSet], approver, officials):
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
            dossier.decided_by = self.approver
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


def _load_dossiers(units, rule_sets, approver, officials) -> None:
    demo_units = [units[s] for s in UNIT_SLUGS]
    city = units["tp-my-tho"]
    all_years = [*YEARS, IN_PROGRESS_YEAR]
    Dossier.objects.filter(Q(unit__in=demo_units) | Q(unit=city), year__in=all_years).delete()
    tt23 = rule_sets["tt-23-2012-antt"]
    builder = _Builder(rule_sets, approver, officials)
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
    _add_in_progress(builder, units, areas_by_unit, tt23)
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


def _add_in_progress(builder: _Builder, units, areas_by_unit, tt23: RuleSet) -> None:
    """2021: three residential areas of Phường 2 await a decision, one of Phường 3 is a draft."""
    year = IN_PROGRESS_YEAR
    for area in areas_by_unit[units["phuong-2"].pk][:3]:
        builder.add(
            holder=area,
            kind=CertificationKind.ANTT_SAFE,
            year=year,
            rule_set=tt23,
            met=True,
            status=DossierStatus.SUBMITTED,
            issuing_body="",
            decided_on=D(year, 11, 18),
        )
    builder.add(
        holder=areas_by_unit[units["phuong-3"].pk][0],
        kind=CertificationKind.ANTT_SAFE,
        year=year,
        rule_set=tt23,
        met=True,
        status=DossierStatus.DRAFT,
        issuing_body="",
        decided_on=D(year, 11, 18),
    )


def _load_incidents(units) -> None:
    organizations = {o.name: o for o in Organization.objects.filter(name__in=NOT_MET_2020)}
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


def _load_classifications(units, approver) -> None:
    """Approved 100-point sheets of every ward/commune for 2019 and 2020."""
    demo_units = [units[s] for s in UNIT_SLUGS]
    MovementClassification.objects.filter(
        holder_unit__in=demo_units, year__in=[2019, 2020]
    ).delete()
    sheets = []
    for year in (2019, 2020):
        rule_set = RuleSet.objects.governing(RuleSet.Subject.MOVEMENT_CLASSIFICATION, year, "unit")
        for index, unit in enumerate(demo_units):
            sheet = MovementClassification(
                year=year,
                rule_set=rule_set,
                status=MovementClassification.Status.APPROVED,
                approved_by=approver,
                approved_at=timezone.make_aware(datetime.datetime(year, 12, 15, 9)),
            )
            sheet.set_holder(unit)
            ratio = EXCELLENT if index % 17 < 10 else GOOD if index % 17 < 16 else AVERAGE
            if year == 2019 and index % 5 == 0:
                ratio = GOOD
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
    water = Organization.objects.get(name="Công ty Cổ phần Cấp nước Tiền Giang")
    military = Organization.objects.get(name="Ban Chỉ huy Quân sự TP. Mỹ Tho")
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
    return len(awards)


@transaction.atomic
def load(units: dict[str, AdministrativeUnit]) -> str:
    seed_rule_sets()  # a test that empties the tables also removes the migration's rows
    _wards_demo_organizations(units)
    rule_sets = {r.code: r for r in RuleSet.objects.all()}
    approver = User.objects.filter(username="approver").first()
    officials = {u.username: u for u in User.objects.filter(username__in=UNIT_SLUGS)}
    _load_dossiers(units, rule_sets, approver, officials)
    _load_incidents(units)
    _load_classifications(units, approver)
    award_count = _load_awards_and_festivals(units)
    unit_ids = [units[s].pk for s in ["tp-my-tho", *UNIT_SLUGS]]
    counts = selectors.certified_counts(year=2020, unit_ids=unit_ids)
    units_safe = counts.get((CertificationKind.ANTT_SAFE, HolderType.UNIT), 0)
    organizations = counts.get((CertificationKind.ANTT_SAFE, HolderType.ORGANIZATION), 0)
    civilized = counts.get((CertificationKind.CIVILIZED_URBAN, HolderType.UNIT), 0)
    rural = counts.get((CertificationKind.NEW_RURAL_CULTURE, HolderType.UNIT), 0)
    return (
        f"Danh hiệu 2020: {units_safe}/17 phường, xã An toàn về ANTT; {organizations} cơ quan, "
        f"doanh nghiệp, trường học; {civilized} phường văn minh đô thị; {rural} xã văn hóa nông "
        f"thôn mới; {award_count} khen thưởng"
    )
