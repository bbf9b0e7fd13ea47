"""Tables to XLSX and CSV, the way Vietnamese Excel users need them.

XLSX: one sheet per table with a Vietnamese name; a title row first (unit, period, basis,
completeness: a partial period says so there), then a bold header row frozen with it; numbers
stay numbers with the format ``#,##0`` — the file's notation, which Excel shows with the
reader's separators (``1.816`` and ``70,5`` in Vietnamese Excel) —; sensible column widths.
CSV: UTF-8 with a BOM (Excel then reads Vietnamese correctly), the same title row first, and
cells that start with = + - @ (or a tab/carriage return) prefixed with an apostrophe against
formula injection. Two layouts: ``plain`` (comma separator, decimal point: for programs) and
``vi`` (semicolon separator, decimal comma: what Excel in a Vietnamese locale reads as numbers).
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from wards.numbers import json_number

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
PERCENT_FORMAT = '0.0"%"'


@dataclass
class Table:
    """A titled table: the unit of every export."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    # Excel number format per column index; columns not listed get one chosen by value type.
    number_formats: dict[int, str] = field(default_factory=dict)
    sheet_name: str = ""  # what the sheet tab shows (Vietnamese)
    key: str = ""  # a stable slug for addresses and file names
    title_row: str = ""  # the first row: unit, period, basis, completeness


CSV_LAYOUTS = ("plain", "vi")


def neutralise(value):
    """Make a text cell safe to open in a spreadsheet: never start with a formula trigger."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _sheet_title(name: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique in the workbook.
    clean = "".join("-" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    title, n = clean, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def to_xlsx(tables: list[Table]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F2DCDB")
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.sheet_name or table.title, used))
        header_row = 1
        if table.title_row:
            sheet.append([neutralise(table.title_row)])
            sheet["A1"].font = Font(bold=True, size=12)
            header_row = 2
        sheet.append([neutralise(h) for h in table.headers])
        for cell in sheet[header_row]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
        for col_index in range(1, len(table.headers) + 1):
            fmt = table.number_formats.get(col_index - 1)
            widest = len(str(table.headers[col_index - 1]))
            for (cell,) in sheet.iter_rows(
                min_row=header_row + 1, min_col=col_index, max_col=col_index, max_row=sheet.max_row
            ):
                if isinstance(cell.value, int | float):
                    cell.number_format = fmt or (
                        INTEGER_FORMAT if float(cell.value).is_integer() else DECIMAL_FORMAT
                    )
                widest = max(widest, len(str(cell.value or "")))
            sheet.column_dimensions[get_column_letter(col_index)].width = min(
                max(widest + 2, 8), 60
            )
        sheet.freeze_panes = f"A{header_row + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return json_number(value, places=None)  # the cell's format rounds what it shows
    return neutralise(value)


def to_csv(table: Table, layout: str = "plain") -> bytes:
    """``plain``: comma separator, decimal point; ``vi``: semicolon separator, decimal comma."""
    vietnamese = layout == "vi"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if vietnamese else ",")
    if table.title_row:
        writer.writerow([neutralise(table.title_row)])
    writer.writerow([neutralise(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(v, vietnamese) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value, vietnamese: bool = False) -> str:
    """Numbers as plain numbers (no grouping; a decimal comma in the Vietnamese layout);
    only text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    elif isinstance(value, int | float):
        text = str(value)
    else:
        return neutralise(str(value))
    return text.replace(".", ",") if vietnamese else text
