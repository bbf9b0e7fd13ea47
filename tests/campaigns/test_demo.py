"""The demo data agrees with the seed article and shows every step of the workflow."""

from collections import Counter

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
    # Phường 3, 7 and 8 still existed then.
    assert (
        UnitReport.objects.filter(unit__slug__in=["phuong-3", "phuong-7", "phuong-8"])
        .approved()
        .count()
        == 18
    )


def test_approved_and_submitted_demo_reports_pass_the_submission_checks(units):
    for report in UnitReport.objects.filter(
        status__in=[ReportStatus.APPROVED, ReportStatus.SUBMITTED]
    ).select_related("unit", "period"):
        blocking = [p for p in selectors.problems_of(report) if p.blocks]
        assert blocking == [], (report, blocking)


def test_2021_is_in_progress_with_mixed_statuses(units):
    statuses = Counter(
        UnitReport.objects.filter(
            period__year=2021, unit__kind__in=["ward", "commune"]
        ).values_list("status", flat=True)
    )
    assert statuses["draft"] and statuses["submitted"] and statuses["returned"]
    assert statuses["approved"]
    assert not UnitReport.objects.filter(period__year=2021, unit__slug="phuong-1").exists()
    period = UnitReport.objects.filter(period__year=2021).first().period
    from django.utils import timezone

    assert period.is_open_on(timezone.localdate())
    returned = UnitReport.objects.get(period__year=2021, unit__slug="phuong-4")
    assert returned.status == "returned" and returned.return_reason
    assert returned.transitions.filter(action="return").exists()


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
    assert Campaign.objects.count() == 1


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
