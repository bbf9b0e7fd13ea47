"""The kept aggregates' write side, tested at its own layer (mutation run of 2026-12-03): which
areas a report feeds, and the maximum and rows after a value leaves a basis."""

from decimal import Decimal

import pytest

from campaigns import services
from campaigns.aggregates import apply_status_changes, areas_of_units, compute_all, stored_all
from campaigns.checks import Entry
from campaigns.models import IndicatorAggregate, ReportValue, UnitReport
from tests.factories import UnitFactory, UserFactory
from wards.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def _submit(period, unit, user, catalogue, offenders):
    """A report of ``unit`` submitted, with ``offenders`` and fixed other values."""
    fixed = {"cases": 10, "solved": 5, "accidents": 3, "deaths": 1, "fines": 12}
    entries = {catalogue[code].pk: Entry(Decimal(v)) for code, v in fixed.items()}
    entries[catalogue["offenders"].pk] = Entry(Decimal(offenders))
    report = services.report_save_values(
        period=period, unit=unit, user=user, entries=entries, expected_version=0
    ).report
    return services.report_submit(report=report, user=user, expected_version=report.version)


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
