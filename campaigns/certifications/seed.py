# ruff: noqa: E501 - legal texts, one criterion per line, read better unbroken
"""The rule sets in force in 2012–today (domain.md §3, §4), as data to seed the database.

[V] validity of TT 23/2012/TT-BCA (18/6/2012 – 9/2/2022) and TT 124/2021/TT-BCA (from 10/2/2022),
the criteria named in domain.md §3 and the TT 124 exclusions. The wording of each criterion is a
summary for data entry [I]; the culture-sector sets, the classification sheets and the thresholds
are [I] too. Administrators correct them in the admin: seeding only creates rule sets that are
missing (by code) and never overwrites an existing one.

Used by migration 0002 (with the historical models), by the demo loader and by the tests (a
transactional test empties the tables, data migrations included).
"""

import datetime

D = datetime.date
ALL = ["unit", "residential_area", "agency_enterprise", "school"]
SUMMARY_NOTE = (
    "Nội dung tiêu chí là tóm lược để nhập liệu [I]; đối chiếu nguyên văn văn bản trước khi dùng "
    "chính thức."
)

TT23 = {
    "code": "tt-23-2012-antt",
    "subject": "antt_safe",
    "name": "Thông tư 23/2012/TT-BCA — tiêu chuẩn “An toàn về an ninh, trật tự”",
    "legal_basis": "Thông tư 23/2012/TT-BCA của Bộ Công an",
    "valid_from": D(2012, 6, 18),
    "valid_to": D(2022, 2, 9),
    "holder_kinds": ALL,
    "note": "[V] Hiệu lực 18/6/2012 – 9/2/2022; ≥ 70% khu dân cư đạt là tiêu chí của xã, phường. "
    + SUMMARY_NOTE,
    "criteria": [
        (
            "unit",
            "6.1",
            "Có nghị quyết của cấp ủy Đảng, kế hoạch của Ủy ban nhân dân về bảo đảm an ninh, trật tự và đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” từ quý I hằng năm.",
            None,
        ),
        (
            "unit",
            "6.2",
            "Thực hiện tốt các tiêu chuẩn đối với khu dân cư: không để xảy ra vụ việc phức tạp về an ninh, trật tự; kiềm chế, làm giảm tội phạm, tệ nạn xã hội.",
            None,
        ),
        (
            "unit",
            "6.3",
            "Công an xã (phường), Bảo vệ dân phố, Dân phòng được xếp loại “Đơn vị tiên tiến” trở lên; không có cán bộ bị kỷ luật từ hình thức cảnh cáo trở lên.",
            None,
        ),
        (
            "unit",
            "6.4",
            "Có từ 70% trở lên số khu dân cư được công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự”.",
            70,
        ),
        (
            "residential_area",
            "5.1",
            "Đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” từ quý I hằng năm.",
            None,
        ),
        (
            "residential_area",
            "5.2",
            "Không có hoạt động chống Đảng, chính quyền, phá hoại khối đại đoàn kết toàn dân; không có khiếu kiện đông người, vượt cấp trái pháp luật.",
            None,
        ),
        (
            "residential_area",
            "5.3",
            "Kiềm chế, làm giảm các loại tội phạm, tệ nạn xã hội và vi phạm pháp luật khác so với năm trước.",
            None,
        ),
        (
            "residential_area",
            "5.4",
            "Không để xảy ra cháy, nổ nghiêm trọng; tai nạn giao thông, tai nạn lao động nghiêm trọng do nguyên nhân chủ quan.",
            None,
        ),
        (
            "residential_area",
            "5.5",
            "Các tổ chức quần chúng, mô hình tự quản về an ninh, trật tự hoạt động có hiệu quả.",
            None,
        ),
        (
            "agency_enterprise",
            "7.1",
            "Có kế hoạch bảo đảm an ninh, trật tự và đăng ký phấn đấu đạt tiêu chuẩn từ quý I hằng năm.",
            None,
        ),
        (
            "agency_enterprise",
            "7.2",
            "Có nội quy, quy chế bảo vệ cơ quan, doanh nghiệp và tổ chức thực hiện nghiêm.",
            None,
        ),
        (
            "agency_enterprise",
            "7.3",
            "100% cán bộ, công nhân viên được phổ biến, cam kết chấp hành pháp luật về an ninh, trật tự.",
            None,
        ),
        (
            "agency_enterprise",
            "7.4",
            "Có ít nhất một mô hình phòng, chống tội phạm hoặc tự quản về an ninh, trật tự hoạt động có hiệu quả.",
            None,
        ),
        (
            "agency_enterprise",
            "7.5",
            "Không để xảy ra khiếu kiện đông người, đình công trái pháp luật, mất cắp tài sản lớn, lộ bí mật, cháy nổ, tai nạn lao động nghiêm trọng; không có cán bộ, nhân viên phạm tội.",
            None,
        ),
        (
            "school",
            "8.1",
            "Có kế hoạch bảo đảm an ninh, trật tự và đăng ký phấn đấu đạt tiêu chuẩn từ quý I hằng năm.",
            None,
        ),
        (
            "school",
            "8.2",
            "Cán bộ, giáo viên, học sinh, sinh viên ký cam kết chấp hành pháp luật về an ninh, trật tự.",
            None,
        ),
        (
            "school",
            "8.3",
            "Phối hợp chặt chẽ với gia đình học sinh, chính quyền và Công an địa phương.",
            None,
        ),
        (
            "school",
            "8.4",
            "Không để xảy ra bạo lực học đường, tệ nạn xã hội trong nhà trường.",
            None,
        ),
    ],
    "exclusions": [],
}

