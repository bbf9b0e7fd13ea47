"""Hostile uploads are refused within 5 s and 200 MB, with a clear Vietnamese message.

Each file is small on the wire but would cost a worker minutes or gigabytes if parsed naively.
The bounds are measured around the request (wall clock and ``tracemalloc``'s peak).
"""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from campaigns.certifications.validators import validate_attachment
from campaigns.models import ImportBatch

pytestmark = pytest.mark.django_db

MAX_SECONDS = 5
MAX_BYTES = 200 * 1024 * 1024
HEADER = ["Năm", "Mã đơn vị", "Đơn vị", "Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Năm trước",
          "Giá trị", "Ghi chú"]  # fmt: skip
SHEET = "xl/worksheets/sheet1.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def bounded(action):
    """Run ``action()`` twice: timed, then under ``tracemalloc``; assert 5 s and 200 MB.

    Time is the CPU time of this thread: the machine running the tests is shared, and a
    worker in production has its core to itself. Returns the result of the first run.
    """
    started = time.thread_time()
    result = action()
    elapsed = time.thread_time() - started
    assert elapsed < MAX_SECONDS, f"took {elapsed:.1f} s of CPU"
    tracemalloc.start()
    try:
        action()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MAX_BYTES, f"peak {peak / 1e6:.0f} MB"
    return result


