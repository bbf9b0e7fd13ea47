"""The map of the units: outlines kept as data, coloured by an indicator, rolled up "as of"."""

import datetime
from decimal import Decimal

import time_machine
from django.urls import reverse

from campaigns.dashboard.maps import classes, shade_of
from wards.models import UnitBoundary

PERIOD = {"from": "2015", "to": "2020", "unit": "tp-my-tho"}
GEO = "/api/v1/units/geo/"
NEW_WARDS = {
    "phuong-my-tho",
    "phuong-thoi-son",
    "phuong-dao-thanh",
    "phuong-my-phong",
    "phuong-trung-an",
}


def test_geojson_gives_the_17_units_of_2020_with_their_figures(client, demo):
    client.force_login(demo["leader"])
    response = client.get(GEO, PERIOD)
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert data["properties"]["indicator"] == "offenders_handled"
    assert data["properties"]["illustrative"] is True
    features = {f["id"]: f for f in data["features"]}
    assert len(features) == 17
    assert sum(f["properties"]["value"] for f in features.values()) == 1816
    assert all(f["geometry"]["type"] == "Polygon" for f in features.values())
    # The same figures as the comparison API.
    units = client.get("/api/v1/units/", PERIOD).json()["units"]
    assert {u["unit"]: u["values"]["offenders_handled"] for u in units} == {
        slug: f["properties"]["value"] for slug, f in features.items()
    }
    lon_min, lat_min, lon_max, lat_max = data["bbox"]
    assert 106 < lon_min < lon_max < 107 and 10 < lat_min < lat_max < 11


def test_geojson_as_of_today_rolls_into_the_five_wards_with_their_outlines(client, demo):
    client.force_login(demo["leader"])
    old = {f["id"]: f["properties"]["value"] for f in client.get(GEO, PERIOD).json()["features"]}
    data = client.get(GEO, {**PERIOD, "as_of": "2026-12-02", "indicator": "tip_offs"}).json()
    assert data["properties"]["indicator"] == "tip_offs"
    features = {f["id"]: f for f in data["features"]}
    assert set(features) == NEW_WARDS
    assert all(f["geometry"] is not None for f in features.values())
    offenders = {
        f["id"]: f["properties"]["value"]
        for f in client.get(GEO, {**PERIOD, "as_of": "2026-12-02"}).json()["features"]
    }
    assert offenders["phuong-my-tho"] == old["phuong-1"] + old["phuong-2"] + old["tan-long"]


def test_geojson_unknown_indicator_is_a_400_naming_the_parameter(client, demo):
    client.force_login(demo["leader"])
    response = client.get(GEO, {**PERIOD, "indicator": "nope"})
    assert response.status_code == 400
    assert "nope" in response.json()["fields"]["indicator"][0]


def test_official_gets_only_own_unit_on_the_map(client, demo):
    client.force_login(demo["phuong-1"])
    data = client.get(GEO, {"from": "2015", "to": "2020"}).json()
    assert [f["id"] for f in data["features"]] == ["phuong-1"]
    assert client.get(GEO, PERIOD).status_code == 403


def test_unit_without_outline_keeps_its_figure_with_null_geometry(client, demo):
    UnitBoundary.objects.filter(unit__slug="phuong-2").delete()
    client.force_login(demo["leader"])
    features = {f["id"]: f for f in client.get(GEO, PERIOD).json()["features"]}
    assert features["phuong-2"]["geometry"] is None
    assert features["phuong-2"]["properties"]["value"] > 0


def test_dashboard_shows_the_map_legend_and_the_table(client, demo):
    client.force_login(demo["leader"])
    response = client.get(reverse("dashboard:dashboard"), PERIOD)
    page = response.content.decode()
    unit_map = response.context["map"]
    assert len(unit_map.units) == 17 and not unit_map.missing
    assert 'data-unit-map="unit-map-data"' in page
    assert 'id="unit-map-data"' in page  # the GeoJSON, as json_script
    assert "Ranh giới minh họa" in page
    assert page.count("map-swatch map-c") >= 17 + len(unit_map.legend)
    assert "1.816" not in page.split('id="unit-map-data-table"')[1].split("</table>")[0]
    assert "vendor/leaflet/leaflet.js" in page


@time_machine.travel(datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC), tick=False)
def test_dashboard_map_as_of_today_has_the_five_wards(client, demo):
    client.force_login(demo["leader"])
    day = datetime.date.today().isoformat()
    response = client.get(reverse("dashboard:dashboard"), {**PERIOD, "as_of": day})
    assert {u.unit.slug for u in response.context["map"].units} == NEW_WARDS


def test_dashboard_colours_by_the_chosen_indicator_and_warns_on_unknown(client, demo):
    client.force_login(demo["leader"])
    url = reverse("dashboard:dashboard")
    chosen = client.get(url, {**PERIOD, "indicator": "criminal_cases"})
    assert chosen.context["map"].indicator.code == "criminal_cases"
    unknown = client.get(url, {**PERIOD, "indicator": "nope"})
    assert unknown.status_code == 200
    assert unknown.context["map"].indicator.code == "offenders_handled"
    assert unknown.context["map_indicator_unknown"] is True


def test_legend_classes_cover_the_range_in_whole_numbers():
    values = [Decimal(v) for v in (69, 73, 84, 95, 111, 153)]
    legend = classes(values)
    assert len(legend) == 5
    assert legend[0].low == 69 and legend[-1].high == 153
    assert all(b.low == a.high + 1 for a, b in zip(legend, legend[1:], strict=False))
    assert shade_of(Decimal(69), legend) == 0 and shade_of(Decimal(153), legend) == 4
    assert shade_of(None, legend) is None
    assert [c.index for c in classes([Decimal(5), Decimal(5)])] == [4]


@time_machine.travel(datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC), tick=False)
def test_unit_page_shows_its_outline_with_its_last_full_year(client, demo):
    client.force_login(demo["leader"])
    page = client.get(reverse("wards:unit_detail", args=["phuong-1"]))
    body = page.content.decode()
    assert 'data-unit-map="unit-page-map"' in body
    assert "2024, đơn vị theo ngày 30/06/2025" in body  # its last full year before 1/7/2025
    assert "js/dashboard.js" in body  # loads Leaflet when the map nears the screen


@time_machine.travel(datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC), tick=False)
def test_dashboard_map_of_today_shows_the_five_wards_and_names_the_partial_year(client, demo):
    # Main's demo reaches today: with no parameter the dashboard opens on the present, whose
    # map is the five wards of 2025; the open year 2026 is marked incomplete beside the map.
    client.force_login(demo["leader"])
    response = client.get(reverse("dashboard:dashboard"))
    assert {u.unit.slug for u in response.context["map"].units} == NEW_WARDS
    section = response.content.decode().split('id="map-heading"')[1].split("</section>")[0]
    assert "năm 2026 chưa đầy đủ" in section
    old = client.get(reverse("dashboard:dashboard"), {"from": "2015", "to": "2020"})
    assert len(old.context["map"].units) == 17
    geo = client.get(GEO, {"from": "2025", "to": "2026", "unit": "tp-my-tho"}).json()
    assert {f["id"] for f in geo["features"]} == NEW_WARDS
    assert geo["properties"]["completeness"]["2026"]["complete"] is False
    assert geo["properties"]["completeness"]["2025"]["complete"] is True
