"""Demonstration data of the yearly reports (``manage.py load_demo``).

The figures are invented but plausible and deterministic (no randomness without a fixed seed);
the city totals agree with the seed article (domain.md §9) where it gives them:

* offenders detected and handled, 2015–2020: exactly 1,816;
* crimes against social order (criminal offences) fall every year;
* hotspots of social evils are dismantled every year;
* over 70% of city police officers hold a university degree in 2020 (70.5%).

The years reach today, following the structure of each year (domain.md §2): 2015–2024 are the
reports of TP. Mỹ Tho's wards and communes (Phường 3, 7, 8 no longer report for 2024: they
ended before its due date) with the city's own report, approved by the city police; from 2025
the five wards of Đồng Tháp report to the provincial police, each covering its predecessors'
ground for the whole year. The current year (Asia/Ho_Chi_Minh) is open with every status: not
started, draft, submitted, returned and approved; ``phuong-my-tho`` has not started.

Idempotent: the catalogue is updated in place and the demo campaigns' reports are rebuilt
from scratch on every run (``load_demo`` only runs on an empty database, see its command).
"""

import datetime
import math
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from campaigns.checks import Entry, report_problems
from campaigns.models import (
    ApprovalLevel,
    Campaign,
    Indicator,
    IndicatorSection,
    ReportingPeriod,
    ReportTransition,
    ReportValue,
    TransitionAction,
    UnitReport,
    ValidationRule,
    ValueChange,
)
from campaigns.services import open_reporting_year
from wards.demo import MERGED_BEFORE_2025, NEW_WARDS
from wards.models import AdministrativeUnit, User

D = datetime.date
CAMPAIGN_SLUG = "antq-my-tho"
PROVINCE_CAMPAIGN_SLUG = "antq-dong-thap"
FIRST_YEAR = 2015
# The seed article's period: its figures are reproduced exactly.
APPROVED_YEARS = list(range(2015, 2021))
# The last year of TP. Mỹ Tho's campaign; the province organises the movement from 2025.
LAST_CITY_YEAR = 2024
REORGANISED_YEAR = 2025


def current_year() -> int:
    return timezone.localdate().year


def demo_years() -> list[int]:
    """2015 … this year (at least 2026, the year the demo was written for)."""
    return list(range(FIRST_YEAR, max(current_year(), 2026) + 1))


SECTIONS = [
    ("crime_order", "Tình hình tội phạm và trật tự xã hội", "Crime and public order"),
    ("social_evils", "Phòng, chống tệ nạn xã hội", "Social evils"),
    (
        "mass_mobilisation",
        "Vận động quần chúng, tin báo, tố giác tội phạm",
        "Mass mobilisation and tip-offs",
    ),
    ("forces_training", "Xây dựng lực lượng, huấn luyện", "Forces and training"),
    ("traffic", "Trật tự an toàn giao thông", "Traffic order and safety"),
    ("rehabilitation", "Quản lý, giáo dục, cảm hóa đối tượng", "Supervision and rehabilitation"),
]

