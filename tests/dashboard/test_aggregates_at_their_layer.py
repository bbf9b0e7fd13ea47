"""The kept aggregates' write side, tested at its own layer (mutation run of 2026-12-03): which
areas a report feeds, and the maximum and rows after a value leaves a basis."""

from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns import services
from campaigns.aggregates import (
    apply_status_changes,
    areas_of_units,
    compute_all,
    compute_report_counts,
    rebuild,
    rebuild_report_counts,
    stored_all,
    stored_report_counts,
)
from campaigns.checks import Entry
from campaigns.models import IndicatorAggregate, ReportCount, ReportValue, UnitReport
from tests.campaigns.factories import ReportFactory, add_values
from tests.campaigns.helpers import submit_values
from tests.factories import UnitFactory, UserFactory
from wards.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def _submit(period, unit, user, catalogue, offenders):
    """A report of ``unit`` submitted, with ``offenders`` and fixed other values."""
    fixed = {"cases": 10, "solved": 5, "accidents": 3, "deaths": 1, "fines": 12}
    return submit_values(period, unit, user, catalogue, **fixed, offenders=offenders)


def test_a_ward_feeds_its_ancestors_and_a_city_also_itself(province, city, unit_a):
    loaded = AdministrativeUnit.objects.select_related("parent__parent__parent")
    expected = {unit_a.pk: [city.pk, province.pk], city.pk: [city.pk, province.pk]}
    assert areas_of_units(loaded.filter(pk__in=[unit_a.pk, city.pk])) == expected
    assert areas_of_units([loaded.get(pk=province.pk)]) == {province.pk: [province.pk]}


def test_areas_of_units_read_without_their_parents_cost_one_query_for_all(
    province, city, unit_a, unit_b, django_assert_num_queries
):
    units = list(AdministrativeUnit.objects.filter(pk__in=[unit_a.pk, unit_b.pk, city.pk]))
    with django_assert_num_queries(1):
        areas = areas_of_units(units)
    assert areas == {
        unit_a.pk: [city.pk, province.pk],
        unit_b.pk: [city.pk, province.pk],
        city.pk: [city.pk, province.pk],
    }


def test_areas_of_units_loaded_with_their_parents_cost_no_query(
    province, city, unit_a, django_assert_num_queries
):
    units = list(AdministrativeUnit.objects.select_related("parent__parent__parent"))
    with django_assert_num_queries(0):
        areas = areas_of_units(units)
    assert areas[unit_a.pk] == [city.pk, province.pk]
    assert areas[province.pk] == [province.pk]


def test_a_returned_value_that_held_the_maximum_gives_it_back_to_the_next_largest(
    period, catalogue, city, unit_a, unit_b, official_a, official_b, approver
):
    offenders = catalogue["offenders"]
    report_a = _submit(period, unit_a, official_a, catalogue, 40)
    report_b = _submit(period, unit_b, official_b, catalogue, 25)
    row = IndicatorAggregate.objects.get(area=city, indicator=offenders, basis="submitted")
    assert (row.total, row.value_count, row.maximum) == (65, 2, 40)

    services.report_return(report=report_a, user=approver, reason="Thiếu số liệu")
    row.refresh_from_db()
    assert (row.total, row.value_count, row.maximum) == (25, 1, 25)
    assert compute_all() == stored_all()

    services.report_return(report=report_b, user=approver, reason="Thiếu số liệu")
    assert not IndicatorAggregate.objects.filter(indicator=offenders).exists()
    assert compute_all() == stored_all() == {}


def test_a_returned_value_below_the_maximum_leaves_the_maximum(
    period, catalogue, city, unit_a, unit_b, official_a, official_b, approver
):
    offenders = catalogue["offenders"]
    _submit(period, unit_a, official_a, catalogue, 40)
    report_b = _submit(period, unit_b, official_b, catalogue, 25)
    services.report_return(report=report_b, user=approver, reason="Thiếu số liệu")
    row = IndicatorAggregate.objects.get(area=city, indicator=offenders, basis="submitted")
    assert (row.total, row.value_count, row.maximum) == (40, 1, 40)
    assert IndicatorAggregate.objects.filter(area=city.parent, indicator=offenders).count() == 1


