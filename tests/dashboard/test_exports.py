import io
from decimal import Decimal

import openpyxl

from campaigns.dashboard.exports import Table, neutralise, to_csv, to_xlsx


def test_csv_neutralises_formula_cells_but_not_numbers():
    table = Table(
        title="t",
        headers=["Tên", "Giá trị"],
        rows=[['=HYPERLINK("x")', -5], ["+1", Decimal("70.50")], ["@SUM(A1)", None], ["-x", 3]],
    )
    text = to_csv(table).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "Tên,Giá trị"
    assert lines[1] == '"\'=HYPERLINK(""x"")",-5'
    assert lines[2] == "'+1,70.5"
    assert lines[3] == "'@SUM(A1),"
    assert lines[4] == "'-x,3"


def test_neutralise_leaves_plain_text():
    assert neutralise("Phường 1") == "Phường 1"
    assert neutralise("\tcmd") == "'\tcmd"


def test_xlsx_sheets_headers_formats_and_safety():
    tables = [
        Table(
            title="Tổng hợp",
            sheet_name="tong-hop",
            headers=["Chỉ tiêu", "Giá trị"],
            rows=[["Đối tượng", 1816], ["=cmd", Decimal("70.5")]],
        ),
        Table(title="Theo năm", sheet_name="tong-hop", headers=["Năm"], rows=[[2015]]),
    ]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(tables)))
    assert book.sheetnames == ["tong-hop", "tong-hop (2)"]
    sheet = book["tong-hop"]
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].value == 1816 and sheet["B2"].number_format == "#,##0"
    assert sheet["B3"].value == 70.5 and sheet["B3"].number_format == "#,##0.0"
    assert sheet["A3"].value == "'=cmd"