C, W = "city", "commune_level"
# Stocks, not flows: over a period the last year's value counts, not the sum of the years.
STOCK_CODES = {
    "drug_users_managed",
    "self_management_teams",
    "mediation_teams",
    "fire_teams",
    "patrol_teams",
    "community_supervision",
    "police_university_share",
}
# code, section, name_vi, name_en, unit of measure, value type, aggregation, reporter,
# required, change alert %, help text
INDICATORS = [
    ("criminal_cases", "crime_order", "Phạm pháp hình sự (tội phạm về trật tự xã hội)",
     "Criminal offences (crimes against social order)", "vụ", "integer", "sum", W, True, 50,
     "Số vụ xảy ra trên địa bàn trong năm, theo sổ theo dõi của Công an."),
    ("criminal_cases_solved", "crime_order", "Số vụ phạm pháp hình sự đã điều tra làm rõ",
     "Criminal cases solved", "vụ", "integer", "sum", W, True, 50, ""),
    ("gangs_dismantled", "crime_order", "Băng, nhóm tội phạm bị triệt phá",
     "Criminal gangs dismantled", "băng, nhóm", "integer", "sum", W, False, None, ""),
    ("offenders_handled", "crime_order", "Đối tượng vi phạm pháp luật bị phát hiện, xử lý",
     "Offenders detected and handled", "người", "integer", "sum", W, True, 50, ""),
    ("arrests", "crime_order", "Đối tượng bị bắt giữ", "Persons arrested", "người", "integer",
     "sum", W, False, 50, ""),
    ("wanted_caught", "crime_order", "Đối tượng truy nã bị bắt", "Wanted persons caught",
     "người", "integer", "sum", W, False, None, ""),
    ("surrenders", "crime_order", "Đối tượng ra đầu thú", "Persons who surrendered", "người",
     "integer", "sum", W, False, None, ""),
    ("weapons_handed_in", "crime_order",
     "Vũ khí, vật liệu nổ, công cụ hỗ trợ được thu hồi, giao nộp",
     "Weapons, explosives and support tools handed in", "khẩu, quả, cái", "integer", "sum", W,
     False, None, ""),
    ("admin_violations", "crime_order", "Vụ vi phạm hành chính về trật tự xã hội bị xử lý",
     "Administrative violations (social order) handled", "vụ", "integer", "sum", W, False, 50,
     ""),
    ("admin_fines", "crime_order", "Tiền phạt vi phạm hành chính", "Administrative fines",
     "triệu đồng", "decimal", "sum", W, False, 50, "Số tiền phạt đã ra quyết định, triệu đồng."),
    ("social_evil_hotspots_found", "social_evils", "Tụ điểm tệ nạn xã hội phát hiện",
     "Hotspots of social evils found", "tụ điểm", "integer", "sum", W, False, None,
     "Tụ điểm cờ bạc, ma túy, mại dâm phát hiện trong năm."),
    ("social_evil_hotspots_dismantled", "social_evils", "Tụ điểm tệ nạn xã hội bị triệt xóa",
     "Hotspots of social evils dismantled", "tụ điểm", "integer", "sum", W, True, None, ""),
    ("drug_users_managed", "social_evils", "Người nghiện ma túy được quản lý",
     "Drug users under management", "người", "integer", "sum", W, False, 50, ""),
    ("gambling_cases", "social_evils", "Vụ đánh bạc, tổ chức đánh bạc bị phát hiện",
     "Gambling cases detected", "vụ", "integer", "sum", W, False, 50, ""),
    ("tip_offs", "mass_mobilisation", "Tin báo, tố giác tội phạm của nhân dân",
     "Tip-offs and denunciations from the public", "tin", "integer", "sum", W, True, 50, ""),
    ("tip_offs_valuable", "mass_mobilisation", "Trong đó: tin báo có giá trị",
     "Of which valuable tip-offs", "tin", "integer", "sum", W, False, 50, ""),
    ("cases_solved_from_tip_offs", "mass_mobilisation",
     "Vụ việc được làm rõ từ tin báo của nhân dân", "Cases solved from tip-offs", "vụ",
     "integer", "sum", W, False, None, ""),
    ("propaganda_sessions", "mass_mobilisation", "Buổi tuyên truyền, phổ biến pháp luật",
     "Awareness sessions held", "buổi", "integer", "sum", W, False, 50, ""),
    ("propaganda_attendees", "mass_mobilisation", "Lượt người dự tuyên truyền",
     "Attendees of awareness sessions", "lượt người", "integer", "sum", W, False, 50, ""),
    ("self_management_teams", "forces_training", "Tổ tự quản về an ninh, trật tự",
     "Self-management teams for security and order", "tổ", "integer", "sum", W, False, 50, ""),
    ("mediation_teams", "forces_training", "Tổ hòa giải ở cơ sở", "Grassroots mediation teams",
     "tổ", "integer", "sum", W, False, 50, ""),
    ("fire_teams", "forces_training", "Đội dân phòng, phòng cháy chữa cháy cơ sở",
     "Grassroots fire-prevention teams", "đội", "integer", "sum", W, False, 50, ""),
    ("patrol_teams", "forces_training", "Tổ tuần tra nhân dân", "Civil patrol teams", "tổ",
     "integer", "sum", W, False, 50, ""),
    ("patrol_shifts", "forces_training", "Lượt tuần tra", "Patrol shifts", "lượt", "integer",
     "sum", W, False, 50, ""),
    ("militia_trained", "forces_training", "Dân quân tự vệ được huấn luyện",
     "Militia and self-defence members trained", "người", "integer", "sum", W, False, 50, ""),
    ("police_university_share", "forces_training",
     "Tỷ lệ cán bộ, chiến sĩ Công an thành phố có trình độ đại học trở lên",
     "Share of city police officers with a university degree or higher", "%", "percentage",
     "latest", C, True, 20, "Công an thành phố báo cáo, tính đến 31/12."),
    ("police_officers_trained", "forces_training",
     "Lượt cán bộ, chiến sĩ được bồi dưỡng chính trị, nghiệp vụ, pháp luật",
     "Officer training attendances (politics, skills, law)", "lượt", "integer", "sum", C,
     False, 50, "Công an thành phố báo cáo."),
    ("traffic_accidents", "traffic", "Tai nạn giao thông", "Traffic accidents", "vụ", "integer",
     "sum", W, True, None, ""),
    ("traffic_deaths", "traffic", "Người chết do tai nạn giao thông", "Traffic deaths", "người",
     "integer", "sum", W, True, None, ""),
    ("traffic_injuries", "traffic", "Người bị thương do tai nạn giao thông", "Traffic injuries",
     "người", "integer", "sum", W, False, None, ""),
    ("traffic_violations", "traffic", "Trường hợp vi phạm trật tự an toàn giao thông bị xử lý",
     "Traffic violations handled", "trường hợp", "integer", "sum", W, False, 50, ""),
    ("community_supervision", "rehabilitation",
     "Đối tượng được giáo dục, quản lý tại xã, phường",
     "Offenders under community supervision", "người", "integer", "sum", W, False, 50, ""),
    ("community_supervision_released", "rehabilitation",
     "Đối tượng tiến bộ, được chấm dứt thời hạn giáo dục, quản lý",
     "Offenders released after reform", "người", "integer", "sum", W, False, None, ""),
    ("released_prisoners_reintegrated", "rehabilitation",
     "Người chấp hành xong án phạt tù được giúp đỡ tái hòa nhập cộng đồng",
     "Former prisoners helped to reintegrate", "người", "integer", "sum", W, False, 50, ""),
]  # fmt: skip