def _take_back(*reports):
    """Reports set back to draft, as a status change hands them to the aggregates."""
    for report in reports:
        report.status = "draft"
        UnitReport.objects.filter(pk=report.pk).update(status="draft")
    return [(report, "submitted") for report in reports]


def test_two_values_leaving_one_row_together_recompute_its_maximum_from_the_largest(
    period, catalogue, city, unit_a, unit_b, official_a, official_b, approver
):
    unit_c = UnitFactory(parent=city)
    official_c = UserFactory(role="official", unit=unit_c)
    report_a = _submit(period, unit_a, official_a, catalogue, 40)
    report_b = _submit(period, unit_b, official_b, catalogue, 25)
    _submit(period, unit_c, official_c, catalogue, 10)
    apply_status_changes(_take_back(report_a, report_b))
    row = IndicatorAggregate.objects.get(
        area=city, indicator=catalogue["offenders"], basis="submitted"
    )
    assert (row.total, row.value_count, row.maximum) == (10, 1, 10)
    assert compute_all() == stored_all()


def test_a_report_entering_a_basis_adds_only_the_values_it_has(
    period, catalogue, city, unit_a, official_a
):
    fixed = {code: 5 for code in ["cases", "solved", "accidents", "deaths", "fines"]}
    entries = {catalogue[code].pk: Entry(Decimal(v)) for code, v in fixed.items()}
    entries[catalogue["offenders"].pk] = Entry(Decimal(40))
    report = services.report_save_values(
        period=period, unit=unit_a, user=official_a, entries=entries, expected_version=0
    ).report
    ReportValue.objects.filter(report=report, indicator=catalogue["deaths"]).update(value=None)
    report.status = "submitted"
    apply_status_changes([(report, "draft")])
    assert not IndicatorAggregate.objects.filter(indicator=catalogue["deaths"]).exists()
    row = IndicatorAggregate.objects.get(
        area=city, indicator=catalogue["offenders"], basis="submitted"
    )
    assert (row.total, row.value_count) == (40, 1)


def test_status_changes_with_their_values_in_hand_do_not_read_them(
    period, catalogue, unit_a, official_a, django_assert_num_queries
):
    report = _submit(period, unit_a, official_a, catalogue, 40)
    values = dict(report.values.values_list("indicator_id", "value"))
    (change,) = _take_back(report)
    # The update of the rows the values leave, the delete of emptied rows and the report
    # counts (on PostgreSQL the rows' locks first): none of them reads the values.
    from django.db import connection

    expected = 4 if connection.vendor == "postgresql" else 3
    with django_assert_num_queries(expected):
        apply_status_changes([change], values={report.pk: values})


def test_a_row_emptied_by_a_return_is_deleted_and_only_it(
    period, catalogue, city, unit_a, unit_b, official_a, official_b
):
    """Report B alone has a value of deaths: taking B out empties that row of the city and the
    province, and leaves the rows that report A still feeds."""
    report_a = _submit(period, unit_a, official_a, catalogue, 40)
    ReportValue.objects.filter(report=report_a, indicator=catalogue["deaths"]).update(value=None)
    report_b = _submit(period, unit_b, official_b, catalogue, 25)
    IndicatorAggregate.objects.all().delete()
    apply_status_changes([(report_a, "draft"), (report_b, "draft")])
    apply_status_changes(_take_back(report_b))
    assert not IndicatorAggregate.objects.filter(indicator=catalogue["deaths"]).exists()
    row = IndicatorAggregate.objects.get(
        area=city, indicator=catalogue["offenders"], basis="submitted"
    )
    assert (row.total, row.value_count, row.maximum) == (40, 1, 40)
    assert compute_all() == stored_all()


