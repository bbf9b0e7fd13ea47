"""Scoping, bad parameters and pinned query counts of the dashboard, report and API."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from campaigns.aggregates import rebuild
from campaigns.models import Indicator, ReportingPeriod, ReportValue, UnitReport
from tests.factories import UnitFactory
from wards.models import AdministrativeUnit

PERIOD = {"from": "2015", "to": "2020", "unit": "tp-my-tho"}
PAGES = [reverse("dashboard:dashboard"), reverse("dashboard:period_report")]
API = ["/api/v1/summary/", "/api/v1/series/", "/api/v1/units/", "/api/v1/units/geo/"]


def test_anonymous_is_sent_to_login_and_api_says_401(client, demo):
    for url in PAGES + [reverse("dashboard:indicator_detail", args=["offenders_handled"])]:
        response = client.get(url, PERIOD)
        assert response.status_code == 302 and "/tai-khoan/login/" in response["Location"]
    for url in API:
        assert client.get(url, PERIOD).status_code == 401


def test_official_sees_own_unit_by_default(client, demo):
    client.force_login(demo["phuong-1"])
    response = client.get(reverse("dashboard:dashboard"), {"from": "2015", "to": "2020"})
    assert response.status_code == 200
    assert response.context["query"].unit.slug == "phuong-1"
    data = client.get("/api/v1/summary/", {"from": "2015", "to": "2020"}).json()
    assert data["unit"] == "phuong-1" and data["units_total"] == 1


def test_official_is_refused_other_units_and_the_city(client, demo):
    client.force_login(demo["phuong-1"])
    for slug in ["phuong-2", "tp-my-tho"]:
        params = {**PERIOD, "unit": slug}
        for url in PAGES + [reverse("dashboard:indicator_detail", args=["criminal_cases"])]:
            assert client.get(url, params).status_code == 403, (url, slug)
        for url in API:
            response = client.get(url, params)
            assert response.status_code == 403, (url, slug)
            assert "không được xem" in response.json()["error"]
    xlsx = client.get(
        reverse("dashboard:period_report"), {**PERIOD, "unit": "phuong-2", "format": "xlsx"}
    )
    assert xlsx.status_code == 403


def test_leader_may_see_a_ward(client, demo):
    client.force_login(demo["leader"])
    data = client.get("/api/v1/summary/", {**PERIOD, "unit": "phuong-2"}).json()
    assert data["unit"] == "phuong-2"
    assert data["offenders_handled"] > 0


def test_bad_parameters_get_a_clear_400(client, demo):
    client.force_login(demo["leader"])
    cases = [
        ({"from": "2020", "to": "2015"}, "Năm đầu kỳ (2020) sau năm cuối kỳ (2015)."),
        ({"from": "abc", "to": "2015"}, "Năm đầu kỳ phải là số nguyên"),
        ({"from": "2015", "to": "2020", "unit": "khong-co"}, "Không có đơn vị “khong-co”."),
        ({"from": "2015", "to": "2020", "as_of": "31-31-2020"}, "Nhập ngày theo dạng"),
    ]
    for params, message in cases:
        for url in API:
            response = client.get(url, params)
            assert response.status_code == 400, (url, params)
            assert message in response.json()["error"], response.json()
        page = client.get(reverse("dashboard:dashboard"), params)
        assert page.status_code == 400 and message in page.content.decode()


def test_openapi_schema_is_served(client, demo):
    client.force_login(demo["leader"])
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/summary/" in schema["paths"]
    props = schema["components"]["schemas"]["SummaryOut"]["properties"]
    assert {"units_total", "offenders_handled", "police_university_share", "from"} <= set(props)


def test_drill_down_lists_each_unit_with_links_to_reports(client, demo):
    client.force_login(demo["leader"])
    response = client.get(reverse("dashboard:indicator_detail", args=["offenders_handled"]), PERIOD)
    body = response.content.decode()
    assert response.status_code == 200
    assert len(response.context["rows"]) == 17
    assert sum(r["total"] for r in response.context["rows"]) == 1816
    assert reverse("campaigns:report_detail", args=[2020, "phuong-1"]) in body


def test_submitted_switch_counts_submitted_reports(client, demo):
    client.force_login(demo["leader"])
    year = str(timezone.localdate().year)  # the demo's year in progress
    approved = client.get("/api/v1/summary/", {"from": year, "to": year}).json()
    with_submitted = client.get(
        "/api/v1/summary/", {"from": year, "to": year, "submitted": "1"}
    ).json()
    assert with_submitted["basis"] == "submitted"
    assert (with_submitted["offenders_handled"] or 0) > (approved["offenders_handled"] or 0)
    page = client.get(reverse("dashboard:dashboard"), {"from": year, "to": year, "submitted": "1"})
    assert "số liệu chỉ là tạm thời" in page.content.decode()


def _grow_city(extra_units: int) -> None:
    """More wards with approved reports for 2015–2020, then fresh aggregates."""
    city = AdministrativeUnit.objects.get(slug="tp-my-tho")
    periods = {p.year: p for p in ReportingPeriod.objects.filter(campaign__city=city)}
    indicators = list(Indicator.objects.filter(reporter="commune_level"))
    now = timezone.now()
    for _ in range(extra_units):
        unit = UnitFactory(parent=city)
        for year in range(2015, 2021):
            report = UnitReport.objects.create(
                period=periods[year],
                unit=unit,
                status="approved",
                submitted_at=now,
                first_submitted_at=now,
                approved_at=now,
            )
            ReportValue.objects.bulk_create(
                ReportValue(report=report, indicator=i, value=Decimal(2)) for i in indicators
            )
    rebuild()


def _uncached_and_cached(client, url, params) -> tuple[int, int]:
    """(queries with an empty cache, queries when cached) of one GET."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    measured = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        measured.append(len(ctx.captured_queries))
    return tuple(measured)