# code, left, operator, right, severity, message (vi), message (en)
RULES = [
    ("solved_le_cases", "criminal_cases_solved", "lte", "criminal_cases", "block",
     "Số vụ làm rõ không được lớn hơn số vụ phạm pháp hình sự.",
     "Cases solved cannot exceed criminal offences."),
    ("valuable_le_tip_offs", "tip_offs_valuable", "lte", "tip_offs", "block",
     "Tin báo có giá trị không được nhiều hơn tổng số tin báo, tố giác.",
     "Valuable tip-offs cannot exceed all tip-offs."),
    ("deaths_le_accidents", "traffic_deaths", "lte", "traffic_accidents", "warn",
     "Số người chết nhiều hơn số vụ tai nạn giao thông: kiểm tra lại (một vụ có thể làm chết "
     "nhiều người thì ghi chú rõ).",
     "More traffic deaths than accidents: check (explain if one crash killed several people)."),
    ("dismantled_le_found", "social_evil_hotspots_dismantled", "lte",
     "social_evil_hotspots_found", "warn",
     "Số tụ điểm triệt xóa nhiều hơn số phát hiện trong năm: kiểm tra lại (có thể gồm tụ điểm "
     "phát hiện từ năm trước).",
     "More hotspots dismantled than found this year: check (some may date from last year)."),
    ("tip_off_cases_le_valuable", "cases_solved_from_tip_offs", "lte", "tip_offs_valuable",
     "warn", "Số vụ làm rõ từ tin báo nhiều hơn số tin báo có giá trị: kiểm tra lại.",
     "More cases solved from tip-offs than valuable tip-offs: check."),
    ("released_le_supervised", "community_supervision_released", "lte", "community_supervision",
     "warn", "Số đối tượng được chấm dứt quản lý nhiều hơn số đang quản lý: kiểm tra lại.",
     "More offenders released than under supervision: check."),
]  # fmt: skip

# Relative size of each ward and commune (population and activity), in the order of the
# wards demo.
WEIGHTS = {
    "phuong-1": 1.30, "phuong-2": 1.10, "phuong-3": 0.80, "phuong-4": 1.20, "phuong-5": 1.00,
    "phuong-6": 1.10, "phuong-7": 0.70, "phuong-8": 0.80, "phuong-9": 1.00, "phuong-10": 1.10,
    "tan-long": 0.60, "dao-thanh": 0.90, "trung-an": 1.00, "my-phong": 0.90,
    "tan-my-chanh": 0.80, "thoi-son": 0.60, "phuoc-thanh": 0.70,
}  # fmt: skip
UNIT_SLUGS = list(WEIGHTS)

