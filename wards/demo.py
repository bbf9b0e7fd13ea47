"""Demonstration units, residential areas, organisations and accounts (``manage.py load_demo``).

Idempotent: running it again updates rows in place. Facts marked [I] in ../shared/domain.md are
inferred; the data says so in its note fields so an administrator can correct them.
"""

import datetime

from django.db import transaction

from wards.models import (
    AdministrativeUnit,
    Organization,
    ReportingArea,
    ResidentialArea,
    UnitChange,
    User,
)
from wards.selectors import Succession

DEMO_PASSWORD = "MyTho@2020"  # noqa: S105 - stated in README.md; demo accounts only

D = datetime.date
SINCE = D(2008, 1, 1)
REORGANISED = D(2025, 7, 1)
LAST_DAY_OLD = D(2025, 6, 30)
INFERRED_START = "[I] Ngày bắt đầu hiệu lực chưa đối chiếu văn bản; cần bổ sung."
INFERRED_CODE = "[I] Mã đơn vị theo danh mục hành chính, cần đối chiếu lại."

# (slug, name, kind, official code); the 17 units of 2015–2020 (domain.md §2).
OLD_UNITS = [
    ("phuong-1", "Phường 1", "ward", "28258"),
    ("phuong-2", "Phường 2", "ward", "28261"),
    ("phuong-3", "Phường 3", "ward", "28255"),
    ("phuong-4", "Phường 4", "ward", "28252"),
    ("phuong-5", "Phường 5", "ward", "28249"),
    ("phuong-6", "Phường 6", "ward", "28267"),
    ("phuong-7", "Phường 7", "ward", "28253"),
    ("phuong-8", "Phường 8", "ward", "28264"),
    ("phuong-9", "Phường 9", "ward", "28270"),
    ("phuong-10", "Phường 10", "ward", "28273"),
    ("tan-long", "Phường Tân Long", "ward", "28276"),
    ("dao-thanh", "Xã Đạo Thạnh", "commune", "28279"),
    ("trung-an", "Xã Trung An", "commune", "28282"),
    ("my-phong", "Xã Mỹ Phong", "commune", "28285"),
    ("tan-my-chanh", "Xã Tân Mỹ Chánh", "commune", "28288"),
    ("thoi-son", "Xã Thới Sơn", "commune", "28591"),
    ("phuoc-thanh", "Xã Phước Thạnh", "commune", "28567"),
]
# Merged away "by 2025" [V]; when, by which resolution and into what is not known [I].
MERGED_BEFORE_2025 = {"phuong-3", "phuong-7", "phuong-8"}
MERGED_BEFORE_2025_END = D(2024, 11, 30)

# The five wards of Đồng Tháp from 1/7/2025: (slug, name, predecessors, source note).
NEW_WARDS = [
    ("phuong-my-tho", "Phường Mỹ Tho", ["phuong-1", "phuong-2", "tan-long"], "[V]"),
    ("phuong-thoi-son", "Phường Thới Sơn", ["phuong-6", "thoi-son"], "[V]"),
    ("phuong-dao-thanh", "Phường Đạo Thạnh", ["phuong-4", "phuong-5", "dao-thanh"], "[I]"),
    ("phuong-my-phong", "Phường Mỹ Phong", ["phuong-9", "my-phong", "tan-my-chanh"], "[I]"),
    ("phuong-trung-an", "Phường Trung An", ["phuong-10", "trung-an", "phuoc-thanh"], "[I]"),
]
REORGANISATION_BASIS = (
    "Nghị quyết của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã "
    "của tỉnh Đồng Tháp năm 2025 (số hiệu cần bổ sung)"
)

AREAS_PER_UNIT = 5


def _unit(slug: str, **fields) -> AdministrativeUnit:
    unit, _ = AdministrativeUnit.objects.update_or_create(slug=slug, defaults=fields)
    return unit


