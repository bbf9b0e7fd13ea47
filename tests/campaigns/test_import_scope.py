"""The import checks scope first: another unit's figures cannot be guessed from the preview."""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from campaigns import imports, services
from campaigns.checks import Entry
from campaigns.models import ImportBatch, ReportValue

pytestmark = pytest.mark.django_db

HEADER = ["Năm", "Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Năm trước",
          "Giá trị", "Ghi chú"]  # fmt: skip


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Số liệu"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _preview(client, year, rows) -> tuple[list[dict], str]:
    ImportBatch.objects.all().delete()
    response = client.post(
        reverse("campaigns:import_upload", args=[year]),
        {"file": SimpleUploadedFile("doan.xlsx", _xlsx(rows))},
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    body = client.get(response["Location"]).content.decode()
    # Only what differs between any two uploads: the batch's id and the CSRF token.
    body = re.sub(r"nhap-tu-tep/\d+/", "nhap-tu-tep/N/", body)
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    return batch.rows, body


def test_preview_does_not_depend_on_another_units_figures(
    login, official_a, official_b, unit_a, unit_b, period, catalogue
):
    client = login(official_a)
    # Official A guesses unit B's figure: 0..9 for criminal cases, a comment, a blank.
    guesses = [[period.year, unit_b.code, "", "criminal_cases", "", "", None, n] for n in range(10)]
    guesses += [
        [period.year, unit_b.code, "", "offenders_handled", "", "", None, None, "đoán"],
        [period.year, unit_b.code, "", "no_such_code", "", "", None, "mười"],
        [period.year, unit_a.code, "", "criminal_cases", "", "", None, 4],
    ]
    seen = set()
    stored_states = [None, Decimal(0), Decimal(3), Decimal(7)]
    for n, stored in enumerate(stored_states):
        if stored is not None:
            services.report_save_values(
                period=period,
                unit=unit_b,
                user=official_b,
                entries={catalogue["cases"].pk: Entry(stored, f"ghi chú {n}")},
                expected_version=n - 1,
            )
        rows, body = _preview(client, period.year, guesses)
        seen.add(body)
        assert not any(row.get("old_value") for row in rows if row["unit_id"] == unit_b.pk)
        assert "Phường 2" in body
    assert ReportValue.objects.filter(report__unit=unit_b).get().value == Decimal(7)
    # Four different stored values (none, 0, 3, 7): one and the same preview.
    assert len(seen) == 1
    body = seen.pop()
    assert "12 dòng thuộc đơn vị mà bạn không được sửa số liệu" in body
    assert "(Phường 2)" in body


def test_rows_of_other_units_are_never_errors_or_changes(
    login, official_a, unit_a, unit_b, period, catalogue
):
    client = login(official_a)
    rows, _body = _preview(
        client,
        period.year,
        [
            [1999, unit_b.code, "", "nothing", "", "", None, "not a number"],
            [period.year, unit_a.code, "", "criminal_cases", "", "", None, 4],
        ],
    )
    other = next(r for r in rows if r["unit_id"] == unit_b.pk)
    assert other["refused"] and not other["errors"] and not other["changed"]
    assert other["value"] is None and other["comment"] == ""
    batch = ImportBatch.objects.get()
    assert imports.summarise(batch) == {
        "changed": 1,
        "units": 1,
        "errors": 0,
        "problems": 0,
        "refused": 1,
        "refused_units": ["Phường 2"],
    }


def test_staging_reads_no_stored_value_of_another_unit(
    login, official_a, official_b, unit_a, unit_b, period, catalogue, django_assert_num_queries
):
    services.report_save_values(
        period=period,
        unit=unit_b,
        user=official_b,
        entries={catalogue["cases"].pk: Entry(Decimal(5))},
        expected_version=0,
    )
    raw = [(2, {"year": period.year, "unit_code": unit_b.code, "indicator_code": "criminal_cases",
                "value": 5, "comment": ""})]  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        imports._stage_rows(raw, "x.xlsx", period, official_a)
    value_queries = [q["sql"] for q in queries if "campaigns_reportvalue" in q["sql"]]
    assert value_queries, "the stored values of the uploader's own units are still read"
    assert all(f"IN ({unit_a.pk})" in sql for sql in value_queries), value_queries
