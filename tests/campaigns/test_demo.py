"""The demo data agrees with the seed article and shows every step of the workflow."""

import pytest
from django.urls import reverse

from campaigns import demo, selectors
from campaigns.models import Campaign, Indicator, IndicatorSection, ReportStatus, UnitReport
from wards import demo as wards_demo

pytestmark = pytest.mark.django_db

REQUIRED_CODES = {
    "offenders_handled",
    "criminal_cases",
    "criminal_cases_solved",
    "social_evil_hotspots_dismantled",
    "tip_offs",
    "tip_offs_valuable",
    "traffic_accidents",
    "traffic_deaths",
    "traffic_injuries",
    "police_university_share",
}


@pytest.fixture
def units():
    units, _accounts = wards_demo.load()
    summary = demo.load(units)
    assert "1816" in summary
    return units


def _city_total(units, code, year):
    indicator = Indicator.objects.get(code=code)
    ward_ids = [units[slug].pk for slug in demo.UNIT_SLUGS]
    values = selectors.approved_values(unit_ids=ward_ids, indicator_ids=[indicator.pk], year=year)
    return sum(values.values())


def test_catalogue_has_the_six_sections_and_the_codes_the_dashboard_reads(units):
    assert IndicatorSection.objects.count() == 6
    assert Indicator.objects.count() >= 25
    assert REQUIRED_CODES <= set(Indicator.objects.values_list("code", flat=True))
    share = Indicator.objects.get(code="police_university_share")
    assert (share.reporter, share.value_type) == ("city", "percentage")


def test_offenders_handled_2015_2020_total_exactly_1816(units):
    total = sum(_city_total(units, "offenders_handled", year) for year in demo.APPROVED_YEARS)
    assert total == 1816


def test_crimes_against_social_order_fall_every_year(units):
    totals = [_city_total(units, "criminal_cases", year) for year in demo.APPROVED_YEARS]
    assert all(later < earlier for earlier, later in zip(totals, totals[1:], strict=False))


def test_hotspots_of_social_evils_dismantled_every_year(units):
    for year in demo.APPROVED_YEARS:
        assert _city_total(units, "social_evil_hotspots_dismantled", year) > 0


def test_over_70_percent_of_city_police_hold_a_degree_in_2020(units):
    city = units["tp-my-tho"]
    share = Indicator.objects.get(code="police_university_share")
    values = selectors.approved_values(unit_ids=[city.pk], indicator_ids=[share.pk], year=2020)
    assert values[(city.pk, share.pk)] > 70


def test_all_17_units_and_the_city_have_approved_reports_2015_2020(units):
    for year in demo.APPROVED_YEARS:
        reports = UnitReport.objects.filter(period__year=year)
        assert reports.filter(status=ReportStatus.APPROVED).count() == 18
    # Phường 3, 7 and 8 still existed then, and until 2023; they ended before 15/12/2024.
    assert (
        UnitReport.objects.filter(unit__slug__in=["phuong-3", "phuong-7", "phuong-8"])
        .approved()
        .count()
        == 3 * 9
    )


def test_each_year_is_reported_by_the_units_of_its_due_date(units):
    def reporters(year):
        return set(
            UnitReport.objects.filter(period__year=year).values_list("unit__slug", flat=True)
        )

    assert len(reporters(2023)) == 18
    assert reporters(2024) == set(demo.UNIT_SLUGS) - {"phuong-3", "phuong-7", "phuong-8"} | {
        "tp-my-tho"
    }
    new_wards = {slug for slug, *_ in wards_demo.NEW_WARDS}
    assert reporters(2025) == new_wards
    assert UnitReport.objects.filter(period__year=2025, status="approved").count() == 5
    # 2025 belongs to the province's campaign, approved by the provincial police.
    report = UnitReport.objects.select_related("approved_by__unit").get(
        period__year=2025, unit__slug="phuong-my-tho"
    )
    assert report.period.campaign.city.slug == "dong-thap"
    assert report.approved_by.unit.slug == "dong-thap"
    # Each new ward covers its predecessors' ground: Phường Mỹ Tho = P1 + P2 + Tân Long.
    offenders = Indicator.objects.get(code="offenders_handled")
    shares = demo.unit_figures(
        2025, [s for s in demo.UNIT_SLUGS if s not in {"phuong-3", "phuong-7", "phuong-8"}]
    )
    assert report.values.get(indicator=offenders).value == sum(
        shares[s]["offenders_handled"] for s in ["phuong-1", "phuong-2", "tan-long"]
    )


def test_approved_and_submitted_demo_reports_pass_the_submission_checks(units):
    for report in UnitReport.objects.filter(
        status__in=[ReportStatus.APPROVED, ReportStatus.SUBMITTED]
    ).select_related("unit", "period"):
        blocking = [p for p in selectors.problems_of(report) if p.blocks]
        assert blocking == [], (report, blocking)


def test_the_current_year_is_open_with_mixed_statuses(units):
    from django.utils import timezone

    year = timezone.localdate().year
    statuses = dict(
        UnitReport.objects.filter(period__year=year).values_list("unit__slug", "status")
    )
    assert statuses == {
        "phuong-thoi-son": "draft",
        "phuong-dao-thanh": "submitted",
        "phuong-my-phong": "returned",
        "phuong-trung-an": "approved",
    }
    period = UnitReport.objects.filter(period__year=year).first().period
    assert (period.due_on.day, period.due_on.month) == (15, 12)
    assert period.is_open_on(timezone.localdate())
    returned = UnitReport.objects.get(period__year=year, unit__slug="phuong-my-phong")
    assert returned.return_reason and returned.transitions.filter(action="return").exists()
    # No period of the old city is open any more: nothing invites its units to new work.
    assert not any(
        p.is_open_on(timezone.localdate())
        for p in Campaign.objects.get(slug=demo.CAMPAIGN_SLUG).periods.all()
    )


def test_loading_twice_gives_the_same_data(units):
    before = (
        UnitReport.objects.count(),
        sorted(UnitReport.objects.values_list("unit__slug", "period__year", "status")),
    )
    demo.load(units)
    after = (
        UnitReport.objects.count(),
        sorted(UnitReport.objects.values_list("unit__slug", "period__year", "status")),
    )
    assert before == after
    assert sum(_city_total(units, "offenders_handled", y) for y in demo.APPROVED_YEARS) == 1816
    assert Campaign.objects.count() == 2


def test_demo_figures_are_labelled_as_demonstration_data(units, client):
    from wards.models import User

    client.force_login(
        User.objects.get(username="phuong-2"), backend="django.contrib.auth.backends.ModelBackend"
    )
    body = client.get(reverse("campaigns:report_detail", args=[2020, "phuong-2"])).content.decode()
    assert "Dữ liệu minh họa" in body


def test_apportion_keeps_the_total_and_the_caps():
    parts = demo.apportion(10, [1.0, 1.0, 1.0], caps=[2, 5, 5])
    assert sum(parts) == 10 and parts[0] <= 2
    assert demo.apportion(0, [1.0, 2.0]) == [0, 0]
    with pytest.raises(ValueError):
        demo.apportion(10, [1.0, 1.0], caps=[1, 1])
