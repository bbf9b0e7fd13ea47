"""The seed article's figures for 2015–2020, read off the dashboard, the report, the exports and
the API, on the demo data."""

import io
import re

import openpyxl
from django.urls import reverse

PERIOD = {"from": "2015", "to": "2020", "unit": "tp-my-tho"}


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _kpi_values(body: str) -> dict[str, str]:
    """Each headline card's figure, by its ``data-kpi`` key (a figure elsewhere on the page,
    in a table or a chart, cannot stand in for the card's)."""
    cards = re.findall(r'data-kpi="([a-z_]+)".*?<div class="kpi-value">(.*?)</div>', body)
    values = dict(cards)
    assert len(values) == len(cards), "a card key appears twice"
    return {key: value.strip() for key, value in values.items()}


def test_dashboard_shows_the_article_figures(client, demo):
    client.force_login(demo["leader"])
    body = _text(client.get(reverse("dashboard:dashboard"), PERIOD))
    cards = _kpi_values(body)
    expected = {
        "units_antt_certified": "17/17",
        "organizations_antt_certified": "46",
        "wards_civilized_urban": "11",
        "communes_new_rural_culture": "6",
        "prevention_models": "37",
        "offenders_handled": "1.816",
        "police_university_share": "70,5%",
    }
    assert {key: cards.get(key) for key in expected} == expected
    assert "giảm hằng năm" in body  # crimes fell every year in the demo data


def test_period_report_shows_the_figures_and_narrative(client, demo):
    client.force_login(demo["leader"])
    body = _text(client.get(reverse("dashboard:period_report"), PERIOD))
    assert "17/17 phường, xã được công nhận đạt tiêu chuẩn An toàn về ANTT" in body
    assert "46 cơ quan, doanh nghiệp, trường học" in body
    assert "11 phường" in body and "6 xã" in body
    assert "37 mô hình phòng, chống tội phạm" in body
    assert "1.816 đối tượng vi phạm pháp luật" in body
    assert "70,5%" in body


def test_api_summary_gives_plain_numbers(client, demo):
    client.force_login(demo["leader"])
    data = client.get("/api/v1/summary/", PERIOD).json()
    assert data["units_total"] == 17
    assert data["units_antt_certified"] == 17
    assert data["organizations_antt_certified"] == 46
    assert data["wards_civilized_urban"] == 11
    assert data["communes_new_rural_culture"] == 6
    assert data["prevention_models"] == 37
    assert data["offenders_handled"] == 1816
    assert data["police_university_share"] > 70


def test_xlsx_export_has_one_sheet_per_table_with_the_figures(client, demo):
    client.force_login(demo["leader"])
    response = client.get(reverse("dashboard:period_report"), {**PERIOD, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Số liệu chính", "Chỉ tiêu theo năm", "Theo đơn vị"]
    headline = {
        row[0]: row[1] for row in book["Số liệu chính"].iter_rows(min_row=3, values_only=True)
    }
    values = list(headline.values())
    assert "17/17" in values and 46 in values and 11 in values and 6 in values
    assert 37 in values and 1816 in values
    sheet = book["Chỉ tiêu theo năm"]
    assert sheet.freeze_panes == "A3"  # the title row and the header row stay in view
    assert sheet["A1"].font.bold and sheet["A2"].font.bold
    assert [c.value for c in sheet[2]][:4] == ["Mã", "Chỉ tiêu", "Đơn vị tính", "2015"]
    offenders = next(
        r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] == "offenders_handled"
    )
    assert offenders[-1] == 1816
    assert len(list(book["Theo đơn vị"].iter_rows(min_row=3))) == 17


def test_csv_export_is_utf8_with_bom(client, demo):
    client.force_login(demo["leader"])
    response = client.get(
        reverse("dashboard:period_report"),
        {**PERIOD, "format": "csv", "table": "chi-tieu-theo-nam"},
    )
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert "Đối tượng vi phạm pháp luật bị phát hiện, xử lý" in text
    assert ",1816" in text


def test_stocks_take_the_last_year_flows_add_up(client, demo):
    client.force_login(demo["leader"])
    series = client.get("/api/v1/series/", PERIOD).json()
    by_code = {i["code"]: i for i in series["indicators"]}
    teams = by_code["self_management_teams"]
    assert teams["period_aggregation"] == "latest"
    assert teams["period"] == teams["values"]["2020"]
    offenders = by_code["offenders_handled"]
    assert offenders["period"] == sum(offenders["values"].values()) == 1816
