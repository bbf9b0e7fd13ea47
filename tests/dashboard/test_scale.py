"""A city's pages do not depend on the rest of the country: the same figures, the same default
period and the same queries with a national-like dataset loaded beside the demo city."""

import datetime
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns.aggregates import rebuild
from campaigns.certifications.selectors import latest_city_summary
from campaigns.models import Campaign, Indicator, ReportingPeriod, ReportValue, UnitReport
from tests.certifications.factories import decided_dossier
from tests.factories import UnitFactory
from wards.models import AdministrativeUnit

CITY_PAGES = [
    reverse("dashboard:dashboard"),
    reverse("dashboard:period_report"),
    "/api/v1/summary/",
    "/api/v1/series/",
    "/api/v1/units/",
]
# The far provinces have approved figures and titles for a later year than the city's latest
# closed one: the current year, closed yesterday for them.
LATER = datetime.date.today().year


def _far_country(provinces: int = 2, communes: int = 6) -> None:
    """Provinces elsewhere with their own campaign, approved reports and titles in 2024."""
    offenders = Indicator.objects.get(code="offenders_handled")
    now = timezone.now()
    for p in range(provinces):
        province = UnitFactory(kind="province", name=f"Tỉnh Xa {p}", valid_from="2008-01-01")
        district = UnitFactory(kind="district", parent=province, valid_from="2008-01-01")
        campaign = Campaign.objects.create(
            city=district, name=f"Phong trào {p}", slug=f"xa-{p}", start_year=LATER
        )
        period = ReportingPeriod.objects.create(
            campaign=campaign,
            year=LATER,
            opens_on=datetime.date(LATER, 1, 1),
            due_on=datetime.date.today() - datetime.timedelta(days=1),
            closes_on=datetime.date.today() - datetime.timedelta(days=1),
        )
        for _ in range(communes):
            commune = UnitFactory(kind="commune", parent=district, valid_from="2008-01-01")
            report = UnitReport.objects.create(
                period=period,
                unit=commune,
                status="approved",
                submitted_at=now,
                first_submitted_at=now,
                approved_at=now,
            )
            ReportValue.objects.create(report=report, indicator=offenders, value=Decimal(9))
            decided_dossier(commune, year=LATER)
    rebuild()


def _visit(client) -> dict[str, tuple[int, int, object]]:
    """page → (status, queries with an empty cache, what it says)."""
    seen = {}
    for url in CITY_PAGES:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)  # no parameters: the default period and unit
        if url.startswith("/api/"):
            body = response.json()
        elif "review" in response.context:
            body = response.context["review"].summary.as_dict()
        else:
            body = response.context["summary"].as_dict()
        seen[url] = (response.status_code, len(ctx.captured_queries), body)
    return seen


def test_city_pages_ignore_a_national_dataset_beside_them(client, demo):
    client.force_login(demo["leader"])
    before = _visit(client)
    summary_before = latest_city_summary(demo["leader"])

    _far_country()

    after = _visit(client)
    assert after == before  # same status, same number of queries, same figures and period
    assert before["/api/v1/summary/"][2]["from"] < LATER
    # The demo city decides titles of this year too (main's demo of today), so the year alone
    # no longer tells the city's latest year from the far provinces': the same figures do.
    summary_after = latest_city_summary(demo["leader"])
    assert summary_after == summary_before
    assert summary_after.year <= LATER


def test_the_default_period_comes_from_the_users_scope(client, demo):
    _far_country(provinces=1, communes=2)
    client.force_login(demo["leader"])
    city_default = client.get("/api/v1/summary/").json()
    assert city_default["unit"] == "tp-my-tho" and city_default["from"] < LATER
    client.force_login(demo["admin"])  # an administrator defaults to the first campaign's city
    assert client.get("/api/v1/summary/").json()["from"] == city_default["from"]


def test_a_country_is_refused_per_unit_tables_with_a_413_saying_how_to_narrow_it(
    client, demo, monkeypatch
):
    from campaigns.dashboard import api, views

    monkeypatch.setattr(api, "MAX_LISTED_UNITS", 5)
    monkeypatch.setattr(views, "MAX_LISTED_UNITS", 5)
    country = AdministrativeUnit.objects.filter(kind="country").first() or UnitFactory(
        kind="country", name="Việt Nam"
    )
    AdministrativeUnit.objects.filter(slug="tien-giang").update(parent=country)
    client.force_login(demo["admin"])
    params = {"from": "2020", "to": "2020", "unit": country.slug}
    response = client.get("/api/v1/units/", params)
    assert response.status_code == 413
    assert "tỉnh hoặc một huyện" in response.json()["error"]
    page = client.get(reverse("dashboard:indicator_detail", args=["offenders_handled"]), params)
    assert page.status_code == 413 and "tỉnh hoặc một huyện" in page.content.decode()
    # The summary and series answer for the whole scope from the kept aggregates.
    assert client.get("/api/v1/summary/", params).status_code == 200


def test_units_are_paged_with_a_maximum(client, demo):
    client.force_login(demo["leader"])
    params = {"from": "2015", "to": "2020", "unit": "tp-my-tho"}
    first = client.get("/api/v1/units/", {**params, "limit": 10}).json()
    assert first["count"] == 17 and len(first["units"]) == 10 and first["offset"] == 0
    assert "offset=10" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["units"]) == 7 and second["next"] is None
    slugs = [u["unit"] for u in first["units"] + second["units"]]
    assert len(set(slugs)) == 17
    whole = client.get("/api/v1/units/", params).json()
    assert [u["unit"] for u in whole["units"]] == slugs
    for bad in [{"limit": 0}, {"limit": 501}, {"limit": "x"}, {"offset": -1}]:
        response = client.get("/api/v1/units/", {**params, **bad})
        assert response.status_code == 400, bad
        assert next(iter(bad)) in response.json()["fields"]
