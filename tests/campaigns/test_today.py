"""Issue 9 on the demo, with the clock frozen on 2 December 2026: the five wards report to the
provincial police, the old units' years stay approved at the city level, ended units are
offered no new work, and the leader's area reads as one series from 2015 to 2026."""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from campaigns import approvals, selectors, services
from campaigns.checks import Entry
from campaigns.models import Indicator, ReportingPeriod, ReportStatus, UnitReport
from wards.models import AdministrativeUnit, User

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=HCM)
NEW_WARDS = ["phuong-my-tho", "phuong-thoi-son", "phuong-dao-thanh", "phuong-my-phong",
             "phuong-trung-an"]  # fmt: skip


@pytest.fixture(scope="module")
def clock():
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture(scope="module")
def demo_db(clock, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def users(demo_db, db):
    return {u.username: u for u in User.objects.all()}


def _report(year, slug):
    return UnitReport.objects.select_related("period", "unit__parent__parent__parent").get(
        period__year=year, unit__slug=slug
    )


def test_a_2024_report_of_phuong_1_was_approved_at_the_city_level(users):
    report = _report(2024, "phuong-1")
    chain = approvals.chain_of(report)
    assert [s.unit.slug for s in chain] == ["tp-my-tho"]
    assert report.approved_by.username == "approver-tp"


def test_a_2026_report_of_phuong_my_tho_goes_to_the_province(users):
    unit = AdministrativeUnit.objects.select_related("parent").get(slug="phuong-my-tho")
    chain = approvals.chain_for(unit, 2026)
    assert [s.unit.slug for s in chain] == ["dong-thap"]
    assert chain[0].name == "Công an Tỉnh Đồng Tháp"
    assert "Công an tỉnh" in chain[0].level.name


def test_new_ward_submits_and_the_provincial_approver_approves(users, client):
    period = selectors.period_for_unit(AdministrativeUnit.objects.get(slug="phuong-my-tho"), 2026)
    assert period.campaign.city.slug == "dong-thap" and period.due_on == datetime.date(2026, 12, 15)
    unit = AdministrativeUnit.objects.get(slug="phuong-my-tho")
    indicators = selectors.indicators_for(unit, 2026)
    # Last year's approved figures again: no change alert asks for a comment.
    last = selectors.last_year_values(unit, 2026, indicators)
    entries = {i.pk: Entry(last.get(i.pk)) for i in indicators}
    offenders = Indicator.objects.get(code="offenders_handled")
    official = users["phuong-my-tho"]
    client.force_login(official)
    report = services.report_save_and_submit(
        period=period, unit=unit, user=official, entries=entries, expected_version=0
    )
    assert approvals.approvers_for(report) == [users["approver"]]
    client.force_login(users["leader"])
    before = client.get("/api/v1/summary/", {"from": 2026, "to": 2026}).json()
    report = services.report_approve(report=report, user=users["approver"])
    assert report.status == ReportStatus.APPROVED
    after = client.get("/api/v1/summary/", {"from": 2026, "to": 2026}).json()
    assert after["offenders_handled"] == before["offenders_handled"] + int(last[offenders.pk])


def test_the_provincial_approver_can_reopen_an_old_report_with_a_reason(users):
    report = _report(2024, "phuong-1")
    assert approvals.may_reopen(users["approver"], report)
    assert not approvals.may_reopen(users["leader"], report)
    report = services.report_reopen(
        report=report, user=users["approver"], reason="Điều chỉnh số liệu theo kết luận thanh tra."
    )
    assert report.status == ReportStatus.RETURNED
    assert report.transitions.filter(action="reopen", actor=users["approver"]).exists()


def test_the_city_report_2021_was_approved_twice(users):
    report = _report(2021, "tp-my-tho")
    assert report.status == ReportStatus.APPROVED and report.approval_step == 2
    assert [s.unit.slug for s in approvals.chain_of(report)] == ["tp-my-tho", "tien-giang"]


def test_an_ended_unit_is_offered_no_new_work(users, client):
    official = users["phuong-1"]
    client.force_login(official)
    home = client.get(reverse("home"))
    assert home.context["due_items"] == []
    assert client.get(reverse("campaigns:report_entry", args=[2026, "phuong-1"])).status_code == 404
    response = client.post(reverse("campaigns:report_entry", args=[2026, "phuong-1"]), {})
    assert response.status_code == 404
    # Its own years stay readable.
    assert (
        client.get(reverse("campaigns:report_detail", args=[2024, "phuong-1"])).status_code == 200
    )
    # The service refuses whatever the page: the unit does not report in 2026.
    period_2026 = ReportingPeriod.objects.get(year=2026)
    with pytest.raises((services.ReportLocked, PermissionDenied)):
        services.report_save_values(
            period=period_2026,
            unit=AdministrativeUnit.objects.get(slug="phuong-1"),
            user=official,
            entries={},
            expected_version=0,
        )
    expected = {u.slug for u in selectors.expected_units(period_2026)}
    assert expected == set(NEW_WARDS)
    # Phường 3 ended on 30/11/2024, before that year's due date: not expected for 2024.
    period_2024 = ReportingPeriod.objects.get(year=2024)
    assert "phuong-3" not in {u.slug for u in selectors.expected_units(period_2024)}


def test_each_new_ward_official_sees_its_2026_report(users, client):
    for slug in NEW_WARDS:
        client.force_login(users[slug])
        home = client.get(reverse("home"))
        assert [i["url"] for i in home.context["due_items"]][0].startswith(f"/bao-cao/2026/{slug}/")


def test_the_leader_reads_the_area_from_2015_to_2026_as_one_series(users, client):
    client.force_login(users["leader"])
    summary = client.get("/api/v1/summary/", {"from": 2026, "to": 2026}).json()
    assert summary["units_total"] == 5
    seed = client.get("/api/v1/summary/", {"from": 2015, "to": 2020}).json()
    assert (seed["units_total"], seed["units_antt_certified"]) == (17, 17)
    assert (seed["organizations_antt_certified"], seed["wards_civilized_urban"]) == (46, 11)
    assert (seed["communes_new_rural_culture"], seed["prevention_models"]) == (6, 37)
    assert seed["offenders_handled"] == 1816 and isinstance(seed["offenders_handled"], int)
    assert seed["police_university_share"] == 70.5
    series = client.get("/api/v1/series/", {"from": 2015, "to": 2025}).json()
    offenders = next(i for i in series["indicators"] if i["code"] == "offenders_handled")
    assert all(isinstance(offenders["values"][str(y)], int) for y in range(2015, 2026))
    assert all(offenders["values"][str(y)] > 0 for y in range(2015, 2026))
    share = next(i for i in series["indicators"] if i["code"] == "police_university_share")
    assert share["values"]["2020"] == 70.5 and isinstance(share["values"]["2020"], float)


def test_the_dashboard_opens_on_the_present_with_the_five_wards(users, client):
    client.force_login(users["leader"])
    response = client.get(reverse("dashboard:dashboard"))
    query = response.context["query"]
    assert (query.year_from, query.year_to) == (2025, 2026)
    assert query.as_of == datetime.date(2026, 12, 2)
    rows = {row.unit.slug: row for row in response.context["comparison"]}
    assert set(rows) == set(NEW_WARDS)
    assert rows["phuong-my-tho"].folded == ["Phường 1", "Phường 2", "Phường Tân Long"]
    body = response.content.decode()
    assert "Khu vực TP. Mỹ Tho" in body
    assert "gồm Phường 1, Phường 2, Phường Tân Long" in body


def test_the_approver_works_both_structures(users, client):
    client.force_login(users["approver"])
    rows_2026 = client.get(reverse("campaigns:worklist", args=[2026])).context["rows"]
    assert {r.unit.slug for r in rows_2026} == set(NEW_WARDS)
    submitted = [r for r in rows_2026 if r.status == "submitted"]
    assert submitted and all(r.can_decide for r in submitted)
    rows_2024 = client.get(reverse("campaigns:worklist", args=[2024])).context["rows"]
    assert "phuong-1" in {r.unit.slug for r in rows_2024} and len(rows_2024) == 15


def test_the_open_year_comes_from_the_calendar(users):
    with time_machine.travel(datetime.datetime(2027, 1, 2, 8, 0, tzinfo=HCM)):
        out = io.StringIO()
        call_command("open_reporting_year", stdout=out)
        assert "2027 opened, due 15/12/2027" in out.getvalue()
        out = io.StringIO()
        call_command("open_reporting_year", stdout=out)
        assert "already has its period" in out.getvalue()
    periods = ReportingPeriod.objects.filter(year=2027)
    assert [p.campaign.city.slug for p in periods] == ["dong-thap"]


def test_indicator_catalogue_is_shared_across_structures(users):
    # Sanity: the wards of 2026 report the same commune-level indicators as the old units.
    unit = AdministrativeUnit.objects.get(slug="phuong-trung-an")
    codes = {i.code for i in selectors.indicators_for(unit, 2026)}
    assert "offenders_handled" in codes
    assert Indicator.objects.get(code="police_university_share").code not in codes


def test_the_approver_home_offers_no_city_report_for_the_province(users, client):
    client.force_login(users["approver"])
    links = client.get(reverse("home")).context["city_links"]
    titles = " ".join(link["title"] for link in links)
    assert "2026" in titles
    assert not any(link["icon"] == "bi-building" for link in links)


def test_query_counts_do_not_grow_with_the_years(users, client):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["leader"])
    counts = {}
    # The same last year (same "as of", same roll-up; no data in either previous period),
    # eleven years or twelve.
    for years in [("2016", "2026"), ("2015", "2026")]:
        for url in ["/tong-quan/", "/bao-cao-so-ket/", "/api/v1/summary/", "/api/v1/series/"]:
            cache.clear()  # both computed afresh (the catalogue, picker... are cached per version)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, {"from": years[0], "to": years[1]}).status_code == 200
            counts[(url, years)] = len(ctx.captured_queries)
    for url in ["/tong-quan/", "/bao-cao-so-ket/", "/api/v1/summary/", "/api/v1/series/"]:
        assert counts[(url, ("2016", "2026"))] == counts[(url, ("2015", "2026"))], url