def _stored(period, unit, status, values=None):
    """A report written directly in ``status`` (the aggregates are not told)."""
    now = timezone.now()
    sent = status in ("submitted", "approved")
    report = ReportFactory(
        period=period,
        unit=unit,
        status=status,
        submitted_at=now if sent else None,
        first_submitted_at=now if sent else None,
        approved_at=now if status == "approved" else None,
    )
    add_values(report, values or {})
    return report


def _values_of(report, catalogue):
    return dict(ReportValue.objects.filter(report=report).values_list("indicator_id", "value"))


@pytest.mark.parametrize("read_first", ["larger", "smaller"])
def test_two_values_leaving_one_row_keep_the_larger_as_the_removed_maximum(
    period, catalogue, city, unit_a, unit_b, official_a, official_b, read_first
):
    """Whichever of the two leaving values is read last, the row's maximum (held by the larger)
    is recomputed: the values in hand fix the order the deltas are added in."""
    unit_c = UnitFactory(parent=city)
    official_c = UserFactory(role="official", unit=unit_c)
    report_a = _submit(period, unit_a, official_a, catalogue, 40)
    report_b = _submit(period, unit_b, official_b, catalogue, 25)
    _submit(period, unit_c, official_c, catalogue, 10)
    leaving = [report_a, report_b] if read_first == "larger" else [report_b, report_a]
    values = {report.pk: _values_of(report, catalogue) for report in leaving}
    apply_status_changes(_take_back(*leaving), values=values)
    row = IndicatorAggregate.objects.get(
        area=city, indicator=catalogue["offenders"], basis="submitted"
    )
    assert (row.total, row.value_count, row.maximum) == (10, 1, 10)
    assert compute_all() == stored_all()


def test_a_return_recomputes_the_maximum_of_its_own_city_only(
    period, catalogue, province, city, unit_a, unit_b, official_a, official_b, approver
):
    """Two cities of one province: a return in the first recomputes the first city's maximum
    from its own wards (not the other city's larger value) and leaves the other rows alone."""
    other_city = UnitFactory(kind="city", parent=province)
    other_ward = UnitFactory(kind="ward", parent=other_city)
    other_report = _stored(period, other_ward, "submitted", {catalogue["offenders"]: 60})
    apply_status_changes([(other_report, "draft")])
    report_a = _submit(period, unit_a, official_a, catalogue, 40)
    _submit(period, unit_b, official_b, catalogue, 25)

    services.report_return(report=report_a, user=approver, reason="Thiếu số liệu")
    rows = {
        row.area_id: (row.total, row.value_count, row.maximum)
        for row in IndicatorAggregate.objects.filter(
            indicator=catalogue["offenders"], basis="submitted"
        )
    }
    assert rows == {
        city.pk: (25, 1, 25),
        other_city.pk: (60, 1, 60),
        province.pk: (85, 2, 60),
    }
    assert compute_all() == stored_all()


def _reports_of_a_city_and_its_wards(period, catalogue, city, unit_a, unit_b, city_offenders):
    """The city's own approved report and its wards' (approved 40, submitted 25); report A
    has no value of deaths (a blank is not a value)."""
    offenders, deaths = catalogue["offenders"], catalogue["deaths"]
    _stored(period, city, "approved", {offenders: city_offenders})
    _stored(period, unit_a, "approved", {offenders: 40, deaths: None})
    _stored(period, unit_b, "submitted", {offenders: 25, deaths: 2})
    _stored(period, UnitFactory(parent=city), "draft")


