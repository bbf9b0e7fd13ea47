"""Spreadsheet templates (download) and their import (upload → preview → confirm).

One row per unit and indicator, so the same layout serves one unit's template and the
city-wide one::

    Năm | Mã đơn vị | Đơn vị | Mã chỉ tiêu | Chỉ tiêu | Đơn vị tính | Năm trước | Giá trị | Ghi chú

Only the year, the two codes, the value and the comment are read back; the other columns help
the person filling it. A blank value means "not reported". Rows of units the uploader may not
change are set aside unread, with one notice whatever they hold (so a city-wide file can be
sent back with just the city's rows filled in, and nothing about another unit's figures can
be learnt from the preview); rows of a locked report are accepted only when they change nothing.

Parsing checks the whole file against the same rules as the data-entry form and stores the
result in an :class:`~campaigns.models.ImportBatch`; nothing is written to reports until the
person confirms the preview (:func:`campaigns.services.import_apply`).
"""

import csv
import datetime
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from campaigns import selectors, uploads
from campaigns.checks import Entry, report_problems
from campaigns.forms import COMMENT_MAX_LENGTH, IndicatorValueField, display_number
from campaigns.models import ImportBatch, Indicator, ReportingPeriod, ReportValue, UnitReport
from wards.models import AdministrativeUnit

logger = logging.getLogger(__name__)