TT124_REASON = "Thông tư 124/2021/TT-BCA không xét danh hiệu “An toàn về an ninh, trật tự” đối với "
TT124 = {
    "code": "tt-124-2021-antt",
    "subject": "antt_safe",
    "name": "Thông tư 124/2021/TT-BCA — tiêu chuẩn “An toàn về an ninh, trật tự”",
    "legal_basis": "Thông tư 124/2021/TT-BCA của Bộ Công an",
    "valid_from": D(2022, 2, 10),
    "valid_to": None,
    "holder_kinds": ALL,
    "note": "[V] Hiệu lực từ 10/2/2022; loại trừ trường tiểu học, mầm non, doanh nghiệp nhỏ và "
    "siêu nhỏ, đơn vị lực lượng vũ trang. Thông tư 48/2025/TT-BCA sửa đổi cho giai đoạn sau "
    "2025 (chưa nhập). " + SUMMARY_NOTE,
    "criteria": [
        (
            "unit",
            "5.1",
            "Có nghị quyết của cấp ủy, kế hoạch của Ủy ban nhân dân và đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” trong quý I hằng năm.",
            None,
        ),
        (
            "unit",
            "5.2",
            "Có ít nhất 01 mô hình phòng, chống tội phạm, bảo đảm an ninh, trật tự hoạt động hiệu quả.",
            None,
        ),
        ("unit", "5.3", "Không có cán bộ Công an xã (phường) bị kỷ luật.", None),
        (
            "unit",
            "5.4",
            "Không để xảy ra vụ việc phức tạp về an ninh, trật tự; kiềm chế, làm giảm tội phạm, tai nạn, tệ nạn xã hội so với năm trước.",
            None,
        ),
        (
            "residential_area",
            "4.1",
            "Đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” trong quý I hằng năm.",
            None,
        ),
        (
            "residential_area",
            "4.2",
            "Không để xảy ra hoạt động xâm phạm an ninh quốc gia, vụ việc phức tạp về an ninh, trật tự.",
            None,
        ),
        (
            "residential_area",
            "4.3",
            "Kiềm chế, làm giảm tội phạm, tệ nạn xã hội, tai nạn so với năm trước.",
            None,
        ),
        (
            "residential_area",
            "4.4",
            "Có mô hình tự quản, tổ chức quần chúng tham gia bảo vệ an ninh, trật tự hoạt động hiệu quả.",
            None,
        ),
        (
            "agency_enterprise",
            "6.1",
            "Có kế hoạch bảo đảm an ninh, trật tự và đăng ký phấn đấu đạt tiêu chuẩn trong quý I hằng năm.",
            None,
        ),
        ("agency_enterprise", "6.2", "Có nội quy, quy chế về bảo vệ cơ quan, doanh nghiệp.", None),
        (
            "agency_enterprise",
            "6.3",
            "100% cán bộ, công nhân viên được phổ biến hoặc ký cam kết chấp hành pháp luật về an ninh, trật tự.",
            None,
        ),
        (
            "agency_enterprise",
            "6.4",
            "Có ít nhất 01 mô hình phòng, chống tội phạm, bảo đảm an ninh, trật tự hoạt động hiệu quả.",
            None,
        ),
        (
            "agency_enterprise",
            "6.5",
            "Không để xảy ra: khiếu kiện đông người, đình công trái pháp luật, mất cắp tài sản lớn, lộ lọt bí mật, cháy nổ, tai nạn lao động nghiêm trọng; không có cán bộ, công nhân viên phạm tội.",
            None,
        ),
        (
            "school",
            "7.1",
            "Có kế hoạch bảo đảm an ninh, trật tự và đăng ký phấn đấu đạt tiêu chuẩn trong quý I hằng năm.",
            None,
        ),
        (
            "school",
            "7.2",
            "Cán bộ, giáo viên, học sinh, sinh viên ký cam kết chấp hành pháp luật về an ninh, trật tự.",
            None,
        ),
        (
            "school",
            "7.3",
            "Phối hợp với gia đình học sinh, chính quyền và Công an cơ sở trong giáo dục, quản lý học sinh.",
            None,
        ),
        ("school", "7.4", "Không để xảy ra bạo lực học đường.", None),
    ],
    "exclusions": [
        ("school_level", "primary", TT124_REASON + "trường tiểu học."),
        ("school_level", "kindergarten", TT124_REASON + "cơ sở giáo dục mầm non."),
        ("enterprise_size", "micro,small", TT124_REASON + "doanh nghiệp nhỏ và siêu nhỏ."),
        ("is_armed_forces", "", TT124_REASON + "đơn vị thuộc lực lượng vũ trang."),
    ],
}