def template_workbook(rows=()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Số liệu"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(xlsx: bytes, parts: dict) -> bytes:
    """The workbook with some parts replaced or added (bytes, or a callable writing chunks)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in parts.items():
            if callable(content):
                with target.open(name, "w", force_zip64=True) as part:
                    content(part)
            else:
                target.writestr(name, content)
    return buffer.getvalue()


def sheet_xml(body: str, dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">{dim}'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def upload(client, year, content, name="bao-cao.xlsx"):
    return client.post(
        reverse("campaigns:import_upload", args=[year]), {"file": SimpleUploadedFile(name, content)}
    )


def refused_with(response) -> str:
    assert response.status_code == 200
    assert not ImportBatch.objects.exists()
    return " ".join(response.context["form"].errors["file"])


@pytest.fixture
def client_a(login, official_a, unit_a, period, catalogue):
    return login(official_a)


# --- the spreadsheet import ----------------------------------------------------------------


def test_a_sheet_declaring_16384_columns_is_refused_before_parsing(client_a, period):
    row = "".join(f'<c r="{col}1" t="inlineStr"><is><t>x</t></is></c>' for col in ["A", "XFD"])
    content = rewrite(
        template_workbook(), {SHEET: sheet_xml(f'<row r="1">{row}</row>', "A1:XFD5000")}
    )
    message = refused_with(bounded(lambda: upload(client_a, period.year, content)))
    assert "Trang tính có hơn 30 cột" in message


def test_many_columns_without_a_dimension_stop_at_the_cap(client_a, period):
    # 500 KB on the wire: 2,000 rows of 200 cells each, no <dimension> to warn about it.
    row = "<c><v>1</v></c>" * 200
    body = "".join(f"<row>{row}</row>" for _ in range(2000))
    content = rewrite(template_workbook(), {SHEET: sheet_xml(body)})
    message = refused_with(bounded(lambda: upload(client_a, period.year, content)))
    assert "Trang tính có hơn 30 cột" in message


def test_too_many_cells_in_narrow_rows_stop_at_the_cap(client_a, period):
    row = "<c><v>1</v></c>" * 25
    body = "".join(f"<row>{row}</row>" for _ in range(3000))
    content = rewrite(template_workbook(), {SHEET: sheet_xml(body)})
    message = refused_with(bounded(lambda: upload(client_a, period.year, content)))
    assert "ô có dữ liệu" in message


def test_many_shared_strings_are_counted_before_openpyxl_loads_them(client_a, period):
    strings = "".join(f"<si><t>{n}</t></si>" for n in range(100_000))
    table = f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}">{strings}</sst>'.encode()
    content = rewrite(template_workbook(), {"xl/sharedStrings.xml": table})
    message = refused_with(bounded(lambda: upload(client_a, period.year, content)))
    assert "đoạn văn bản khác nhau" in message


@pytest.fixture(scope="module")
def zip_bomb_sheet():
    """A 256 MB worksheet that compresses to about 256 KB."""

    def write(part):
        chunk = b" " * (1 << 20)
        for _ in range(256):
            part.write(chunk)

    return rewrite(template_workbook(), {SHEET: write})


def test_a_zip_bomb_is_refused_by_its_declared_size(client_a, period, zip_bomb_sheet):
    assert len(zip_bomb_sheet) < 1024 * 1024
    message = refused_with(bounded(lambda: upload(client_a, period.year, zip_bomb_sheet)))
    assert "Khi giải nén, tệp sẽ chiếm hơn" in message


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + f']><worksheet xmlns="{MAIN_NS}"><sheetData><row><c t="inlineStr"><is><t>&lol9;</t>'
    + "</is></c></row></sheetData></worksheet>"
).encode()


def test_an_xml_bomb_is_refused(client_a, period):
    content = rewrite(template_workbook(), {SHEET: BILLION_LAUGHS})
    message = refused_with(bounded(lambda: upload(client_a, period.year, content)))
    assert "cấu trúc XML không được chấp nhận" in message


def test_an_xml_bomb_in_the_shared_strings_is_refused(client_a, period):
    table = BILLION_LAUGHS.replace(b"worksheet", b"sst").replace(b"<sheetData><row><c", b"<si")
    content = rewrite(template_workbook(), {"xl/sharedStrings.xml": table})
    message = refused_with(bounded(lambda: upload(client_a, period.year, content)))
    assert "cấu trúc XML không được chấp nhận" in message


def test_a_huge_picture_inside_the_workbook_is_refused(client_a, period):
    def write(part):
        chunk = b"\0" * (1 << 20)
        for _ in range(64):
            part.write(chunk)

    content = rewrite(template_workbook(), {"xl/media/image1.png": write})
    message = refused_with(bounded(lambda: upload(client_a, period.year, content)))
    assert "Khi giải nén, tệp sẽ chiếm hơn" in message


def test_a_truncated_workbook_is_refused_as_damaged(client_a, period, unit_a):
    content = template_workbook([[period.year, unit_a.code, "", "criminal_cases", "", "", None, 3]])
    message = refused_with(bounded(lambda: upload(client_a, period.year, content[:-200])))
    assert "tệp bị hỏng" in message


def test_a_csv_with_a_million_columns_is_refused(client_a, period):
    content = ("Năm," + "," * 1_000_000 + "\n").encode()
    message = refused_with(bounded(lambda: upload(client_a, period.year, content, "a.csv")))
    assert "Trang tính có hơn 30 cột" in message


def test_a_normal_city_sized_file_still_imports(client_a, period, unit_a):
    rows = [[period.year, unit_a.code, "", "criminal_cases", "", "", None, 3]]
    rows += [[None] * 9 for _ in range(1000)]
    response = bounded(lambda: upload(client_a, period.year, template_workbook(rows)))
    assert response.status_code == 302
    assert ImportBatch.objects.get().error_count == 0


# --- certification attachments -------------------------------------------------------------


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels in 60 bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def _attachment_refused(name: str, content: bytes) -> str:
    def validate():
        with pytest.raises(ValidationError) as caught:
            validate_attachment(SimpleUploadedFile(name, content))
        return caught.value

    return " ".join(bounded(validate).messages)


def test_an_attached_picture_of_ten_billion_pixels_is_refused(settings):
    settings.LANGUAGE_CODE = "vi"
    message = _attachment_refused("anh.png", _png_header(100_000, 100_000))
    assert "Hình ảnh quá lớn" in message


def test_an_attached_picture_over_50_megapixels_is_refused():
    message = _attachment_refused("anh.png", _png_header(10_000, 8_000))
    assert "10000 × 8000" in message


def test_a_real_scan_is_accepted():
    picture = io.BytesIO()
    Image.new("RGB", (2480, 3508), "white").save(picture, "JPEG")  # A4 at 300 dpi
    bounded(lambda: validate_attachment(SimpleUploadedFile("scan.jpg", picture.getvalue())))


def test_an_attached_zip_bomb_document_is_refused():
    def write(part):
        chunk = b" " * (1 << 20)
        for _ in range(256):
            part.write(chunk)

    docx = rewrite(template_workbook(), {"word/document.xml": b"<w/>", "word/media/big.bin": write})
    message = _attachment_refused("quyet-dinh.docx", docx)
    assert "Khi giải nén, tệp sẽ chiếm hơn" in message


def test_a_truncated_attached_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>" * 1000)
    message = _attachment_refused("quyet-dinh.docx", buffer.getvalue()[:-30])
    assert "Nội dung tệp không đúng định dạng DOCX" in message