@transaction.atomic
def load_units() -> dict[str, AdministrativeUnit]:
    tien_giang = _unit(
        "tien-giang",
        kind="province",
        code="82",
        name="Tỉnh Tiền Giang",
        parent=None,
        valid_from=D(1976, 2, 24),
        valid_to=LAST_DAY_OLD,
        note="Hợp nhất vào tỉnh Đồng Tháp từ 01/7/2025.",
    )
    dong_thap = _unit(
        "dong-thap",
        kind="province",
        code="87",
        name="Tỉnh Đồng Tháp",
        parent=None,
        valid_from=REORGANISED,
        valid_to=None,
        note="Tỉnh Đồng Tháp sau hợp nhất với Tiền Giang (01/7/2025). [I] Mã tỉnh cần đối chiếu.",
    )
    city = _unit(
        "tp-my-tho",
        kind="city",
        code="815",
        name="TP. Mỹ Tho",
        parent=tien_giang,
        valid_from=SINCE,
        valid_to=LAST_DAY_OLD,
        note="Cấp huyện chấm dứt hoạt động từ 01/7/2025. " + INFERRED_START,
    )
    units = {"tien-giang": tien_giang, "dong-thap": dong_thap, "tp-my-tho": city}
    for order, (slug, name, kind, code) in enumerate(OLD_UNITS, start=1):
        merged_early = slug in MERGED_BEFORE_2025
        note = INFERRED_CODE + " " + INFERRED_START
        if merged_early:
            note += (
                " [I] Đã được sắp xếp trước năm 2025; nghị quyết, ngày hiệu lực và đơn vị kế thừa "
                "chưa rõ (ngày kết thúc ghi tạm)."
            )
        units[slug] = _unit(
            slug,
            kind=kind,
            code=code,
            name=name,
            parent=city,
            valid_from=SINCE,
            valid_to=MERGED_BEFORE_2025_END if merged_early else LAST_DAY_OLD,
            note=note,
            display_order=order,
        )
    for index, (slug, name, _predecessors, _source) in enumerate(NEW_WARDS, start=1):
        units[slug] = _unit(
            slug,
            kind="ward",
            code=f"DT-{index:02d}",
            name=name,
            parent=dong_thap,
            valid_from=REORGANISED,
            valid_to=None,
            note="[I] Mã đơn vị mới cần đối chiếu danh mục hành chính.",
            display_order=100 + index,
        )
    _load_changes(units)
    _load_areas(units)
    return units


def _load_areas(units: dict[str, AdministrativeUnit]) -> None:
    """Named areas that outlive their units: their membership follows the changes above."""
    for slug, name, root, description in [
        (
            "khu-vuc-tp-my-tho",
            "Khu vực TP. Mỹ Tho",
            "tp-my-tho",
            "17 phường, xã của TP. Mỹ Tho đến 30/6/2025; 5 phường của tỉnh Đồng Tháp từ 01/7/2025.",
        ),
        (
            "khu-vuc-tinh-tien-giang",
            "Khu vực tỉnh Tiền Giang (cũ)",
            "tien-giang",
            "Địa bàn tỉnh Tiền Giang trước khi hợp nhất vào tỉnh Đồng Tháp (01/7/2025).",
        ),
    ]:
        ReportingArea.objects.update_or_create(
            slug=slug, defaults={"name": name, "root": units[root], "description": description}
        )


def _load_changes(units: dict[str, AdministrativeUnit]) -> None:
    province_change, _ = UnitChange.objects.update_or_create(
        kind="merge",
        effective_date=REORGANISED,
        legal_basis="Nghị quyết 202/2025/QH15 của Quốc hội",
        defaults={"note": "[V] Tiền Giang hợp nhất vào Đồng Tháp; chỉ ghi phía Tiền Giang."},
    )
    province_change.predecessors.set([units["tien-giang"]])
    province_change.successors.set([units["dong-thap"]])
    for slug, name, predecessor_slugs, source in NEW_WARDS:
        if source == "[V]":
            note = f"[V] Thành phần {name} theo nguồn đã đọc."
        else:
            note = f"[I] Thành phần {name} là suy luận, chưa đối chiếu nghị quyết; cần kiểm tra."
        change = UnitChange.objects.filter(
            effective_date=REORGANISED, successors__slug=slug
        ).first() or UnitChange(effective_date=REORGANISED)
        change.kind, change.legal_basis, change.note = "merge", REORGANISATION_BASIS, note
        change.save()
        change.predecessors.set([units[s] for s in predecessor_slugs])
        change.successors.set([units[slug]])


def _area_kind(unit: AdministrativeUnit) -> str:
    return "khu_pho" if unit.kind == "ward" else "ap"