def _counts(client) -> dict[str, tuple[int, int]]:
    """page → (queries with an empty cache, queries when cached)."""
    return {url: _uncached_and_cached(client, url, PERIOD) for url in PAGES + API}


def test_query_counts_are_pinned_and_do_not_grow(client, demo):
    client.force_login(demo["leader"])
    # Every page: session, user, the figures version (read first, once per request), the unit
    # asked for with its parents and the user's ground over the recorded unit changes (both
    # from the cache when cached; the scope check itself runs in memory), then
    # dashboard (42): the unit picker (3), catalogue (1), summary (10: the
    #   scope's succession 1, series 2, units then 2, titles of the last and of the first year 2,
    #   registry 3), completeness (5: communes by parent and dates, their campaigns' periods,
    #   city-indicator years, cities expected by year, reports by year and status), the
    #   narrative's exemplary models and their sites (2), comparison (11: unit, succession,
    #   member names, members then, members, values, classification sheets 4, unit), reporting
    #   progress (4: period, units, city-indicator check, reports), the reporting area's name (1);
    # review (37): the same without the reporting progress;
    # API: the catalogue, then the figures (the summary with its completeness and the
    #   narrative's queries; the series and the units list with the completeness's 5).
    # Cached, the pages and the API run only session, user and version: a page's whole content
    # is cached per viewer (campaigns.dashboard.views), the API's figures per query; the units
    # list also reads its scope's ground and count (2).
    # Both pages also count the bell's unread notifications (1, cached or not); the dashboard's
    # map reads the units' outlines (1, cached with the comparison).
    expected = {
        reverse("dashboard:dashboard"): (44, 4),
        reverse("dashboard:period_report"): (39, 4),
        "/api/v1/summary/": (23, 3),
        "/api/v1/series/": (13, 3),
        "/api/v1/units/": (18, 5),
        # As /units/ plus the outlines of the units' boundaries (not cached).
        "/api/v1/units/geo/": (18, 16),
    }
    assert _counts(client) == expected
    _grow_city(8)
    assert _counts(client) == expected


def _indicator_counts(client) -> tuple[int, int]:
    url = reverse("dashboard:indicator_detail", args=["offenders_handled"])
    return _uncached_and_cached(client, url, PERIOD)