CULTURE_CRITERIA = [
    ("1", "Đời sống kinh tế ổn định và từng bước phát triển."),
    ("2", "Đời sống văn hóa, tinh thần lành mạnh, phong phú."),
    ("3", "Nếp sống văn minh, môi trường cảnh quan sạch đẹp."),
    (
        "4",
        "Chấp hành tốt chủ trương của Đảng, chính sách, pháp luật của Nhà nước; bảo đảm an ninh, trật tự.",
    ),
    ("5", "Có tinh thần đoàn kết, tương trợ trong cộng đồng."),
]
CIVILIZED = {
    "code": "tt-02-2013-van-minh-do-thi",
    "subject": "civilized_urban",
    "name": "Thông tư 02/2013/TT-BVHTTDL — “Phường đạt chuẩn văn minh đô thị”",
    "legal_basis": "Thông tư 02/2013/TT-BVHTTDL của Bộ Văn hóa, Thể thao và Du lịch",
    "valid_from": D(2013, 1, 1),
    "valid_to": None,
    "holder_kinds": ["unit"],
    "note": "[V] Văn bản áp dụng cho phường. [I] Ngày hiệu lực (ghi tạm 01/01/2013), văn bản "
    "thay thế và nội dung tiêu chí cần đối chiếu. " + SUMMARY_NOTE,
    "criteria": [("unit", code, text, None) for code, text in CULTURE_CRITERIA],
    "exclusions": [],
}
RURAL = {
    "code": "tt-17-2011-van-hoa-nong-thon-moi",
    "subject": "new_rural_culture",
    "name": "Thông tư 17/2011/TT-BVHTTDL — “Xã đạt chuẩn văn hóa nông thôn mới”",
    "legal_basis": "Thông tư 17/2011/TT-BVHTTDL của Bộ Văn hóa, Thể thao và Du lịch",
    "valid_from": D(2012, 1, 1),
    "valid_to": D(2022, 12, 31),
    "holder_kinds": ["unit"],
    "note": "[V] Hết hiệu lực từ 01/01/2023. [I] Ngày bắt đầu (ghi tạm 01/01/2012) và nội dung "
    "tiêu chí cần đối chiếu. " + SUMMARY_NOTE,
    "criteria": [("unit", code, text, None) for code, text in CULTURE_CRITERIA],
    "exclusions": [],
}

