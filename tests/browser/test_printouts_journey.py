import io
import re
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _squashed(pdf: bytes) -> str:
    """The PDF's text with every space removed (Chromium's PDFs split words and accents)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def test_leader_prints_the_period_review_and_downloads_its_pdf(
    page, live_server, demo_data, sign_in
):
    sign_in("leader")
    page.goto(live_server.url + "/bao-cao-so-ket/?from=2015&to=2020&unit=tp-my-tho")
    headers = [_squash(h) for h in page.locator("article table thead th").all_inner_texts()]
    units = [
        _squash(u) for u in page.locator("article table tbody th.text-nowrap").all_inner_texts()
    ]
    assert len(units) == 17

    # Printed: no buttons, no navigation; the national name and motto; every column.
    page.emulate_media(media="print")
    for hidden in ["nav.navbar", "form[aria-label]", "[data-print]", "[data-pdf]"]:
        expect(page.locator(hidden).first).to_be_hidden()
    printed = _squashed(page.pdf(prefer_css_page_size=True))
    for words in ["CỘNGHÒAXÃHỘICHỦNGHĨAVIỆTNAM", "Độclập-Tựdo-Hạnhphúc", "BÁOCÁO", "Nơinhận"]:
        assert words in printed, words
    missing = [h for h in headers if h and h not in printed]
    assert missing == []
    assert all(u in printed for u in units)
    assert "XLSX" not in printed and "CSV" not in printed

    # The PDF download (WeasyPrint) reads back the same figures.
    page.emulate_media(media="screen")
    # WeasyPrint takes a few seconds (tens on a loaded 2-core machine).
    with page.expect_download(timeout=180_000) as download_info:
        page.click("[data-pdf]", no_wait_after=True)
    download = download_info.value
    assert download.suggested_filename == "so-ket-tp-my-tho-2015-2020.pdf"
    downloaded = _squashed(open(download.path(), "rb").read())
    figures = [_squash(t) for t in page.locator("[data-figure]").all_inner_texts()]
    assert "1.816" in figures and "17/17" in figures
    for figure in figures:
        assert figure in downloaded and figure in printed