def test_indicator_page_query_counts_are_pinned_and_do_not_grow(client, demo):
    """Uncached (19): session, user, the figures version, the unit asked for with its parents,
    the user's ground over the recorded unit changes, the catalogue, the unit picker (3), the
    scope's succession, its wards and communes (the size check), the indicator's values by unit
    and year, the completeness (5: communes by parent and dates, their campaigns' periods,
    city-indicator years, cities expected by year, reports by year and status), the reporting
    area's name, the bell. Cached (4): session, user, the figures version, the bell."""
    client.force_login(demo["leader"])
    assert _indicator_counts(client) == (19, 4)
    _grow_city(8)
    assert _indicator_counts(client) == (19, 4)


def test_province_scope_compares_its_districts_from_the_aggregates(client, demo):
    province = AdministrativeUnit.objects.create(
        kind="province", code="PX", name="Tỉnh X", slug="tinh-x", valid_from="2008-01-01"
    )
    periods = {p.year: p for p in ReportingPeriod.objects.filter(campaign__city__slug="tp-my-tho")}
    offenders = Indicator.objects.get(code="offenders_handled")
    now = timezone.now()
    for d, per_commune in [(1, 5), (2, 7)]:
        district = UnitFactory(kind="district", parent=province, name=f"Huyện {d}")
        for _ in range(3):
            commune = UnitFactory(kind="commune", parent=district)
            report = UnitReport.objects.create(
                period=periods[2020],
                unit=commune,
                status="approved",
                submitted_at=now,
                first_submitted_at=now,
                approved_at=now,
            )
            ReportValue.objects.create(report=report, indicator=offenders, value=per_commune)
    rebuild()
    client.force_login(demo["admin"])
    response = client.get(
        reverse("dashboard:dashboard"), {"from": "2020", "to": "2020", "unit": "tinh-x"}
    )
    rows = {
        row.unit.name: row.values["offenders_handled"] for row in response.context["comparison"]
    }
    assert rows == {"Huyện 1": 15, "Huyện 2": 21}
    assert response.context["summary"].offenders_handled == 36
    assert response.context["summary"].units_total == 6


def test_as_of_after_the_2025_merger_rolls_units_into_their_successors(client, demo):
    client.force_login(demo["leader"])
    before = client.get("/api/v1/units/", PERIOD).json()
    old = {u["unit"]: u["values"]["offenders_handled"] for u in before["units"]}
    assert len(old) == 17 and sum(old.values()) == 1816
    after = client.get("/api/v1/units/", {**PERIOD, "as_of": "2025-08-01"}).json()
    new = {u["unit"]: u["values"]["offenders_handled"] for u in after["units"]}
    assert new["phuong-my-tho"] == old["phuong-1"] + old["phuong-2"] + old["tan-long"]
    assert new["phuong-thoi-son"] == old["phuong-6"] + old["thoi-son"]
    # Phường 3, 7, 8 were merged away before 2025 into units not recorded: they are left out,
    # and the page says the totals are those of the units that can be followed.
    assert set(new) == {
        "phuong-my-tho",
        "phuong-thoi-son",
        "phuong-dao-thanh",
        "phuong-my-phong",
        "phuong-trung-an",
    }
    assert sum(new.values()) == 1816 - old["phuong-3"] - old["phuong-7"] - old["phuong-8"]
    page = client.get(reverse("dashboard:dashboard"), {**PERIOD, "as_of": "2025-08-01"})
    names = [row.unit.name for row in page.context["comparison"]]
    assert "Phường Mỹ Tho" in names and len(names) == 5
    assert [u.name for u in page.context["unfollowed"]] == ["Phường 3", "Phường 7", "Phường 8"]
    assert "đơn vị kế thừa chưa được ghi nhận" in page.content.decode()


def test_export_query_counts_are_pinned(client, demo):
    """The review's XLSX and CSV run the review page's 39 queries but the bell's and the unit
    picker's 3 (no page is rendered): 35. Cached, the file comes whole from the cache after
    session, user and the figures version (the unit and the ground are cached too): 3."""
    client.force_login(demo["leader"])
    url = reverse("dashboard:period_report")
    measured = {
        params["format"]: _uncached_and_cached(client, url, {**PERIOD, **params})
        for params in ({"format": "xlsx"}, {"format": "csv", "layout": "vi"})
    }
    assert measured == {"xlsx": (35, 3), "csv": (35, 3)}