SCORING = {
    "unit": [
        (
            "1",
            "Nghị quyết, kế hoạch triển khai phong trào từ quý I; báo cáo sơ kết, tổng kết đúng hạn.",
            10,
        ),
        ("2", "Tuyên truyền, vận động nhân dân tham gia phong trào.", 15),
        ("3", "Xây dựng, nhân rộng mô hình phòng, chống tội phạm hoạt động hiệu quả.", 20),
        ("4", "Tổ chức Ngày hội toàn dân bảo vệ ANTQ.", 10),
        (
            "5",
            "Kết quả phòng ngừa, phát hiện, tố giác tội phạm; kiềm chế tội phạm, tệ nạn xã hội.",
            25,
        ),
        ("6", "Xây dựng lực lượng Công an xã (phường), Bảo vệ dân phố, Dân phòng.", 10),
        (
            "7",
            "Khu dân cư, cơ quan, doanh nghiệp, nhà trường đạt “An toàn về an ninh, trật tự”.",
            10,
        ),
    ],
    "agency_enterprise": [
        (
            "1",
            "Nghị quyết (kế hoạch) triển khai phong trào trong quý I; báo cáo đầy đủ, đúng hạn.",
            3,
        ),
        ("2", "Từ 90% cán bộ, công nhân viên trở lên tham gia phong trào.", 3),
        ("3", "Tổ chức hoặc tham gia Ngày hội toàn dân bảo vệ ANTQ.", 5),
        ("4", "Có nội quy, quy chế bảo vệ cơ quan, doanh nghiệp; tự kiểm tra thường xuyên.", 20),
        ("5", "Mô hình phòng, chống tội phạm, tự quản về an ninh, trật tự hoạt động hiệu quả.", 20),
        ("6", "Không để xảy ra vụ việc mất an ninh, trật tự trong cơ quan, doanh nghiệp.", 30),
        ("7", "Phối hợp với Công an cơ sở và chính quyền địa phương.", 19),
    ],
    "school": [
        ("1", "Kế hoạch triển khai phong trào đầu năm học; báo cáo đầy đủ, đúng hạn.", 5),
        ("2", "Giáo dục, tuyên truyền pháp luật cho học sinh, sinh viên.", 20),
        ("3", "Tổ chức hoặc tham gia Ngày hội toàn dân bảo vệ ANTQ.", 5),
        ("4", "Phối hợp với gia đình và Công an cơ sở quản lý học sinh.", 20),
        ("5", "Không để xảy ra bạo lực học đường, tệ nạn xã hội trong trường.", 30),
        ("6", "Mô hình tự quản, đội thanh niên xung kích hoạt động hiệu quả.", 20),
    ],
}
THRESHOLDS = [("excellent", 90), ("good", 70), ("average", 50), ("weak", 0)]
SCORING_NOTE = (
    "[V] Thang 100 điểm theo từng loại đơn vị; các mục “Nghị quyết quý I (3)”, “≥ 90% tham gia "
    "(3)”, “Ngày hội (5)” của cơ quan theo QĐ 510. [I] Các mục khác, mức “yếu” và ngưỡng "
    "xếp loại (xuất sắc ≥ 90, khá ≥ 70, trung bình ≥ 50) là giả định: sửa trong trang quản trị."
)
CLASSIFICATION_2022 = {
    "code": "qd-510-2022-phan-loai",
    "subject": "movement_classification",
    "name": "QĐ 510/QĐ-BCA-V05 (2022) — chấm điểm, phân loại phong trào",
    "legal_basis": "Quyết định 510/QĐ-BCA-V05 năm 2022 của Bộ Công an",
    "valid_from": D(2022, 1, 1),
    "valid_to": None,
    "holder_kinds": ["unit", "agency_enterprise", "school"],
    "note": SCORING_NOTE + " [I] Ngày áp dụng ghi tạm 01/01/2022.",
}
CLASSIFICATION_OLD = {
    "code": "phan-loai-truoc-2022",
    "subject": "movement_classification",
    "name": "Thang điểm phân loại phong trào 2012–2021 [I]",
    "legal_basis": "[I] Hướng dẫn chấm điểm của Công an tỉnh (số hiệu cần bổ sung)",
    "valid_from": D(2012, 1, 1),
    "valid_to": D(2021, 12, 31),
    "holder_kinds": ["unit", "agency_enterprise", "school"],
    "note": "[I] Văn bản trước QĐ 510 chưa đối chiếu; tạm dùng cùng thang điểm. " + SCORING_NOTE,
}