@pytest.mark.parametrize("city_offenders", [50, 30])
def test_compute_all_merges_the_citys_own_report_with_its_wards_reports(
    period, catalogue, province, city, unit_a, unit_b, city_offenders
):
    """An area gets values through two levels when the city reports too: its own report at
    the first, its wards' at the second. Sums, counts and the maximum merge, whichever level
    holds the largest value (the city's 50, or ward A's 40 when the city has 30)."""
    _reports_of_a_city_and_its_wards(period, catalogue, city, unit_a, unit_b, city_offenders)
    offenders, deaths, year = catalogue["offenders"].pk, catalogue["deaths"].pk, period.year
    top = Decimal(max(city_offenders, 40))
    approved = (Decimal(city_offenders + 40), 2, top)
    submitted = (Decimal(city_offenders + 65), 3, top)
    two_deaths = (Decimal(2), 1, Decimal(2))
    assert compute_all() == {
        (city.pk, year, offenders, "approved"): approved,
        (city.pk, year, offenders, "submitted"): submitted,
        (province.pk, year, offenders, "approved"): approved,
        (province.pk, year, offenders, "submitted"): submitted,
        (city.pk, year, deaths, "submitted"): two_deaths,
        (province.pk, year, deaths, "submitted"): two_deaths,
    }


def test_report_counts_from_scratch_count_the_citys_own_report_in_its_own_area(
    period, catalogue, province, city, unit_a, unit_b, django_assert_num_queries
):
    _reports_of_a_city_and_its_wards(period, catalogue, city, unit_a, unit_b, 50)
    year = period.year
    expected = {}
    for area in (city.pk, province.pk):
        expected[(area, year, "approved", True)] = 1
        expected[(area, year, "submitted", True)] = 1
        expected[(area, year, "approved", False)] = 1
        expected[(area, year, "submitted", False)] = 2
    # The units with their three parents' ids, and the reports grouped by unit, year and status.
    with django_assert_num_queries(2):
        assert compute_report_counts() == expected

    ReportCount.objects.create(
        area=unit_a, year=year, basis="approved", city_level=False, reports=7
    )
    assert rebuild_report_counts() == len(expected)
    assert stored_report_counts() == expected
    assert not ReportCount.objects.filter(area=unit_a).exists()


def test_rebuild_replaces_every_aggregate_and_count_with_a_fresh_recomputation(
    period, catalogue, province, city, unit_a, unit_b
):
    _reports_of_a_city_and_its_wards(period, catalogue, city, unit_a, unit_b, 50)
    IndicatorAggregate.objects.create(
        area=unit_a,
        year=period.year,
        indicator=catalogue["cases"],
        basis="approved",
        total=99,
        value_count=9,
        maximum=99,
    )
    fresh = compute_all()
    assert rebuild() == len(fresh) == 6
    assert stored_all() == fresh
    assert stored_report_counts() == compute_report_counts()


def test_a_value_leaving_below_every_maximum_recomputes_nothing(
    period, catalogue, city, unit_a, unit_b, django_assert_num_queries
):
    """The maxima stay when every leaving value is below them: no recomputation, on SQLite as on
    PostgreSQL (the leaving values are compared as numbers, not as the text SQLite binds)."""
    cases, offenders = catalogue["cases"], catalogue["offenders"]
    report_a = _stored(period, unit_a, "submitted", {cases: 10, offenders: 40})
    report_b = _stored(period, unit_b, "submitted", {cases: 3, offenders: 25})
    apply_status_changes([(report_a, "draft"), (report_b, "draft")])
    (change,) = _take_back(report_b)
    from django.db import connection

    # B's values; the update of the rows they leave (on PostgreSQL their locks first); the
    # report counts. No delete (no row is emptied), no maximum recomputed.
    expected = 4 if connection.vendor == "postgresql" else 3
    with django_assert_num_queries(expected):
        apply_status_changes([change])
    rows = {
        row.indicator_id: (row.total, row.value_count, row.maximum)
        for row in IndicatorAggregate.objects.filter(area=city, basis="submitted")
    }
    assert rows == {cases.pk: (10, 1, 10), offenders.pk: (40, 1, 40)}
    assert compute_all() == stored_all()