# City totals per year, 2015 … 2021, apportioned over the units; later years continue the
# trend (see _extended).
TOTALS = {
    # 340 + 322 + 310 + 296 + 280 + 268 = 1,816 over 2015–2020 (the article's figure).
    "offenders_handled": [340, 322, 310, 296, 280, 268, 255],
    # Falls every year (the article: "tội phạm về trật tự xã hội giảm hằng năm").
    "criminal_cases": [152, 141, 133, 121, 112, 104, 98],
    "gangs_dismantled": [9, 8, 8, 7, 6, 6, 5],
    "arrests": [118, 110, 104, 97, 90, 84, 80],
    "wanted_caught": [14, 12, 13, 11, 10, 9, 9],
    "surrenders": [8, 9, 7, 8, 6, 7, 6],
    "weapons_handed_in": [46, 52, 41, 38, 35, 33, 30],
    "admin_violations": [410, 398, 386, 371, 360, 352, 340],
    # Dismantled every year (the article: "phát hiện triệt xóa nhiều tụ điểm").
    "social_evil_hotspots_dismantled": [24, 21, 19, 17, 15, 12, 11],
    "drug_users_managed": [86, 82, 79, 75, 72, 70, 68],
    "gambling_cases": [31, 29, 26, 24, 22, 19, 18],
    "tip_offs": [265, 281, 296, 310, 322, 335, 341],
    "propaganda_sessions": [204, 212, 220, 228, 236, 245, 250],
    "militia_trained": [380, 385, 390, 392, 398, 405, 410],
    "traffic_accidents": [38, 36, 35, 33, 31, 28, 27],
    "traffic_violations": [2150, 2230, 2310, 2380, 2460, 2540, 2600],
    "community_supervision": [42, 40, 38, 37, 35, 33, 32],
    "released_prisoners_reintegrated": [25, 23, 24, 22, 21, 20, 19],
}
HOTSPOTS_FOUND_EXTRA = [3, 3, 3, 2, 2, 2, 2]
SOLVED_RATE = [0.80, 0.81, 0.83, 0.84, 0.86, 0.87, 0.88]
VALUABLE_RATE = [0.60, 0.61, 0.63, 0.64, 0.66, 0.67, 0.68]
FROM_TIP_OFFS_RATE = 0.30
DEATHS = [21, 19, 19, 17, 16, 14, 14]
INJURIES = [44, 41, 39, 37, 34, 31, 30]
RELEASED = [18, 17, 17, 16, 15, 14, 14]
FINES_MILLION = [812.5, 790.0, 776.5, 754.0, 739.5, 720.0, 705.0]
# City-level report: over 70% in 2020 (the article: "trên 70%").
POLICE_UNIVERSITY_SHARE = ["58.2", "61.0", "63.4", "66.1", "68.3", "70.5", "71.2"]
POLICE_TRAINED = [980, 1010, 1050, 1100, 1160, 1215, 1240]

# Submissions after the due date (15/12), to give the completeness page something to show.
LATE = {(2016, "phuong-8"), (2018, "thoi-son"), (2019, "phuong-7"), (2020, "phuoc-thanh")}

# The current year, in progress: ward → status ("" = not started).
STATUS_CURRENT = {
    "phuong-my-tho": "",
    "phuong-thoi-son": "draft",
    "phuong-dao-thanh": "submitted",
    "phuong-my-phong": "returned",
    "phuong-trung-an": "approved",
}
RETURN_REASONS_CURRENT = {
    "phuong-my-phong": "Số vụ phạm pháp hình sự chưa khớp với sổ theo dõi của Công an phường; "
    "đề nghị kiểm tra lại và bổ sung ghi chú.",
}

# The approval levels of the demo (data an administrator keeps; domain.md §2, §8).
APPROVAL_LEVELS = [
    # name, reporter, step, tier, office, from, to
    ("Công an cấp huyện (Thường trực Ban Chỉ đạo) duyệt báo cáo của phường, xã",
     "commune_level", 1, "district", "Công an thành phố", 2015, LAST_CITY_YEAR),
    ("Công an thành phố duyệt báo cáo tổng hợp của thành phố",
     "city", 1, "district", "Công an thành phố", 2015, LAST_CITY_YEAR),
    ("Công an tỉnh duyệt lần hai báo cáo tổng hợp của thành phố",
     "city", 2, "province", "[I] Phòng Tham mưu, Công an tỉnh", 2021, LAST_CITY_YEAR),
    ("Công an tỉnh duyệt báo cáo của phường, xã",
     "commune_level", 1, "province", "[I] Phòng Tham mưu, Công an tỉnh (cần xác định phòng "
     "phụ trách phong trào)", REORGANISED_YEAR, None),
]  # fmt: skip


def _extended(values: list, year: int):
    """The series' value for ``year``: given for 2015–2021, continued after at half the
    average yearly change of 2015–2021 (rates and shares repeat their last value)."""
    i = year - FIRST_YEAR
    if i < len(values):
        return values[i]
    first, last = float(values[0]), float(values[-1])
    if isinstance(values[-1], str) or not isinstance(values[-1], int):
        return values[-1]
    ratio = (last / first) ** (1 / (len(values) - 1)) if first > 0 else 1.0
    ratio = 1 + (ratio - 1) / 2
    return max(0, round(last * ratio ** (i - len(values) + 1)))


