import datetime

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_sees_the_units_on_the_map_then_and_now(
    page, live_server, demo_data, sign_in, screenshot
):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in("leader")
    page.goto(live_server.url + "/tong-quan/?from=2015&to=2020&unit=tp-my-tho&as_of=2020-12-31")
    unit_map = page.locator("[data-unit-map]")
    # Leaflet loads when the map comes near the screen.
    unit_map.scroll_into_view_if_needed()
    expect(unit_map).to_have_attribute("data-map-ready", "17")
    assert page.locator("path.leaflet-interactive").count() == 17
    expect(page.locator("#unit-map-data-table tbody tr")).to_have_count(17)
    # Hover (or tap) a unit: its figure shows.
    page.locator("path.leaflet-interactive").first.hover()
    expect(page.locator(".leaflet-tooltip")).to_contain_text("người")
    page.locator(".unit-map-section").scroll_into_view_if_needed()
    screenshot("map-2015-2020-as-of-2020")

    # The same area as of today: the five wards of 2025.
    today = datetime.date.today().isoformat()
    page.goto(live_server.url + f"/tong-quan/?from=2015&to=2020&unit=tp-my-tho&as_of={today}")
    unit_map.scroll_into_view_if_needed()
    expect(unit_map).to_have_attribute("data-map-ready", "5")
    expect(page.locator("#unit-map-data-table")).to_contain_text("Phường Mỹ Tho")
    screenshot("map-as-of-today-five-wards")

    # Colour by another indicator with the picker.
    page.select_option("#map-indicator", "criminal_cases")
    page.locator(".unit-map-section button[type=submit]").click()
    expect(page.locator("#map-heading")).to_contain_text("Phạm pháp hình sự")
    unit_map.scroll_into_view_if_needed()
    expect(unit_map).to_have_attribute("data-map-ready", "5")
    assert [e for e in errors if "Content Security Policy" in e] == []
