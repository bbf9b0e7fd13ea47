"""Official printouts: the Vietnamese administrative layout, and PDFs whose text reads back."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from campaigns.certifications.models import Dossier
from wards.numbers import format_number as num

PERIOD = {"from": "2015", "to": "2020", "unit": "tp-my-tho"}
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Wrapped lines add line breaks: compare with whitespace collapsed.
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_a_review_of_todays_ground_is_issued_by_the_province_not_the_city_that_ended(client, demo):
    """TP. Mỹ Tho ended on 1/7/2025: its area's 2025–2026 review is issued under Đồng Tháp,
    whose wards the five successors are; 2015–2020 stays the city's (it held the ground then)."""
    client.force_login(demo["leader"])
    url = reverse("dashboard:period_report")
    html = client.get(url, {"from": "2025", "to": "2026", "unit": "tp-my-tho"}).content.decode()
    assert "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP" in html
    assert "ỦY BAN NHÂN DÂN TP. MỸ THO" not in html
    assert "ỦY BAN NHÂN DÂN TP. MỸ THO" in client.get(url, PERIOD).content.decode()


def test_period_review_pdf_reads_back_the_figures_and_every_column(client, demo):
    client.force_login(demo["leader"])
    url = reverse("dashboard:period_report")
    page = client.get(url, PERIOD)
    review = page.context["review"]
    html = page.content.decode()
    for words in [*MOTTO, "ỦY BAN NHÂN DÂN TP. MỸ THO", "Số: ……/BC-BCĐ", "Nơi nhận:"]:
        assert words in html
    response = client.get(url, {**PERIOD, "format": "pdf"})
    assert 'filename="so-ket-tp-my-tho-2015-2020.pdf"' in response["Content-Disposition"]
    text = _text(response)
    reader = PdfReader(io.BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # A4 landscape: the per-unit table keeps every column
    for words in [*MOTTO, "ỦY BAN NHÂN DÂN TP. MỸ THO", "TM. BAN CHỈ ĐẠO", "Mỹ Tho, ngày"]:
        assert words in text, words
    assert "1.816" in text and "17/17" in text
    # Every headline figure, as the page shows it, reads back from the PDF.
    for label, value, total, _note in review.headline_rows():
        shown = num(value) + (f"/{num(total)}" if total is not None else "")
        label = re.sub(r"\s+", " ", str(label))
        assert f"{label} {shown}" in text, (label, shown)
    for indicator in review.comparison_indicators:
        assert re.sub(r"\s+", " ", indicator.name) in text, indicator.name
    for row in review.comparison:
        assert row.unit.name in text
    assert "Xếp hạng" in text and "Phân loại" in text


def test_period_review_pdf_of_a_partial_year_carries_the_completeness_marks(client, demo):
    # Main's demo reaches today: 2026 is open, with 1 of the 5 wards' reports approved.
    client.force_login(demo["leader"])
    url = reverse("dashboard:period_report")
    partial = {"from": "2025", "to": "2026", "unit": "tp-my-tho"}
    page = client.get(url, partial)
    words = page.context["review"].partial_text
    assert words.startswith("năm 2026 chưa đầy đủ")
    assert "data-partial" in page.content.decode()
    text = _text(client.get(url, {**partial, "format": "pdf"}))
    assert words in text  # the page's partial-data notice, in the PDF too
    for name in ["Mỹ Tho", "Thới Sơn", "Đạo Thạnh", "Mỹ Phong", "Trung An"]:
        assert f"Phường {name}" in text  # today's five wards, side by side


def test_unit_report_pdf_has_the_document_layout_and_the_figures(client, demo):
    client.force_login(demo["phuong-1"])
    url = reverse("campaigns:report_detail", args=[2020, "phuong-1"])
    text = _text(client.get(url, {"format": "pdf"}))
    for words in [*MOTTO, "ỦY BAN NHÂN DÂN PHƯỜNG 1", "BÁO CÁO", "năm 2020: Phường 1"]:
        assert words in text, words
    assert "Thay đổi Ghi chú" in text  # two headers, never run together
    assert "Duyệt" not in text and "Nhập số liệu" not in text  # no buttons


def test_certificate_pdf_reads_back_the_holder_and_the_title(client, demo):
    dossier = Dossier.objects.filter(status="decided", result="met").select_related("unit")[0]
    client.force_login(demo["admin"])
    url = reverse("certifications:certificate", args=[dossier.pk])
    text = _text(client.get(url, {"format": "pdf"}))
    assert MOTTO[0] in text and MOTTO[1] in text
    assert dossier.holder.name in text and "GIẤY CHỨNG NHẬN" in text
    assert dossier.certificate_number in text


def test_pdf_is_scoped_like_the_page(client, demo):
    url = reverse("campaigns:report_detail", args=[2020, "phuong-2"])
    anonymous = client.get(url, {"format": "pdf"})
    assert anonymous.status_code == 302
    client.force_login(demo["phuong-1"])
    assert client.get(url, {"format": "pdf"}).status_code in (403, 404)
    review = reverse("dashboard:period_report")
    assert client.get(review, {**PERIOD, "format": "pdf"}).status_code == 403


@pytest.mark.parametrize("missing", [ImportError("no weasyprint"), OSError("libpango")])
def test_missing_pdf_library_gives_a_clear_page_not_a_500(client, demo, monkeypatch, missing):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise missing
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    client.force_login(demo["leader"])
    response = client.get(reverse("dashboard:period_report"), {**PERIOD, "format": "pdf"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "Pango" in page and "Ctrl+P" in page