@transaction.atomic
def load_residential_areas(units: dict[str, AdministrativeUnit]) -> None:
    """Five khu phố/ấp per old unit, ending with their unit; the five wards of 1/7/2025 take
    over their predecessors' areas, renumbered as khu phố (the recorded UnitChange rows say
    which unit became which; [I] the real renumbering is not known)."""
    for slug, *_ in OLD_UNITS:
        unit = units[slug]
        kind = _area_kind(unit)
        label = "Khu phố" if kind == "khu_pho" else "Ấp"
        for number in range(1, AREAS_PER_UNIT + 1):
            ResidentialArea.objects.update_or_create(
                unit=unit,
                name=f"{label} {number}",
                defaults={
                    "kind": kind,
                    "households": 300 + 37 * number + 11 * len(slug),
                    "valid_to": unit.valid_to,
                },
            )
    succession = Succession.on(REORGANISED)
    old = [units[slug] for slug, *_ in OLD_UNITS]
    numbers: dict[int, int] = {}
    for unit in sorted(old, key=lambda u: (u.display_order, u.pk)):
        successors = [
            units[slug]
            for slug, *_ in NEW_WARDS
            if units[slug].pk in succession.resolve(unit.pk) and units[slug].pk != unit.pk
        ]
        for successor in successors[:1]:  # merges only: one successor per unit
            for area in ResidentialArea.objects.filter(unit=unit).order_by("name"):
                numbers[successor.pk] = numbers.get(successor.pk, 0) + 1
                ResidentialArea.objects.update_or_create(
                    unit=successor,
                    name=f"Khu phố {numbers[successor.pk]}",
                    defaults={
                        "kind": "khu_pho",
                        "households": area.households,
                        "valid_from": REORGANISED,
                        "valid_to": None,
                    },
                )


