"""Issue 10 items 1, 3 (narrative) and 4, issue 15 item 3 on the demo data: completeness travels
with every figure, the narrative's verbs follow the data, exemplary models are named, and the
exports say what they hold on their first row."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from campaigns.certifications.models import Dossier
from campaigns.selectors import expected_reports
from models_registry.models import ExemplaryYear, PreventionModel
from wards import figures
from wards.models import AdministrativeUnit, User

REVIEW = {"from": "2015", "to": "2020", "unit": "tp-my-tho"}
PARTIAL = {"from": "2025", "to": "2026", "unit": "tp-my-tho"}
PARTIAL_WORDS = "năm 2026 chưa đầy đủ: 1/5 báo cáo đã duyệt"


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- the counts --------------------------------------------------------------------------------


def test_expected_reports_count_the_wards_communes_and_the_city(demo):
    city = AdministrativeUnit.objects.get(slug="tp-my-tho")
    counts = expected_reports(area=city, years=[2014, 2020, 2024, 2025, 2026])
    assert (counts[2020].expected, counts[2020].approved) == (18, 18)  # 17 units + the city
    assert counts[2024].expected == 15  # Phường 3, 7, 8 merged away before its due date
    # From 2025 the city's ground is reported by its five wards (no city report).
    assert (counts[2025].expected, counts[2025].approved) == (5, 5)
    assert (counts[2026].expected, counts[2026].approved, counts[2026].submitted) == (5, 1, 2)
    assert counts[2014].expected == 0 and not counts[2014].is_complete()
    assert counts[2025].is_complete() and not counts[2026].is_complete()
    assert not counts[2026].is_complete(include_submitted=True)
    ward = AdministrativeUnit.objects.get(slug="phuong-1")
    assert expected_reports(area=ward, years=[2020])[2020].expected == 1


def test_api_series_carries_integer_completeness_per_year(client, demo):
    client.force_login(demo["leader"])
    data = client.get("/api/v1/series/", PARTIAL).json()
    assert data["completeness"]["2025"] == {
        "expected": 5,
        "approved": 5,
        "submitted": 5,
        "complete": True,
    }
    assert data["completeness"]["2026"] == {
        "expected": 5,
        "approved": 1,
        "submitted": 2,
        "complete": False,
    }


def test_api_summary_says_whether_its_period_is_complete(client, demo):
    client.force_login(demo["leader"])
    done = client.get("/api/v1/summary/", REVIEW).json()
    assert (done["reports_expected"], done["reports_approved"], done["complete"]) == (
        108,
        108,
        True,
    )
    partial = client.get("/api/v1/summary/", {"from": "2026", "to": "2026"}).json()
    assert partial["complete"] is False
    assert (partial["reports_expected"], partial["reports_approved"]) == (5, 1)
    assert partial["criminal_cases_change_percent"] is None  # not compared with partial data


# --- the pages ----------------------------------------------------------------------------------


def test_complete_review_period_shows_no_warning_and_the_seed_figures(client, demo):
    client.force_login(demo["leader"])
    for name in ["dashboard:dashboard", "dashboard:period_report"]:
        body = _text(client.get(reverse(name), REVIEW))
        assert "chưa đầy đủ" not in body, name
        for figure in ["17/17", "46", "11 phường", "6 xã", "37", "1.816", "70,5%"]:
            assert figure in body, (name, figure)
        assert "giảm hằng năm" in body


def test_partial_period_says_so_beside_every_figure_that_counts_it(client, demo):
    client.force_login(demo["leader"])
    response = client.get(reverse("dashboard:dashboard"), PARTIAL)
    body = _text(response)
    assert PARTIAL_WORDS in body
    kpis = {k.key: k for k in response.context["kpis"]}
    assert kpis["offenders_handled"].partial == PARTIAL_WORDS
    assert kpis["units_antt_certified"].partial == PARTIAL_WORDS  # a figure of 2021 itself
    one_year = client.get(reverse("dashboard:dashboard"), {"from": "2026", "to": "2026"})
    change = {k.key: k for k in one_year.context["kpis"]}["criminal_cases"].note
    assert change == "không so sánh với 2025–2025: có năm chưa đầy đủ số liệu"
    chart = response.context["charts"][0]
    assert chart["partial"] == [False, True]
    assert chart["notes"][-1] == PARTIAL_WORDS
    assert 'class="num figure-partial"' in body  # the table's 2021 cells are drawn apart
    narrative = response.context["narrative"]
    assert "giảm hằng năm" not in narrative and "năm nào cũng" not in narrative
    assert "giữ vững" not in narrative
    assert PARTIAL_WORDS in narrative


def test_period_review_heading_names_the_scope_shown(client, demo):
    client.force_login(demo["leader"])
    body = _text(client.get(reverse("dashboard:period_report"), {**REVIEW, "unit": "phuong-1"}))
    # The official header (issue 15) names the scope's People's Committee, never a fixed city.
    assert "ỦY BAN NHÂN DÂN PHƯỜNG 1" in body
    assert "TP. MỸ THO" not in body
    assert "Phường 1" in body.split("<h1")[1].split("</h1>")[0]


def test_a_withdrawn_ward_title_is_not_read_as_kept(client, demo):
    client.force_login(demo["leader"])
    one_year = {"from": "2020", "to": "2020", "unit": "tp-my-tho"}
    before = client.get(reverse("dashboard:period_report"), one_year).context["review"]
    assert "giữ vững 11 phường đạt chuẩn văn minh đô thị" in before.paragraph
    title = Dossier.objects.met().filter(year=2020, kind="civilized_urban").first()
    Dossier.objects.filter(pk=title.pk).update(result="not_met")
    figures.bump()  # written behind the services' back: bump as they (and the admin) do
    after = client.get(reverse("dashboard:period_report"), one_year).context["review"]
    assert "giữ vững" not in after.paragraph.split("văn minh đô thị")[0].split(";")[-1]
    assert "chỉ còn 10 phường đạt chuẩn văn minh đô thị năm 2020, giảm từ 11" in after.paragraph


# --- exemplary models -------------------------------------------------------------------------


def test_period_review_names_the_exemplary_models_of_the_seed(client, demo):
    client.force_login(demo["leader"])
    review = client.get(reverse("dashboard:period_report"), REVIEW).context["review"]
    assert "các mô hình tiêu biểu: “2 liên” (Xã Tân Mỹ Chánh" in review.paragraph
    assert "“Camera an ninh” (17/17 phường, xã, bằng nguồn xã hội hóa)" in review.paragraph
    decided = ExemplaryYear.objects.filter(year=2020).select_related("decided_by")
    assert {e.model.slug for e in decided} == {"2-lien", "camera-an-ninh"}
    assert all(e.decided_by.role == "approver" for e in decided)


def test_only_the_approver_names_a_model_exemplary(client, demo):
    model = PreventionModel.objects.get(slug="to-hoa-giai")
    url = reverse("models_registry:model_exemplary", args=[model.slug])
    response = client.post(url, {"year": "2019"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(demo["phuong-1"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"year": "2019"}).status_code == 403
    assert not ExemplaryYear.objects.filter(model=model).exists()
    approver = User.objects.filter(role="approver", is_active=True).first()
    client.force_login(approver)
    response = client.post(url, {"year": "2019", "decision": "QĐ 12/QĐ-BCĐ", "reason": "Tốt"})
    assert response.status_code == 302
    named = ExemplaryYear.objects.get(model=model, year=2019)
    assert named.decided_by == approver and named.decision == "QĐ 12/QĐ-BCĐ"
    page = _text(client.get(model.get_absolute_url()))
    assert "Tiêu biểu năm 2019" in page
    again = client.post(url, {"year": "2019"})
    assert again.status_code == 200
    assert "Mô hình này đã được công nhận tiêu biểu năm này." in _text(again)
    too_early = client.post(url, {"year": str(model.start_date.year - 1)})
    assert too_early.status_code == 200 and ExemplaryYear.objects.filter(model=model).count() == 1


# --- exports ------------------------------------------------------------------------------------


def _book(client, params):
    response = client.get(reverse("dashboard:period_report"), {**params, "format": "xlsx"})
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_every_sheet_starts_with_unit_period_basis_and_completeness(client, demo):
    client.force_login(demo["leader"])
    book = _book(client, REVIEW)
    assert book.sheetnames == ["Số liệu chính", "Chỉ tiêu theo năm", "Theo đơn vị"]
    for sheet in book.worksheets:
        title = sheet["A1"].value
        assert "Mỹ Tho, 2015–2020" in title
        assert "cơ sở số liệu: báo cáo đã duyệt" in title
        assert "đầy đủ: 108/108 báo cáo" in title and "chưa đầy đủ" not in title
    offenders = next(
        r
        for r in book["Chỉ tiêu theo năm"].iter_rows(min_row=3)
        if r[0].value == "offenders_handled"
    )
    assert offenders[-1].value == 1816 and offenders[-1].number_format == "#,##0"


def test_partial_period_xlsx_says_so_on_the_first_row_of_every_sheet(client, demo):
    client.force_login(demo["leader"])
    book = _book(client, PARTIAL)
    for sheet in book.worksheets:
        assert sheet["A1"].value.endswith("SỐ LIỆU CHƯA ĐẦY ĐỦ — " + PARTIAL_WORDS)
    headers = [c.value for c in book["Chỉ tiêu theo năm"][2]]
    assert f"2026 ({PARTIAL_WORDS})" in headers and "Giai đoạn (chưa đầy đủ)" in headers
    notes = [r[2] for r in book["Số liệu chính"].iter_rows(min_row=3, values_only=True)]
    assert PARTIAL_WORDS in notes


def test_csv_offers_the_vietnamese_layout_beside_the_plain_one(client, demo):
    client.force_login(demo["leader"])
    url = reverse("dashboard:period_report")
    table = {"format": "csv", "table": "chi-tieu-theo-nam"}
    page = _text(client.get(url, REVIEW))
    assert "layout=vi" in page and "CSV (Excel tiếng Việt)" in page
    plain = client.get(url, {**REVIEW, **table}).content.decode("utf-8-sig").splitlines()
    vi = client.get(url, {**REVIEW, **table, "layout": "vi"})
    assert "excel-vn" in vi["Content-Disposition"]
    lines = vi.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Chỉ tiêu theo năm — ") and "2015–2020" in lines[0]
    assert lines[1].startswith("Mã;Chỉ tiêu;Đơn vị tính;2015;")
    share = next(line for line in lines if line.startswith("police_university_share;"))
    assert share.endswith(";70,5")
    assert next(x for x in plain if x.startswith("police_university_share,")).endswith(",70.5")
    partial = client.get(url, {**PARTIAL, **table, "layout": "vi"}).content.decode("utf-8-sig")
    assert "SỐ LIỆU CHƯA ĐẦY ĐỦ" in partial.splitlines()[0]


@pytest.mark.parametrize("layout", ["vi", "plain", "bogus"])
def test_csv_layouts_neutralise_formulas(client, demo, layout):
    client.force_login(demo["leader"])
    response = client.get(
        reverse("dashboard:period_report"),
        {**REVIEW, "format": "csv", "table": "theo-don-vi", "layout": layout},
    )
    assert response.status_code == 200
    assert "\n=" not in response.content.decode("utf-8-sig")


def test_drill_down_and_units_api_name_the_incomplete_year(client, demo):
    client.force_login(demo["leader"])
    url = reverse("dashboard:indicator_detail", args=["offenders_handled"])
    body = _text(client.get(url, PARTIAL))
    assert PARTIAL_WORDS in body
    assert "chưa đầy đủ" not in _text(client.get(url, REVIEW))
    units = client.get("/api/v1/units/", PARTIAL).json()
    assert units["completeness"]["2026"]["complete"] is False
    assert units["completeness"]["2025"]["complete"] is True


def test_every_heading_names_the_scope_shown(client, demo):
    client.force_login(demo["leader"])
    ward = {**REVIEW, "unit": "phuong-1"}
    for url in [
        reverse("dashboard:dashboard"),
        reverse("dashboard:period_report"),
        reverse("dashboard:indicator_detail", args=["offenders_handled"]),
    ]:
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", _text(client.get(url, ward))).group(1)
        assert "Phường 1" in heading and "Mỹ Tho" not in heading, (url, heading)


def test_owes_report_in_python_agrees_with_the_filter_on_every_boundary(db):
    """expected_reports matches units to periods in Python (owes_report); the worklists filter
    them in SQL (reports_in_period_q). The two agree on a unit starting or ending the day
    before, on or after the due date, or never ending."""
    import datetime

    from campaigns.selectors import owes_report, reports_in_period_q

    due = datetime.date(2021, 1, 15)
    day = datetime.timedelta(days=1)
    cases = [
        (start, end)
        for start in (due - day, due, due + day)
        for end in (None, due - day, due, due + day)
        if end is None or end >= start
    ]
    units = {
        AdministrativeUnit.objects.create(
            kind="ward", name=f"P{i}", slug=f"p-{i}", code=f"T{i}", valid_from=start, valid_to=end
        ).pk: (start, end)
        for i, (start, end) in enumerate(cases)
    }
    in_sql = set(
        AdministrativeUnit.objects.filter(
            reports_in_period_q(year=2020, due_on=due), pk__in=units
        ).values_list("pk", flat=True)
    )
    in_python = {pk for pk, (start, end) in units.items() if owes_report(start, end, due)}
    assert in_sql == in_python
    # Those that exist on the due date: start on or before it (2), end on or after it or
    # never (3).
    assert len(in_python) == 6
