import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_reads_dashboard_drills_down_and_downloads_xlsx(
    page, live_server, demo_data, sign_in, screenshot
):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in("leader")
    page.goto(live_server.url + "/tong-quan/?from=2020&to=2020&unit=tp-my-tho")
    expect(page.locator("h1")).to_contain_text("2020")

    # Change the period to 2015–2020 with the form.
    page.fill("#id_from", "2015")
    page.fill("#id_to", "2020")
    page.click("form[aria-label] button[type=submit]")
    expect(page.locator("h1")).to_contain_text("2015–2020")
    kpis = page.locator(".kpi-card")
    expect(kpis.filter(has_text="phường, xã")).to_contain_text("17/17")
    expect(page.locator("[data-kpi=offenders_handled]")).to_contain_text("1.816")
    expect(page.locator("[data-kpi=organizations_antt_certified]")).to_contain_text("46")
    expect(page.locator("[data-kpi=prevention_models]")).to_contain_text("37")
    expect(page.locator("[data-kpi=police_university_share]")).to_contain_text("70,5%")
    # Chart.js loads when the charts come near the screen, then draws them.
    page.locator("canvas").first.scroll_into_view_if_needed()
    expect(page.locator("canvas").first).to_be_visible()
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length > 0")
    screenshot("dashboard-leader")

    # Drill down: offenders → the units → Phường 1's 2020 report.
    page.click("[data-kpi=offenders_handled]")
    expect(page.locator("h1")).to_contain_text("Đối tượng vi phạm pháp luật")
    page.locator("tr", has_text="Phường 1").first.locator("a").last.click()
    expect(page).to_have_url(re.compile(r"/bao-cao/2020/phuong-1/$"))
    expect(page.locator("h1")).to_contain_text("Phường 1")
    screenshot("dashboard-drilldown-report")

    # The period review, exported to XLSX.
    page.goto(live_server.url + "/bao-cao-so-ket/?from=2015&to=2020&unit=tp-my-tho")
    expect(page.locator("main")).to_contain_text("17/17 phường, xã được công nhận")
    with page.expect_download() as download_info:
        page.click("text=XLSX")
    download = download_info.value
    book = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    assert "Số liệu chính" in book.sheetnames
    assert "đầy đủ: 108/108 báo cáo" in book["Số liệu chính"]["A1"].value
    screenshot("period-review")

    # A period that reaches the year in progress says so and draws that year apart.
    page.goto(live_server.url + "/tong-quan/?from=2021&to=2026&unit=tp-my-tho")
    expect(page.locator("[data-partial]").first).to_contain_text(
        "năm 2026 chưa đầy đủ: 1/5 báo cáo đã duyệt"
    )
    expect(page.locator("[data-kpi=offenders_handled]")).to_contain_text("chưa đầy đủ")
    expect(page.locator("canvas").first).to_be_visible()
    screenshot("dashboard-partial-year")
    assert [e for e in errors if "Content Security Policy" in e] == []