# (unit slug, kind, name, school level, enterprise size)
ORGANIZATIONS = [
    ("phuong-1", "agency", "Ủy ban nhân dân Phường 1", "", ""),
    ("phuong-1", "school", "Trường THPT Nguyễn Đình Chiểu", "upper_secondary", ""),
    ("phuong-1", "school", "Trường Tiểu học Thái Sanh Hạnh", "primary", ""),
    ("phuong-1", "enterprise", "Công ty TNHH Thương mại Chợ Mỹ Tho", "", "medium"),
    ("phuong-2", "agency", "Ủy ban nhân dân Phường 2", "", ""),
    ("phuong-2", "school", "Trường THCS Xuân Diệu", "lower_secondary", ""),
    ("phuong-2", "enterprise", "Công ty Cổ phần Du lịch Tiền Giang", "", "large"),
    ("phuong-3", "agency", "Ủy ban nhân dân Phường 3", "", ""),
    ("phuong-3", "school", "Trường Mầm non Phường 3", "kindergarten", ""),
    ("phuong-4", "agency", "Ủy ban nhân dân Phường 4", "", ""),
    ("phuong-4", "school", "Trường THCS Lê Ngọc Hân", "lower_secondary", ""),
    ("phuong-4", "enterprise", "Công ty TNHH May mặc Phường 4", "", "small"),
    ("phuong-5", "agency", "Ủy ban nhân dân Phường 5", "", ""),
    ("phuong-5", "school", "Trường THPT Chuyên Tiền Giang", "upper_secondary", ""),
    ("phuong-5", "enterprise", "Công ty Cổ phần Cấp nước Tiền Giang", "", "large"),
    ("phuong-6", "agency", "Ủy ban nhân dân Phường 6", "", ""),
    ("phuong-6", "enterprise", "Công ty Cổ phần Thủy sản Mỹ Tho", "", "large"),
    ("phuong-6", "school", "Trường Tiểu học Phường 6", "primary", ""),
    ("phuong-7", "agency", "Ủy ban nhân dân Phường 7", "", ""),
    ("phuong-7", "school", "Trường THCS Phường 7", "lower_secondary", ""),
    ("phuong-8", "agency", "Ủy ban nhân dân Phường 8", "", ""),
    ("phuong-8", "enterprise", "Cơ sở Cơ khí Phường 8", "", "micro"),
    ("phuong-9", "agency", "Ủy ban nhân dân Phường 9", "", ""),
    ("phuong-9", "school", "Trường Cao đẳng Tiền Giang", "higher", ""),
    ("phuong-9", "enterprise", "Công ty TNHH Chế biến Nông sản Phường 9", "", "medium"),
    ("phuong-10", "agency", "Ủy ban nhân dân Phường 10", "", ""),
    ("phuong-10", "school", "Trường THCS Phường 10", "lower_secondary", ""),
    ("phuong-10", "enterprise", "Công ty Cổ phần Bao bì Mỹ Tho", "", "medium"),
    ("tan-long", "agency", "Ủy ban nhân dân Phường Tân Long", "", ""),
    ("tan-long", "school", "Trường Tiểu học Tân Long", "primary", ""),
    ("tan-long", "enterprise", "Hợp tác xã Vận tải thủy Tân Long", "", "small"),
    ("dao-thanh", "agency", "Ủy ban nhân dân xã Đạo Thạnh", "", ""),
    ("dao-thanh", "school", "Trường THCS Đạo Thạnh", "lower_secondary", ""),
    ("dao-thanh", "enterprise", "Công ty TNHH Gạch ngói Đạo Thạnh", "", "medium"),
    ("trung-an", "agency", "Ủy ban nhân dân xã Trung An", "", ""),
    ("trung-an", "school", "Trường THCS Trung An", "lower_secondary", ""),
    ("trung-an", "enterprise", "Công ty Cổ phần Khu công nghiệp Trung An", "", "large"),
    ("my-phong", "agency", "Ủy ban nhân dân xã Mỹ Phong", "", ""),
    ("my-phong", "school", "Trường THCS Mỹ Phong", "lower_secondary", ""),
    ("my-phong", "enterprise", "Công ty TNHH Thực phẩm Mỹ Phong", "", "medium"),
    ("tan-my-chanh", "agency", "Ủy ban nhân dân xã Tân Mỹ Chánh", "", ""),
    ("tan-my-chanh", "school", "Trường THCS Tân Mỹ Chánh", "lower_secondary", ""),
    ("tan-my-chanh", "enterprise", "Công ty TNHH Chế biến Thủy sản Tân Mỹ Chánh", "", "medium"),
    ("thoi-son", "agency", "Ủy ban nhân dân xã Thới Sơn", "", ""),
    ("thoi-son", "school", "Trường THCS Thới Sơn", "lower_secondary", ""),
    ("thoi-son", "enterprise", "Hợp tác xã Du lịch Cồn Thới Sơn", "", "small"),
    ("phuoc-thanh", "agency", "Ủy ban nhân dân xã Phước Thạnh", "", ""),
    ("phuoc-thanh", "school", "Trường THCS Phước Thạnh", "lower_secondary", ""),
    ("phuoc-thanh", "enterprise", "Công ty TNHH Cơ khí Phước Thạnh", "", "medium"),
    ("tp-my-tho", "agency", "Công an TP. Mỹ Tho", "", ""),
    ("tp-my-tho", "agency", "Ủy ban nhân dân TP. Mỹ Tho", "", ""),
    ("tp-my-tho", "agency", "Ban Chỉ huy Quân sự TP. Mỹ Tho", "", ""),
]


@transaction.atomic
def load_organizations(units: dict[str, AdministrativeUnit]) -> None:
    """The organisations of the old units, then their continuation in the five wards.

    An organisation belongs to one unit, so an agency, enterprise or school of a unit merged on
    1/7/2025 continues as a new row of the same name in the successor ward that the recorded
    UnitChange names (its dossiers from 2025 on are the new row's; the old row keeps the
    history up to 2024 and, its unit having ended, takes no new work). The People's Committee
    of an abolished unit does not continue: each new ward has its own. Organisations of units
    with no recorded successor (Phường 3, 7, 8) and of the city level are not carried over.
    Safe to run again (the certifications demo does, after adding its organisations).
    """
    for slug, kind, name, school_level, size in ORGANIZATIONS:
        Organization.objects.update_or_create(
            unit=units[slug],
            name=name,
            defaults={
                "kind": kind,
                "school_level": school_level,
                "enterprise_size": size,
                "is_armed_forces": name.startswith("Ban Chỉ huy Quân sự"),
            },
        )
    new_wards = {units[slug].pk: units[slug] for slug, *_ in NEW_WARDS}
    for ward in new_wards.values():
        Organization.objects.update_or_create(
            unit=ward,
            name=f"Ủy ban nhân dân {ward.name}",
            defaults={"kind": "agency", "address": "[I] Trụ sở mới từ 01/7/2025."},
        )
    succession = Succession.on(REORGANISED)
    ended = [units[slug] for slug, *_ in OLD_UNITS]
    for organization in Organization.objects.filter(unit__in=ended).order_by("pk"):
        if organization.name.startswith("Ủy ban nhân dân"):
            continue
        for successor_id in sorted(succession.resolve(organization.unit_id) & set(new_wards)):
            Organization.objects.update_or_create(
                unit=new_wards[successor_id],
                name=organization.name,
                defaults={
                    "kind": organization.kind,
                    "school_level": organization.school_level,
                    "enterprise_size": organization.enterprise_size,
                    "is_armed_forces": organization.is_armed_forces,
                    "address": f"Trên địa bàn {organization.unit.name} cũ (trước 01/7/2025).",
                },
            )