FIELDS = ("subject", "name", "legal_basis", "valid_from", "valid_to", "holder_kinds", "note")


def seed_rule_sets(apps=None) -> int:
    """Create the rule sets above that do not exist yet; returns how many were created."""
    if apps is None:
        from django.apps import apps
    RuleSet = apps.get_model("certifications", "RuleSet")  # noqa: N806
    Criterion = apps.get_model("certifications", "Criterion")  # noqa: N806
    Exclusion = apps.get_model("certifications", "EligibilityExclusion")  # noqa: N806
    ScoringItem = apps.get_model("certifications", "ScoringItem")  # noqa: N806
    Threshold = apps.get_model("certifications", "ClassificationThreshold")  # noqa: N806
    existing = set(RuleSet.objects.values_list("code", flat=True))
    created = 0
    for data in (TT23, TT124, CIVILIZED, RURAL):
        if data["code"] in existing:
            continue
        rule_set = RuleSet.objects.create(code=data["code"], **{f: data[f] for f in FIELDS})
        Criterion.objects.bulk_create(
            Criterion(
                rule_set=rule_set,
                holder_kind=holder_kind,
                code=code,
                text=text,
                order=order,
                kind="child_share" if share else "yes_no",
                child_share_percent=share,
            )
            for order, (holder_kind, code, text, share) in enumerate(data["criteria"], start=1)
        )
        Exclusion.objects.bulk_create(
            Exclusion(rule_set=rule_set, attribute=attribute, values=values, reason=reason)
            for attribute, values, reason in data["exclusions"]
        )
        created += 1
    for data in (CLASSIFICATION_OLD, CLASSIFICATION_2022):
        if data["code"] in existing:
            continue
        rule_set = RuleSet.objects.create(code=data["code"], **{f: data[f] for f in FIELDS})
        ScoringItem.objects.bulk_create(
            ScoringItem(
                rule_set=rule_set,
                holder_kind=holder_kind,
                code=code,
                text=text,
                order=order,
                max_points=points,
            )
            for holder_kind, items in SCORING.items()
            for order, (code, text, points) in enumerate(items, start=1)
        )
        Threshold.objects.bulk_create(
            Threshold(rule_set=rule_set, level=level, min_points=points)
            for level, points in THRESHOLDS
        )
        created += 1
    return created
