"""Excel/CSV templates and import: preview with per-cell errors, all-or-nothing confirm."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from campaigns import imports, services
from campaigns.checks import Entry
from campaigns.models import ImportBatch, ReportStatus, ReportValue, UnitReport, ValueChange

pytestmark = pytest.mark.django_db

HEADER = ["Năm", "Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Năm trước",
          "Giá trị", "Ghi chú"]  # fmt: skip


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Số liệu"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(year, unit, code, value, comment=""):
    return [year, unit.code, unit.name, code, "", "", None, value, comment]


def upload(client, year, content, name="bao-cao.xlsx", **extra):
    return client.post(
        reverse("campaigns:import_upload", args=[year]),
        {"file": SimpleUploadedFile(name, content)},
        **extra,
    )


def _snapshot():
    return (
        list(UnitReport.objects.values_list("pk", "status", "version")),
        list(ReportValue.objects.values_list("pk", "value", "comment")),
        ValueChange.objects.count(),
    )


def test_official_downloads_a_template_with_current_and_last_year_figures(
    login, official_a, unit_a, period, catalogue, last_year_report
):
    client = login(official_a)
    client.post(
        reverse("campaigns:report_entry", args=[period.year, unit_a.slug]),
        {"version": "0", "action": "save", "v_criminal_cases": "12"},
    )
    response = client.get(reverse("campaigns:template_unit", args=[period.year, unit_a.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"bao-cao-{period.year}-phuong-1.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["Số liệu"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    by_code = {r[3]: r for r in rows[1:]}
    # Every ward indicator, not the city one.
    assert set(by_code) == {i.code for k, i in catalogue.items() if k != "share"}
    assert by_code["criminal_cases"][0] == period.year
    assert by_code["criminal_cases"][1] == unit_a.code
    assert by_code["criminal_cases"][6] == 10  # last year's approved figure
    assert by_code["criminal_cases"][7] == 12  # this year's draft
    assert by_code["traffic_accidents"][7] is None
    csv_response = client.get(
        reverse("campaigns:template_unit", args=[period.year, unit_a.slug]) + "?format=csv"
    )
    text = csv_response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADER)
    assert f"{period.year},W1,Phường 1,criminal_cases," in text
    # The old ?dinh-dang=csv of bookmarked links still gives the CSV.
    old_key = client.get(
        reverse("campaigns:template_unit", args=[period.year, unit_a.slug]) + "?dinh-dang=csv"
    )
    assert old_key.content == csv_response.content


def test_round_trip_upload_preview_confirm(login, official_a, unit_a, period, catalogue):
    client = login(official_a)
    content = xlsx(
        [
            row(period.year, unit_a, "criminal_cases", 12),
            row(period.year, unit_a, "admin_fines", 70.5, "Phạt nồng độ cồn"),
            row(period.year, unit_a, "traffic_accidents", "3"),
            row(period.year, unit_a, "traffic_deaths", None),
        ]
    )
    response = upload(client, period.year, content)
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    assert _snapshot() == ([], [], 0)  # nothing written at preview
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert "3 số liệu hoặc ghi chú sẽ thay đổi trong 1 báo cáo" in body
    assert "70,5" in body and "Xác nhận nhập" in body

    response = client.post(reverse("campaigns:import_confirm", args=[batch.pk]))
    assert response["Location"] == reverse(
        "campaigns:report_entry", args=[period.year, unit_a.slug]
    )
    report = UnitReport.objects.get()
    assert report.status == ReportStatus.DRAFT
    values = {
        v.indicator.code: (v.value, v.comment) for v in report.values.select_related("indicator")
    }
    assert values == {
        "criminal_cases": (12, ""),
        "admin_fines": (Decimal("70.5"), "Phạt nồng độ cồn"),
        "traffic_accidents": (3, ""),
    }
    assert set(ValueChange.objects.values_list("source", flat=True)) == {"import"}
    # Confirming twice does not import twice.
    client.post(reverse("campaigns:import_confirm", args=[batch.pk]))
    assert ValueChange.objects.count() == 3


def test_upload_by_script_answers_json_for_the_progress_bar(
    login, official_a, unit_a, period, catalogue
):
    client = login(official_a)
    ok = upload(
        client,
        period.year,
        xlsx([row(period.year, unit_a, "criminal_cases", 1)]),
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert ok.status_code == 200 and ok.json()["redirect"].startswith("/nhap-tu-tep/")
    bad = upload(
        client,
        period.year,
        b"not a spreadsheet",
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert bad.status_code == 400
    assert "không phải là tệp Excel" in bad.json()["errors"][0]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4 this is a pdf", "bao-cao.xlsx", "không phải là tệp Excel"),
        (b"PK\x03\x04 not really a zip", "bao-cao.xlsx", "tệp bị hỏng"),
        (xlsx([], header=["Năm", "Đơn vị", "Số liệu"]), "bao-cao.xlsx", "Thiếu cột: Mã đơn vị"),
        (xlsx([]), "bao-cao.xlsx", "không có dòng số liệu"),
        (b"old excel", "bao-cao.xls", "lưu lại dưới dạng .xlsx"),
        (b"\xff\xfe\x00\x00binary", "bao-cao.csv", "không phải là tệp văn bản CSV"),
        (b"N\xe4m,M\xe3 \xf0\xf5n v\xec\n", "bao-cao.csv", "UTF-8"),
        (b"", "bao-cao.csv", "Tệp không có dữ liệu"),
    ],
)
def test_unreadable_files_get_a_clear_error_and_change_nothing(
    login, official_a, unit_a, period, catalogue, content, name, message
):
    client = login(official_a)
    before = _snapshot()
    response = upload(client, period.year, content, name=name)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors, errors
    assert not ImportBatch.objects.exists()
    assert _snapshot() == before


def test_too_large_file_is_refused(login, official_a, unit_a, period, catalogue, monkeypatch):
    monkeypatch.setattr("campaigns.forms.IMPORT_MAX_BYTES", 1000)
    content = xlsx([row(period.year, unit_a, "criminal_cases", n) for n in range(200)])
    response = upload(login(official_a), period.year, content)
    assert "Tệp quá lớn" in " ".join(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


def test_row_and_cell_errors_are_listed_and_nothing_is_written(
    login, official_a, unit_a, period, catalogue
):
    client = login(official_a)
    services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries={catalogue["cases"].pk: Entry(Decimal(5))},
        expected_version=0,
    )
    before = _snapshot()
    content = xlsx(
        [
            row(period.year, unit_a, "criminal_cases", 6),  # fine on its own
            row(period.year, unit_a, "offenders_handled", "mười hai"),  # text in a number cell
            row(period.year, unit_a, "traffic_accidents", -2),  # below the minimum
            row(period.year, unit_a, "traffic_deaths", 10**20),  # far too large
            row(period.year, unit_a, "admin_fines", "12,345"),  # too many decimals
            ["2019", unit_a.code, "", "criminal_cases_solved", "", "", None, 1, ""],  # wrong year
            [
                period.year,
                "99999",
                "",
                "criminal_cases_solved",
                "",
                "",
                None,
                1,
                "",
            ],  # unknown unit
            row(period.year, unit_a, "no_such_code", 1),  # unknown indicator
            row(period.year, unit_a, "police_university_share", 70),  # city-level indicator
            row(period.year, unit_a, "criminal_cases", 7),  # duplicate
        ]
    )
    response = upload(client, period.year, content)
    batch = ImportBatch.objects.get()
    assert batch.error_count == 9
    body = client.get(response["Location"]).content.decode()
    for message in [
        "Nhập một số",
        "không được nhỏ hơn 0",
        "Số quá lớn",
        "tối đa 2 chữ số thập phân",
        f"Năm phải là {period.year}",
        "Mã đơn vị “99999” không đúng",
        "Mã chỉ tiêu “no_such_code”",
        "Phường 1 không báo cáo chỉ tiêu này",
        "Dòng trùng: Phường 1 / criminal_cases đã có ở dòng 2",
    ]:
        assert message in body, message
    assert "Xác nhận nhập" not in body
    # Confirming anyway (a crafted POST) writes nothing.
    response = client.post(reverse("campaigns:import_confirm", args=[batch.pk]), follow=True)
    assert "Tệp có lỗi" in response.content.decode()
    assert _snapshot() == before


def test_csv_with_semicolons_and_vietnamese_decimals(login, official_a, unit_a, period, catalogue):
    client = login(official_a)
    text = ";".join(HEADER) + "\n"
    text += f"{period.year};{unit_a.code};Phường 1;admin_fines;;;;1.234,5;\n"
    text += f"{period.year};{unit_a.code};Phường 1;criminal_cases;;;;1.816;\n"
    response = upload(client, period.year, text.encode("utf-8-sig"), name="bao-cao.csv")
    batch = ImportBatch.objects.get()
    assert batch.error_count == 0, batch.rows
    client.post(reverse("campaigns:import_confirm", args=[batch.pk]))
    values = dict(UnitReport.objects.get().values.values_list("indicator__code", "value"))
    assert values == {"admin_fines": Decimal("1234.5"), "criminal_cases": 1816}
    assert response.status_code == 302


def test_preview_is_stale_when_the_report_changed_meanwhile(
    login, official_a, unit_a, period, catalogue
):
    client = login(official_a)
    upload(client, period.year, xlsx([row(period.year, unit_a, "criminal_cases", 3)]))
    batch = ImportBatch.objects.get()
    services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries={catalogue["cases"].pk: Entry(Decimal(9))},
        expected_version=0,
    )
    before = _snapshot()
    response = client.post(reverse("campaigns:import_confirm", args=[batch.pk]), follow=True)
    assert "đã thay đổi sau khi bạn xem trước" in response.content.decode()
    assert _snapshot() == before


def test_city_wide_import_is_all_or_nothing(
    login, admin_user, official_b, unit_a, unit_b, period, catalogue
):
    client = login(admin_user)
    upload(
        client,
        period.year,
        xlsx(
            [
                row(period.year, unit_a, "criminal_cases", 3),
                row(period.year, unit_b, "criminal_cases", 4),
            ]
        ),
    )
    batch = ImportBatch.objects.get()
    assert batch.error_count == 0
    # Unit B submits its own figures before the administrator confirms.
    report_b = services.report_save_values(
        period=period,
        unit=unit_b,
        user=official_b,
        entries={catalogue["cases"].pk: Entry(Decimal(8))},
        expected_version=0,
    ).report
    services.report_submit(report=report_b, user=official_b)
    before = _snapshot()
    client.post(reverse("campaigns:import_confirm", args=[batch.pk]))
    # Unit A was first in the file and fine, but nothing of the file was written.
    assert not UnitReport.objects.filter(unit=unit_a).exists()
    assert _snapshot() == before


def test_approver_city_wide_file_changes_only_the_city_rows(
    login, approver, official_a, unit_a, unit_b, city, period, catalogue
):
    services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries={catalogue["cases"].pk: Entry(Decimal(5))},
        expected_version=0,
    )
    client = login(approver)
    response = client.get(reverse("campaigns:template_city", args=[period.year]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Số liệu"]
    units = {r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert units == {unit_a.code, "W2", city.code}
    for cells in sheet.iter_rows(min_row=2):
        if cells[3].value == "police_university_share":
            cells[7].value = 70.5
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload(client, period.year, buffer.getvalue())
    batch = ImportBatch.objects.get()
    assert batch.error_count == 0
    assert [r["indicator_id"] for r in batch.changed_rows] == [catalogue["share"].pk]
    client.post(reverse("campaigns:import_confirm", args=[batch.pk]))
    city_report = UnitReport.objects.get(unit=city)
    assert city_report.values.get().value == Decimal("70.5")
    # A ward row changed by the approver is refused unread: that is the ward's to enter.
    for cells in sheet.iter_rows(min_row=2):
        if cells[1].value == unit_a.code and cells[3].value == "criminal_cases":
            cells[7].value = 99
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, period.year, buffer.getvalue())
    batch = ImportBatch.objects.get(status="preview")
    assert batch.changed_rows == []
    assert imports.summarise(batch)["refused_units"] == ["Phường 1", "Phường 2"]
    body = client.get(response["Location"]).content.decode()
    assert "thuộc đơn vị mà bạn không được sửa số liệu" in body


def test_import_into_a_submitted_report_is_refused(login, official_a, unit_a, period, catalogue):
    report = services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries={catalogue["cases"].pk: Entry(Decimal(5))},
        expected_version=0,
    ).report
    services.report_submit(report=report, user=official_a)
    client = login(official_a)
    upload(client, period.year, xlsx([row(period.year, unit_a, "criminal_cases", 6)]))
    batch = ImportBatch.objects.get()
    assert batch.error_count == 1
    assert "Đã nộp" in batch.rows[0]["errors"]["value"]


def test_large_city_file_stages_in_constant_queries(
    login, admin_user, city, period, catalogue, django_assert_max_num_queries
):
    from tests.factories import UnitFactory

    units = [UnitFactory(parent=city) for _ in range(30)]
    rows = imports.template_rows(period, units)
    for n, template_row in enumerate(rows):
        template_row.value = n % 7
    content = imports.template_csv(rows)
    client = login(admin_user)
    with django_assert_max_num_queries(20):
        upload(client, period.year, content, name="toan-bo.csv")
    batch = ImportBatch.objects.get()
    assert batch.error_count == 0 and len(batch.changed_rows) == 30 * 6


def test_a_comment_that_looks_like_a_formula_stays_text_both_ways(
    login, official_a, unit_a, period, catalogue
):
    formula = '=HYPERLINK("http://evil.example","bấm vào đây")'
    services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries={catalogue["cases"].pk: Entry(Decimal(5), formula)},
        expected_version=0,
    )
    client = login(official_a)
    url = reverse("campaigns:template_unit", args=[period.year, unit_a.slug])
    sheet = load_workbook(io.BytesIO(client.get(url).content))["Số liệu"]
    cell = next(r[8] for r in sheet.iter_rows(min_row=2) if r[3].value == "criminal_cases")
    assert cell.data_type == "s" and cell.value == "'" + formula
    csv_text = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert ",'=HYPERLINK(" in csv_text.replace('"', "")
    # Sent back unchanged, the file changes nothing: the apostrophe is taken off again.
    upload(client, period.year, client.get(url + "?format=csv").content, name="lai.csv")
    assert ImportBatch.objects.get().changed_rows == []