@transaction.atomic
def load_users(units: dict[str, AdministrativeUnit]) -> list[tuple[str, str]]:
    """Create or refresh the demo accounts; returns (user name, description) pairs.

    From 1/7/2025 the five wards report to the provincial police of Đồng Tháp: ``approver``
    works there (and holds the rights of the ended city level over the old reports); ``leader``
    keeps the ground of TP. Mỹ Tho, which follows the units into the five wards; the officials
    of the old units keep read access to the years their unit existed.
    """
    city, province = units["tp-my-tho"], units["dong-thap"]
    accounts = [
        (
            "admin",
            {
                "role": "admin",
                "unit": None,
                "is_staff": True,
                "is_superuser": True,
                "first_name": "Quản trị",
                "last_name": "viên",
            },
            "quản trị viên / administrator",
        ),
        (
            "leader",
            {
                "role": "leader",
                "unit": city,
                "first_name": "Lãnh đạo",
                "last_name": "khu vực Mỹ Tho",
            },
            "lãnh đạo khu vực TP. Mỹ Tho (nay 5 phường) / Mỹ Tho area leader",
        ),
        (
            "leader-tinh",
            {
                "role": "leader",
                "unit": province,
                "first_name": "Lãnh đạo",
                "last_name": "tỉnh Đồng Tháp",
            },
            "lãnh đạo tỉnh Đồng Tháp / provincial leader",
        ),
        (
            "approver",
            {
                "role": "approver",
                "unit": province,
                "first_name": "Công an",
                "last_name": "tỉnh Đồng Tháp",
                "position": "Phòng Tham mưu, Công an tỉnh (Thường trực Ban Chỉ đạo)",
            },
            "Công an tỉnh Đồng Tháp duyệt báo cáo / provincial police approver",
        ),
        (
            "approver-tp",
            {
                "role": "approver",
                "unit": city,
                "is_active": False,
                "first_name": "Công an",
                "last_name": "TP. Mỹ Tho",
                "position": "Thường trực Ban Chỉ đạo (đến 28/02/2025)",
            },
            "Công an TP. Mỹ Tho, đã giải thể 01/3/2025: người duyệt các năm 2015–2024 "
            "(khóa) / former city police approver, inactive",
        ),
    ]
    for slug, name, *_ in NEW_WARDS:
        accounts.append(
            (
                slug,
                {
                    "role": "official",
                    "unit": units[slug],
                    "first_name": "Cán bộ",
                    "last_name": name,
                },
                f"cán bộ {name} / official",
            ),
        )
    for slug, name, *_ in OLD_UNITS:
        accounts.append(
            (
                slug,
                {
                    "role": "official",
                    "unit": units[slug],
                    "first_name": "Cán bộ",
                    "last_name": name,
                },
                f"cán bộ {name} (đơn vị cũ, chỉ xem) / official of a former unit, read-only",
            ),
        )
    created = []
    for username, fields, description in accounts:
        fields = {
            "is_staff": False,
            "is_superuser": False,
            "is_active": True,
            "position": "",
            "email": f"{username}@mytho.local",
            **fields,
        }
        user, _ = User.objects.update_or_create(username=username, defaults=fields)
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        created.append((username, description))
    return created


def load() -> tuple[dict[str, AdministrativeUnit], list[tuple[str, str]]]:
    units = load_units()
    load_residential_areas(units)
    load_organizations(units)
    return units, load_users(units)
