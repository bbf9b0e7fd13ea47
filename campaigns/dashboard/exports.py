"""Tables to XLSX and CSV, the way Vietnamese Excel users need them.

XLSX: one sheet per table, bold frozen header row, number formats, sensible column widths.
CSV: UTF-8 with a BOM (Excel then reads Vietnamese correctly) and cells that start with
= + - @ (or a tab/carriage return) prefixed with an apostrophe against formula injection.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

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
    sheet_name: str = ""


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
        sheet.append([neutralise(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
        for col_index in range(1, len(table.headers) + 1):
            fmt = table.number_formats.get(col_index - 1)
            widest = len(str(table.headers[col_index - 1]))
            for (cell,) in sheet.iter_rows(
                min_row=2, min_col=col_index, max_col=col_index, max_row=sheet.max_row
            ):
                if isinstance(cell.value, int | float):
                    cell.number_format = fmt or (
                        INTEGER_FORMAT if float(cell.value).is_integer() else DECIMAL_FORMAT
                    )
                widest = max(widest, len(str(cell.value or "")))
            sheet.column_dimensions[get_column_letter(col_index)].width = min(
                max(widest + 2, 8), 60
            )
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return neutralise(value)


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value) -> str:
    """Numbers as plain machine-readable numbers; only text is neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))