def apportion(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Split ``total`` in whole parts proportional to ``weights`` (largest remainders), never
    giving a part more than its cap. The parts always sum to ``total`` exactly."""
    weight_sum = sum(weights)
    if weight_sum <= 0 or total <= 0:
        return [0] * len(weights)
    quotas = [total * w / weight_sum for w in weights]
    parts = [math.floor(q) for q in quotas]
    if caps is not None:
        parts = [min(p, c) for p, c in zip(parts, caps, strict=True)]
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - math.floor(quotas[i])), i))
    remaining = total - sum(parts)
    while remaining > 0:
        progressed = False
        for i in order:
            if remaining == 0:
                break
            if weights[i] <= 0 or (caps is not None and parts[i] >= caps[i]):
                continue
            parts[i] += 1
            remaining -= 1
            progressed = True
        if not progressed:
            raise ValueError("caps are too small for the total")
    return parts


def _wobbled(code: str, year: int, slugs: list[str]) -> list[float]:
    """Unit weights with a small, seeded, per-indicator and per-year variation."""
    result = []
    for slug in slugs:
        rng = random.Random(f"{slug}/{code}/{year}")  # noqa: S311 - demo figures, fixed seed
        result.append(WEIGHTS[slug] * rng.uniform(0.8, 1.2))
    return result


def unit_figures(year: int, slugs: list[str] | None = None) -> dict[str, dict[str, Decimal]]:
    """Every commune-level figure of ``year`` for the old units ``slugs`` (by default the 17):
    slug → code → value. The city totals are shared among the units given."""
    slugs = list(slugs if slugs is not None else UNIT_SLUGS)
    by_code: dict[str, list[int]] = {
        code: apportion(_extended(totals, year), _wobbled(code, year, slugs))
        for code, totals in TOTALS.items()
    }
    cases = by_code["criminal_cases"]
    by_code["criminal_cases_solved"] = apportion(
        round(sum(cases) * _extended(SOLVED_RATE, year)), [float(c) for c in cases], caps=cases
    )
    dismantled = by_code["social_evil_hotspots_dismantled"]
    extra = apportion(
        _extended(HOTSPOTS_FOUND_EXTRA, year), _wobbled("hotspots_extra", year, slugs)
    )
    by_code["social_evil_hotspots_found"] = [d + e for d, e in zip(dismantled, extra, strict=True)]
    tips = by_code["tip_offs"]
    valuable = apportion(
        round(sum(tips) * _extended(VALUABLE_RATE, year)), [float(t) for t in tips], caps=tips
    )
    by_code["tip_offs_valuable"] = valuable
    by_code["cases_solved_from_tip_offs"] = apportion(
        round(sum(valuable) * FROM_TIP_OFFS_RATE), [float(v) for v in valuable], caps=valuable
    )
    accidents = by_code["traffic_accidents"]
    weights = [float(a) for a in accidents]
    by_code["traffic_deaths"] = apportion(
        min(_extended(DEATHS, year), sum(accidents)), weights, caps=accidents
    )
    by_code["traffic_injuries"] = apportion(_extended(INJURIES, year), weights)
    supervised = by_code["community_supervision"]
    by_code["community_supervision_released"] = apportion(
        min(_extended(RELEASED, year), sum(supervised)),
        [float(s) for s in supervised],
        caps=supervised,
    )
    halves = apportion(
        round(float(_extended(FINES_MILLION, year)) * 2), _wobbled("admin_fines", year, slugs)
    )
    sessions = by_code["propaganda_sessions"]
    figures: dict[str, dict[str, Decimal]] = {}
    for u, slug in enumerate(slugs):
        weight = WEIGHTS[slug]
        rng = random.Random(f"{slug}/teams/{year}")  # noqa: S311 - demo figures, fixed seed
        patrol_teams = 4 + round(4 * weight) + (1 if year >= 2018 else 0)
        row = {code: Decimal(values[u]) for code, values in by_code.items()}
        row["admin_fines"] = Decimal(halves[u]) / 2
        row["propaganda_attendees"] = Decimal(sessions[u] * (45 + rng.randint(0, 12)))
        row["self_management_teams"] = Decimal(5 + round(3 * weight) + (year - 2015) // 3)
        row["mediation_teams"] = Decimal(5)
        row["fire_teams"] = Decimal(5)
        row["patrol_teams"] = Decimal(patrol_teams)
        row["patrol_shifts"] = Decimal(patrol_teams * (140 + rng.randint(0, 30)))
        figures[slug] = row
    return figures


def city_figures(year: int) -> dict[str, Decimal]:
    share = Decimal(_extended(POLICE_UNIVERSITY_SHARE, year))
    if year - FIRST_YEAR >= len(POLICE_UNIVERSITY_SHARE):
        share += Decimal("0.8") * (year - FIRST_YEAR - len(POLICE_UNIVERSITY_SHARE) + 1)
    return {
        "police_university_share": share,
        "police_officers_trained": Decimal(_extended(POLICE_TRAINED, year)),
    }


def ward_figures(year: int, wards) -> dict[str, dict[str, Decimal]]:
    """Figures of the wards of 2025 for ``year``: each the sum of its predecessors' shares
    (``wards``: (slug, name, predecessor slugs, source) as in wards.demo.NEW_WARDS)."""
    old = [slug for slug in UNIT_SLUGS if slug not in MERGED_BEFORE_2025]
    shares = unit_figures(year, old)
    result = {}
    for slug, _name, predecessors, _source in wards:
        total: dict[str, Decimal] = {}
        for predecessor in predecessors:
            for code, value in shares[predecessor].items():
                total[code] = total.get(code, Decimal(0)) + value
        result[slug] = total
    return result


# --- loading -------------------------------------------------------------------------------


def _at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _load_catalogue() -> dict[str, Indicator]:
    sections = {}
    for order, (code, name_vi, name_en) in enumerate(SECTIONS, start=1):
        sections[code], _ = IndicatorSection.objects.update_or_create(
            code=code, defaults={"name_vi": name_vi, "name_en": name_en, "order": order}
        )
    indicators = {}
    for order, row in enumerate(INDICATORS, start=1):
        (code, section, name_vi, name_en, uom, value_type, aggregation, reporter, required,
         alert, help_text) = row  # fmt: skip
        indicators[code], _ = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "section": sections[section],
                "name_vi": name_vi,
                "name_en": name_en,
                "unit_of_measure": uom,
                "value_type": value_type,
                "aggregation": "average" if value_type == "percentage" else aggregation,
                "period_aggregation": "latest" if code in STOCK_CODES else "sum",
                "reporter": reporter,
                "is_required": required,
                "change_alert_percent": alert,
                "min_value": Decimal(0),
                "max_value": Decimal(100) if value_type == "percentage" else None,
                "valid_from_year": 2015,
                "valid_to_year": None,
                "help_text": help_text,
                "order": order,
            },
        )
    for code, left, operator, right, severity, message_vi, message_en in RULES:
        ValidationRule.objects.update_or_create(
            code=code,
            defaults={
                "left": indicators[left],
                "operator": operator,
                "right": indicators[right],
                "severity": severity,
                "message_vi": message_vi,
                "message_en": message_en,
                "is_active": True,
            },
        )
    return indicators


def _load_approval_levels() -> None:
    for name, reporter, step, tier, office, first, last in APPROVAL_LEVELS:
        ApprovalLevel.objects.update_or_create(
            reporter=reporter,
            step=step,
            valid_from_year=first,
            defaults={"name": name, "tier": tier, "office": office, "valid_to_year": last},
        )


def _load_campaigns(
    city: AdministrativeUnit, province: AdministrativeUnit
) -> tuple[list[Campaign], dict[int, ReportingPeriod]]:
    """TP. Mỹ Tho's campaign (2015–2024) and the province's (from 2025), with their periods:
    past years by the calendar; the current year opened as every deployment opens it."""
    description = (
        "Dữ liệu minh họa, không phải số liệu chính thức. Năm hiện tại đang trong kỳ báo cáo "
        "để thử quy trình nhập, nộp, trả lại và duyệt."
    )
    city_campaign, _ = Campaign.objects.update_or_create(
        slug=CAMPAIGN_SLUG,
        defaults={
            "name": "Phong trào Toàn dân bảo vệ an ninh Tổ quốc — TP. Mỹ Tho",
            "city": city,
            "start_year": FIRST_YEAR,
            "end_year": LAST_CITY_YEAR,
            "is_demo": True,
            "description": description,
        },
    )
    province_campaign, _ = Campaign.objects.update_or_create(
        slug=PROVINCE_CAMPAIGN_SLUG,
        defaults={
            "name": "Phong trào Toàn dân bảo vệ an ninh Tổ quốc — tỉnh Đồng Tháp",
            "city": province,
            "start_year": REORGANISED_YEAR,
            "end_year": None,
            "is_demo": True,
            "description": description,
        },
    )
    today = timezone.localdate()
    open_reporting_year(today=today)
    periods = {}
    for year in demo_years():
        campaign = city_campaign if year <= LAST_CITY_YEAR else province_campaign
        opens, due, closes = campaign.period_dates(year)
        if year == today.year:
            periods[year] = ReportingPeriod.objects.get(campaign=campaign, year=year)
            continue
        periods[year], _ = ReportingPeriod.objects.update_or_create(
            campaign=campaign,
            year=year,
            defaults={"opens_on": opens, "due_on": due, "closes_on": closes},
        )
    return [city_campaign, province_campaign], periods


class _Builder:
    """Collects reports, values and audit rows, then writes them with bulk inserts."""

    def __init__(self, indicators: dict[str, Indicator], rules: list[ValidationRule]):
        self.indicators = indicators
        self.rules = rules
        self.pending: list[tuple[UnitReport, dict, list[tuple]]] = []

    def comments_for(
        self, unit: AdministrativeUnit, figures: dict[str, Decimal], last: dict[str, Decimal]
    ) -> dict[str, str]:
        """A comment wherever the change from last year asks for one (as the form would)."""
        mine = [i for i in self.indicators.values() if i.is_reported_by(unit)]
        problems = report_problems(
            indicators=mine,
            entries={self.indicators[c].pk: Entry(v) for c, v in figures.items()},
            last_year={self.indicators[c].pk: v for c, v in last.items()},
            rules=self.rules,
        )
        by_id = {i.pk: i.code for i in mine}
        comments = {}
        for problem in problems:
            if problem.kind != "change":
                continue
            code = by_id[problem.indicator_id]
            comments[code] = (
                "Tăng do đẩy mạnh tấn công, trấn áp và vận động quần chúng."
                if figures[code] > last[code]
                else "Giảm do làm tốt công tác phòng ngừa; số liệu nhỏ nên tỷ lệ biến động lớn."
            )
        return comments

    def add(self, report: UnitReport, figures: dict, comments: dict, steps: list[tuple]) -> None:
        self.pending.append(
            (report, {c: (v, comments.get(c, "")) for c, v in figures.items()}, steps)
        )

    def write(self) -> int:
        reports = UnitReport.objects.bulk_create([r for r, _f, _s in self.pending])
        values, changes, transitions = [], [], []
        for report, (_r, figures, steps) in zip(reports, self.pending, strict=True):
            version = 0
            for step in steps:
                kind, actor, at = step[0], step[1], step[2]
                version += 1
                if kind == "save":
                    for code, (value, comment) in figures.items():
                        indicator = self.indicators[code]
                        values.append(
                            ReportValue(
                                report=report, indicator=indicator, value=value, comment=comment
                            )
                        )
                        changes.append(
                            ValueChange(
                                report=report,
                                indicator=indicator,
                                version=version,
                                old_value=None,
                                new_value=value,
                                new_comment=comment,
                                changed_by=actor,
                                source=ValueChange.Source.DEMO,
                                created_at=at,
                            )
                        )
                else:
                    action, from_status, to_status, reason = step[3:]
                    transitions.append(
                        ReportTransition(
                            report=report,
                            action=action,
                            from_status=from_status,
                            to_status=to_status,
                            actor=actor,
                            reason=reason,
                            version=version,
                            created_at=at,
                        )
                    )
        ReportValue.objects.bulk_create(values, batch_size=1000)
        ValueChange.objects.bulk_create(changes, batch_size=1000)
        ReportTransition.objects.bulk_create(transitions, batch_size=1000)
        return len(reports)


def _submit(official, day, from_status="draft"):
    return (
        "submit",
        official,
        _at(day, 9, 30),
        TransitionAction.SUBMIT,
        from_status,
        "submitted",
        "",
    )


def _approve(approver, day):
    return (
        "approve",
        approver,
        _at(day, 14, 0),
        TransitionAction.APPROVE,
        "submitted",
        "approved",
        "",
    )


def _approve_step(approver, day):
    return (
        "approve_step",
        approver,
        _at(day, 11, 0),
        TransitionAction.APPROVE_STEP,
        "submitted",
        "submitted",
        "Đã duyệt cấp thành phố; chuyển Công an tỉnh duyệt lần hai.",
    )


@transaction.atomic
def load(units: dict[str, AdministrativeUnit]) -> str:
    """Load the catalogue, the approval levels, the demo campaigns and their reports from
    2015 to the current year; return a summary line."""
    city, province = units["tp-my-tho"], units["dong-thap"]
    indicators = _load_catalogue()
    _load_approval_levels()
    campaigns, periods = _load_campaigns(city, province)
    UnitReport.objects.filter(period__campaign__in=campaigns).delete()

    new_slugs = [slug for slug, *_ in NEW_WARDS]
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[*UNIT_SLUGS, *new_slugs, "approver", "approver-tp", "admin"]
        )
    }
    city_approver, province_approver = users["approver-tp"], users["approver"]
    admin = users["admin"]
    rules = list(ValidationRule.objects.active())
    builder = _Builder(indicators, rules)
    last_unit: dict[str, dict[str, Decimal]] = {}
    last_city: dict[str, Decimal] = {}
    this_year = current_year()

    for year in demo_years():
        period = periods[year]
        if year <= LAST_CITY_YEAR:
            reporting = [
                slug
                for slug in UNIT_SLUGS
                if year < LAST_CITY_YEAR or slug not in MERGED_BEFORE_2025
            ]
            figures_by_unit = unit_figures(year, reporting if year >= 2021 else None)
            approver = city_approver
        else:
            reporting = new_slugs
            figures_by_unit = ward_figures(year, NEW_WARDS)
            approver = province_approver
        for order, slug in enumerate(reporting):
            unit, official = units[slug], users[slug]
            figures = figures_by_unit[slug]
            comments = builder.comments_for(unit, figures, last_unit.get(slug, {}))
            last_unit[slug] = figures
            if year == this_year:
                _add_current(builder, period, unit, official, approver, figures, comments)
                continue
            submitted = (
                D(year, 12, 17 + order % 4) if (year, slug) in LATE else D(year, 12, 2 + order % 10)
            )
            steps = [
                ("save", official, _at(submitted - datetime.timedelta(days=3))),
                _submit(official, submitted),
                _approve(approver, D(year, 12, 22)),
            ]
            builder.add(_report(period, unit, official, steps), figures, comments, steps)
        if year > LAST_CITY_YEAR:
            continue
        city_values = city_figures(year)
        city_comments = builder.comments_for(city, city_values, last_city)
        last_city = city_values
        steps = [
            ("save", city_approver, _at(D(year, 12, 8))),
            _submit(city_approver, D(year, 12, 10)),
        ]
        if year >= 2021:
            # From 2021 the province approves the city's consolidated report a second time.
            steps.append(_approve_step(admin, D(year, 12, 20)))
            steps.append(_approve(province_approver, D(year, 12, 23)))
        else:
            steps.append(_approve(admin, D(year, 12, 23)))
        builder.add(_report(period, city, city_approver, steps), city_values, city_comments, steps)

    count = builder.write()
    total = sum(
        sum(unit_figures(y)[s]["offenders_handled"] for s in UNIT_SLUGS) for y in APPROVED_YEARS
    )
    return (
        f"Campaign reports: {len(indicators)} indicators, {len(rules)} rules, "
        f"{len(periods)} periods ({min(periods)}–{max(periods)}), {count} reports "
        f"(offenders handled 2015–2020: {total}; {this_year} in progress, due "
        f"{periods[this_year].due_on:%d/%m/%Y})"
    )


def _report(period, unit, creator, steps) -> UnitReport:
    """The report row as it stands after ``steps``."""
    report = UnitReport(period=period, unit=unit, created_by=creator, status="draft")
    report.version = len(steps)
    for step in steps:
        kind, actor, at = step[0], step[1], step[2]
        if kind == "save":
            continue
        to_status, reason = step[5], step[6]
        report.status = to_status
        if kind == "submit":
            report.first_submitted_at = report.first_submitted_at or at
            report.submitted_at, report.submitted_by = at, actor
            report.approval_step = 0
        elif kind == "approve_step":
            report.approval_step += 1
        elif kind == "approve":
            report.approval_step += 1
            report.approved_at, report.approved_by = at, actor
        elif kind == "return":
            report.return_reason = reason
    return report


def _add_current(builder, period, unit, official, approver, figures, comments) -> None:
    """The current year's report of a ward, in the status STATUS_CURRENT gives it."""
    slug = unit.slug
    status = STATUS_CURRENT.get(slug, "")
    if not status:
        return
    today = timezone.localdate()
    if status == "draft":
        wanted = {
            i.code
            for i in builder.indicators.values()
            if i.section.code in ("crime_order", "social_evils")
        }
        figures = {c: v for c, v in figures.items() if c in wanted}
    # Dates before today and inside the period (the demo may be loaded on any day of the year).
    submitted = max(period.opens_on, min(period.due_on, today) - datetime.timedelta(days=6))
    steps = [("save", official, _at(submitted - datetime.timedelta(days=2)))]
    if status in ("submitted", "returned", "approved"):
        steps.append(_submit(official, submitted))
    decided = min(today, submitted + datetime.timedelta(days=3))
    if status == "returned":
        steps.append(
            ("return", approver, _at(decided, 10), TransitionAction.RETURN, "submitted",
             "returned", RETURN_REASONS_CURRENT[slug])
        )  # fmt: skip
    if status == "approved":
        steps.append(_approve(approver, decided))
    builder.add(_report(period, unit, official, steps), figures, comments, steps)