# Bounds on one uploaded file (see campaigns.uploads): a filled-in template of the whole city
# has under 1,000 rows of 9 columns, so these leave room and still keep any file to a few
# seconds and megabytes.
MAX_ROWS = 5000  # rows of figures
MAX_SHEET_ROWS = MAX_ROWS + 500  # rows in the sheet, blank ones included
MAX_COLUMNS = 30
MAX_CELLS = 60_000
ARCHIVE_LIMITS = uploads.ArchiveLimits(
    max_entries=200, max_part_bytes=16 * uploads.MB, max_total_bytes=32 * uploads.MB
)
XLSX_LIMITS = uploads.XlsxLimits(
    max_rows=MAX_SHEET_ROWS,
    max_columns=MAX_COLUMNS,
    max_cells=MAX_CELLS,
    max_strings=2 * MAX_ROWS + 2000,  # a comment per row, names and codes
    max_elements=300_000,
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Vietnamese header written in the template
    width: int
    required: bool = False


COLUMNS = [
    Column("year", "Năm", 7, required=True),
    Column("unit_code", "Mã đơn vị", 11, required=True),
    Column("unit_name", "Đơn vị", 22),
    Column("indicator_code", "Mã chỉ tiêu", 28, required=True),
    Column("indicator_name", "Chỉ tiêu", 60),
    Column("unit_of_measure", "Đơn vị tính", 12),
    Column("last_year", "Năm trước", 11),
    Column("value", "Giá trị", 12, required=True),
    Column("comment", "Ghi chú", 40),
]
HEADERS = {c.key: c.header for c in COLUMNS}
SHEET_TITLE = "Số liệu"


class FileRefused(Exception):
    """The file as a whole cannot be read; nothing is stored."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


# --- templates (download) -----------------------------------------------------------------


@dataclass
class TemplateRow:
    year: int
    unit: AdministrativeUnit
    indicator: Indicator
    last_year: Decimal | int | None
    value: Decimal | int | None
    comment: str

    def cells(self) -> list:
        return [
            self.year,
            self.unit.code,
            self.unit.name,
            self.indicator.code,
            self.indicator.name_vi,
            self.indicator.unit_of_measure,
            self.last_year,
            self.value,
            self.comment,
        ]


def template_rows(period: ReportingPeriod, units: list[AdministrativeUnit]) -> list[TemplateRow]:
    """A row per unit and indicator, with last year's approved value and the current one."""
    indicators = list(
        Indicator.objects.valid_in(period.year)
        .select_related("section")
        .order_by("section__order", "section__code", "order", "code")
    )
    current = {
        (unit_id, indicator_id): (value, comment)
        for unit_id, indicator_id, value, comment in ReportValue.objects.filter(
            report__period=period, report__unit__in=units
        ).values_list("report__unit_id", "indicator_id", "value", "comment")
    }
    last = selectors.approved_values(
        unit_ids=[u.pk for u in units],
        indicator_ids=[i.pk for i in indicators],
        year=period.year - 1,
    )
    rows = []
    for unit in units:
        for indicator in indicators:
            if not indicator.is_reported_by(unit):
                continue
            value, comment = current.get((unit.pk, indicator.pk), (None, ""))
            rows.append(
                TemplateRow(
                    year=period.year,
                    unit=unit,
                    indicator=indicator,
                    last_year=display_number(last.get((unit.pk, indicator.pk))),
                    value=display_number(value),
                    comment=comment,
                )
            )
    return rows


# A text cell starting with one of these would run as a formula in Excel (formula injection).
_FORMULA_STARTS = ("=", "+", "-", "@")


def _safe_text(value):
    """Text written to a spreadsheet, defused: a leading apostrophe keeps it text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _unsafe_text(text: str) -> str:
    """Undo :func:`_safe_text` when a file comes back."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def template_xlsx(rows: list[TemplateRow], *, title: str) -> bytes:
    """The template as an Excel workbook: the data sheet and a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append([c.header for c in COLUMNS])
    header_fill = PatternFill("solid", fgColor="F2DCDB")
    input_fill = PatternFill("solid", fgColor="FFF9DB")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for row in rows:
        sheet.append([_safe_text(cell) for cell in row.cells()])
    value_col = [c.key for c in COLUMNS].index("value") + 1
    comment_col = value_col + 1
    for row_index in range(2, len(rows) + 2):
        sheet.cell(row=row_index, column=value_col).fill = input_fill
        sheet.cell(row=row_index, column=comment_col).fill = input_fill
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions

    guide = workbook.create_sheet("Hướng dẫn")
    for line in [
        title,
        "",
        "Nhập số liệu vào cột “Giá trị” (và “Ghi chú” nếu cần) của trang “Số liệu”.",
        "Để trống ô “Giá trị” nghĩa là “không báo cáo”; nhập 0 nếu không có trường hợp nào.",
        "Số thập phân dùng dấu phẩy hoặc dấu chấm (70,5 hoặc 70.5); không nhập chữ vào ô số.",
        "Không sửa các cột Năm, Mã đơn vị, Mã chỉ tiêu; không thêm hoặc lặp lại dòng.",
        "Tải tệp lên trang “Nhập từ tệp”, xem trước các thay đổi rồi bấm xác nhận.",
        "Dữ liệu chỉ được ghi khi toàn bộ tệp hợp lệ; nhập xong, báo cáo vẫn ở trạng thái nháp.",
    ]:
        guide.append([line])
    guide.column_dimensions["A"].width = 100
    guide["A1"].font = Font(bold=True)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(rows: list[TemplateRow]) -> bytes:
    """The template as CSV (UTF-8 with a byte-order mark, so Excel reads the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    for row in rows:
        writer.writerow(["" if cell is None else _safe_text(cell) for cell in row.cells()])
    return buffer.getvalue().encode("utf-8-sig")


# --- reading a file ---------------------------------------------------------------------


def _normalise_header(text) -> str:
    return " ".join(str(text or "").split()).casefold()


_HEADER_ALIASES = {
    **{_normalise_header(c.header): c.key for c in COLUMNS},
    **{_normalise_header(c.key): c.key for c in COLUMNS},
}


def _refused(exc: ValidationError) -> FileRefused:
    return FileRefused(list(exc.messages))


def _read_xlsx(upload: UploadedFile) -> Iterator[tuple]:
    """The data sheet's rows, once the workbook is known to be cheap to read.

    Before openpyxl parses anything: the zip's declared sizes, then every XML part streamed
    once with counters (declared dimension, rows, columns, cells, shared strings, elements)
    that stop at the first cap passed. openpyxl then reads it in read-only (streaming) mode.
    """
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        raise FileRefused([gettext("This is not an Excel workbook (.xlsx), whatever its name.")])
    try:
        with uploads.open_zip(upload, ARCHIVE_LIMITS) as archive:
            uploads.check_xlsx_parts(archive, XLSX_LIMITS)
    except ValidationError as exc:
        raise _refused(exc) from exc
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        logger.info("Unreadable workbook %s: %r", upload.name, exc)
        raise FileRefused(
            [gettext("The workbook cannot be read: it is damaged or not an .xlsx file.")]
        ) from exc
    try:
        sheet = (
            workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.worksheets[0]
        )
        yield from sheet.iter_rows(values_only=True, max_row=MAX_SHEET_ROWS)
    except Exception as exc:
        logger.info("Unreadable sheet in %s: %r", upload.name, exc)
        raise FileRefused([gettext("The workbook cannot be read: it is damaged.")]) from exc
    finally:
        workbook.close()


def _read_csv(upload: UploadedFile) -> Iterator[tuple]:
    upload.seek(0)
    raw = upload.read()
    if b"\x00" in raw:
        raise FileRefused([gettext("This is not a CSV text file, whatever its name.")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            [gettext("The CSV file is not in UTF-8: in Excel choose “CSV UTF-8” when saving.")]
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    cells = 0
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            cells += len(row)
            if len(row) > MAX_COLUMNS:
                raise _refused(uploads.too_many("columns", MAX_COLUMNS))
            if number > MAX_SHEET_ROWS:
                raise _refused(uploads.too_many("rows", MAX_ROWS))
            if cells > MAX_CELLS:
                raise _refused(uploads.too_many("cells", MAX_CELLS))
            yield tuple(row)
    except csv.Error as exc:
        raise FileRefused(
            [gettext("The CSV file cannot be read: %(error)s") % {"error": exc}]
        ) from exc


def _header_map(header: tuple) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _HEADER_ALIASES.get(_normalise_header(cell))
        if key is None:
            continue
        if key in found:
            raise FileRefused(
                [gettext("The column “%(column)s” appears twice.") % {"column": HEADERS[key]}]
            )
        found[key] = index
    missing = [c.header for c in COLUMNS if c.required and c.key not in found]
    if missing:
        raise FileRefused(
            [
                gettext(
                    "The first row must hold the template's column names. Missing: %(missing)s. "
                    "Download the template again and copy your figures into it."
                )
                % {"missing": ", ".join(missing)}
            ]
        )
    return found


def _is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _parse_value(cell, indicator: Indicator) -> Decimal | None:
    """The same checks as the form field; a numeric cell is taken as it is (no separators)."""
    if _is_blank(cell):
        return None
    field = IndicatorValueField(indicator=indicator)
    if isinstance(cell, bool) or isinstance(cell, datetime.date | datetime.time):
        raise ValidationError(field.error_messages["invalid"], code="invalid")
    if isinstance(cell, int | float | Decimal):
        try:
            value = Decimal(repr(cell)) if isinstance(cell, float) else Decimal(cell)
        except InvalidOperation as exc:
            raise ValidationError(field.error_messages["invalid"], code="invalid") from exc
        field.validate(value)
        return value
    return field.clean(str(cell))


# --- parsing into a staged batch --------------------------------------------------------


def stage_upload(*, upload: UploadedFile, period: ReportingPeriod, user) -> ImportBatch:
    """Read and check a whole file; store what it would change as a batch to preview.

    Raises :class:`FileRefused` when the file cannot be read at all (not a spreadsheet,
    wrong columns, empty, too many rows). Row and cell errors are kept in the batch.
    """
    suffix = Path(upload.name).suffix.lower()
    reader = _read_xlsx(upload) if suffix == ".xlsx" else _read_csv(upload)
    rows_iter = iter(reader)
    header = next(rows_iter, None)
    if header is None:
        raise FileRefused([gettext("The file is empty.")])
    columns = _header_map(header)
    raw_rows = []
    for number, cells in enumerate(rows_iter, start=2):
        if all(_is_blank(c) for c in cells):
            continue
        if len(raw_rows) >= MAX_ROWS:
            raise FileRefused([gettext("The file has more than %(max)s rows.") % {"max": MAX_ROWS}])
        raw_rows.append(
            (number, {k: cells[i] if i < len(cells) else None for k, i in columns.items()})
        )
    if not raw_rows:
        raise FileRefused([gettext("The file has no rows of figures under its header.")])
    return _stage_rows(raw_rows, upload.name, period, user)


def _stage_rows(
    raw_rows: list[tuple[int, dict]], file_name: str, period: ReportingPeriod, user
) -> ImportBatch:
    """Check every row; scope first.

    A row for a unit the uploader may not change is set aside before anything else is looked
    at: its value is not parsed and no stored figure or report of that unit is even loaded, so
    the answer (one message, the same for every such row) cannot depend on that unit's data.
    """
    expected = {u.code: u for u in selectors.expected_units(period)}
    editable_ids = set(
        AdministrativeUnit.objects.editable_by(user)
        .filter(pk__in=[u.pk for u in expected.values()])
        .values_list("pk", flat=True)
    )
    indicators = {
        i.code: i for i in Indicator.objects.valid_in(period.year).select_related("section")
    }
    # Only the uploader's own units: nothing of another unit is read from the database.
    reports = {
        r.unit_id: r for r in UnitReport.objects.filter(period=period, unit_id__in=editable_ids)
    }
    stored = {
        (unit_id, indicator_id): (value, comment)
        for unit_id, indicator_id, value, comment in ReportValue.objects.filter(
            report__period=period, report__unit_id__in=editable_ids
        ).values_list("report__unit_id", "indicator_id", "value", "comment")
    }
    today = timezone.localdate()
    seen: dict[tuple[int, int], int] = {}
    rows: list[dict] = []
    versions: dict[str, int] = {}
    for number, cells in raw_rows:
        errors: dict[str, str] = {}
        row = {
            "row": number,
            "unit_code": _text(cells.get("unit_code")),
            "indicator_code": _text(cells.get("indicator_code")),
            "unit": "",
            "indicator": "",
            "unit_id": None,
            "indicator_id": None,
            "value": None,
            "comment": _unsafe_text(_text(cells.get("comment"))),
            "old_value": None,
            "old_comment": "",
            "changed": False,
            "skipped": False,
            "refused": False,
            "errors": errors,
        }
        rows.append(row)
        unit = expected.get(row["unit_code"])
        if unit is not None and unit.pk not in editable_ids:
            row.update(unit=unit.name, unit_id=unit.pk, comment="", refused=True)
            continue
        year = _text(cells.get("year"))
        if year != str(period.year):
            errors["year"] = gettext("The year must be %(year)s (this import's year).") % {
                "year": period.year
            }
        if unit is None:
            errors["unit_code"] = gettext(
                "Unknown unit code “%(code)s”: not a ward or commune reporting in %(year)s."
            ) % {"code": row["unit_code"], "year": period.year}
        else:
            row["unit"], row["unit_id"] = unit.name, unit.pk
        indicator = indicators.get(row["indicator_code"])
        if indicator is None:
            errors["indicator_code"] = gettext(
                "Unknown indicator code “%(code)s” for %(year)s."
            ) % {"code": row["indicator_code"], "year": period.year}
        else:
            row["indicator"], row["indicator_id"] = indicator.name, indicator.pk
            if unit is not None and not indicator.is_reported_by(unit):
                errors["indicator_code"] = gettext(
                    "This indicator is not reported by %(unit)s."
                ) % {"unit": unit.name}
        if len(row["comment"]) > COMMENT_MAX_LENGTH:
            errors["comment"] = gettext("At most %(max)s characters.") % {"max": COMMENT_MAX_LENGTH}
        value = None
        if indicator is not None:
            try:
                value = _parse_value(cells.get("value"), indicator)
            except ValidationError as exc:
                errors["value"] = " ".join(exc.messages)
        row["value"] = str(value) if value is not None else None
        if unit is None or indicator is None or errors:
            continue

        key = (unit.pk, indicator.pk)
        if key in seen:
            errors["indicator_code"] = gettext(
                "Duplicate row: %(unit)s / %(indicator)s is already on row %(row)s."
            ) % {"unit": unit.name, "indicator": indicator.code, "row": seen[key]}
            continue
        seen[key] = number
        old_value, old_comment = stored.get(key, (None, ""))
        row["old_value"] = str(old_value) if old_value is not None else None
        row["old_comment"] = old_comment
        changed = old_value != value or old_comment != row["comment"]
        report = reports.get(unit.pk)
        if not changed:
            row["skipped"] = True
            continue
        if report is not None:
            report.period = period
        if report is not None and not report.accepts_values_on(today):
            errors["value"] = gettext(
                "The %(year)s report of %(unit)s is %(status)s: its figures cannot be changed."
            ) % {"year": period.year, "unit": unit.name, "status": report.get_status_display()}
            continue
        if report is None and not period.is_open_for(unit, today):
            errors["value"] = gettext("Data entry for %(year)s is closed.") % {"year": period.year}
            continue
        row["changed"] = True
        versions[str(unit.pk)] = report.version if report else 0
    _flag_problems(rows, period, stored)
    error_count = sum(1 for row in rows if row["errors"])
    # Only what the preview shows and the confirmation applies is kept.
    kept = [r for r in rows if r["errors"] or r["changed"] or r["refused"]]
    ImportBatch.objects.filter(
        Q(created_by=user, status=ImportBatch.Status.PREVIEW)
        | Q(created_by=user, created_at__lt=timezone.now() - datetime.timedelta(days=7))
    ).delete()
    return ImportBatch.objects.create(
        created_by=user,
        period=period,
        file_name=file_name[:255],
        rows=kept,
        versions=versions,
        error_count=error_count,
    )


def _flag_problems(rows: list[dict], period: ReportingPeriod, stored: dict) -> None:
    """Put on each changed row the problems that would block its report's submission once
    imported (a broken rule such as "valuable tip-offs ≤ tip-offs", a big change without a
    comment): the same checks as the form, on the unit's stored figures with the file's on top.
    They do not stop the import (it saves a draft), but the preview shows them."""
    changed = [r for r in rows if r["changed"]]
    if not changed:
        return
    rules = selectors.active_rules()
    units = AdministrativeUnit.objects.in_bulk({r["unit_id"] for r in changed})
    # Constant queries whatever the number of units: one list of indicators per kind of
    # reporter, last year's approved figures of every unit at once.
    forms: dict[bool, list[Indicator]] = {}
    for unit in units.values():
        is_city = unit.kind == AdministrativeUnit.Kind.CITY
        if is_city not in forms:
            forms[is_city] = selectors.indicators_for(unit, period.year)
    last_year = selectors.approved_values(
        unit_ids=list(units),
        indicator_ids=list({i.pk for form in forms.values() for i in form}),
        year=period.year - 1,
    )
    for unit_id, unit in units.items():
        own = [r for r in changed if r["unit_id"] == unit_id]
        indicators = forms[unit.kind == AdministrativeUnit.Kind.CITY]
        entries = {
            indicator_id: Entry(value, comment)
            for (stored_unit, indicator_id), (value, comment) in stored.items()
            if stored_unit == unit_id
        }
        for row in own:
            value = Decimal(row["value"]) if row["value"] is not None else None
            entries[row["indicator_id"]] = Entry(value, row["comment"])
        problems = report_problems(
            indicators=indicators,
            entries=entries,
            last_year={i: v for (u, i), v in last_year.items() if u == unit_id},
            rules=rules,
        )
        by_indicator = {r["indicator_id"]: r for r in own}
        for problem in problems:
            if not problem.blocks or problem.kind == "required":
                continue  # blanks the file leaves are for the form; broken rules are shown
            row = by_indicator.get(problem.indicator_id) or own[0]
            row.setdefault("problems", []).append(problem.message)


def summarise(batch: ImportBatch) -> dict:
    changed = sum(1 for r in batch.rows if r["changed"])
    units = len({r["unit_id"] for r in batch.rows if r["changed"]})
    refused = [r for r in batch.rows if r.get("refused")]
    return {
        "changed": changed,
        "units": units,
        "errors": batch.error_count,
        "problems": sum(1 for r in batch.rows if r.get("problems")),
        "refused": len(refused),
        "refused_units": sorted({r["unit"] for r in refused}),
    }


def error_rows(batch: ImportBatch) -> Iterable[dict]:
    return (r for r in batch.rows if r["errors"])
