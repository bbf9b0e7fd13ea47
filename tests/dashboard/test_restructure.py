"""The kept counts follow an edit of the units' structure in the admin (issue 13): a ward moved
to another city, a ward ended in mid-year, a kind changed. After each edit all four kept tables
equal a fresh recomputation, as ``rebuild_aggregates --check`` would find them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from campaigns.dashboard import restructure
from campaigns.dashboard.management.commands.rebuild_aggregates import KEPT
from campaigns.models import AggregateBasis, Indicator, IndicatorAggregate
from wards.models import AdministrativeUnit


def _assert_all_kept_exact():
    for name, (compute, stored) in KEPT.items():
        fresh, kept = compute(), stored()
        differing = {k for k in fresh.keys() | kept.keys() if fresh.get(k) != kept.get(k)}
        assert not differing, f"{len(differing)} {name} rows differ, e.g. {sorted(differing)[:3]}"


def _save_in_admin(unit, admin_user):
    request = RequestFactory().post("/")
    request.user = admin_user
    admin.site._registry[AdministrativeUnit].save_model(request, unit, form=None, change=True)


def _offenders(area, year) -> Decimal:
    row = IndicatorAggregate.objects.filter(
        area=area,
        year=year,
        indicator=Indicator.objects.get(code="offenders_handled"),
        basis=AggregateBasis.APPROVED,
    ).first()
    return row.total if row else Decimal(0)


def _new_city(parent, slug="tp-thu") -> AdministrativeUnit:
    return AdministrativeUnit.objects.create(
        kind="city", name="TP. Thử", slug=slug, code=slug.upper(), parent=parent,
        valid_from=datetime.date(2008, 1, 1),
    )  # fmt: skip


def test_a_ward_moved_to_another_city_takes_its_figures_along(demo):
    _assert_all_kept_exact()
    ward = AdministrativeUnit.objects.get(slug="phuong-1")
    old_city, province = ward.parent, ward.parent.parent
    ward_2020 = _offenders_of_ward(ward, 2020)
    city_before = _offenders(old_city, 2020)
    new_city = _new_city(province)

    ward.parent = new_city
    _save_in_admin(ward, demo["admin"])

    assert ward_2020 > 0
    assert _offenders(new_city, 2020) == ward_2020
    assert _offenders(old_city, 2020) == city_before - ward_2020
    _assert_all_kept_exact()


def _offenders_of_ward(ward, year) -> Decimal:
    from campaigns.models import ReportValue

    value = ReportValue.objects.get(
        report__unit=ward,
        report__period__year=year,
        report__status="approved",
        indicator__code="offenders_handled",
    ).value
    return value


def test_a_ward_moved_to_another_province_is_exact_in_every_kept_table(demo):
    """Today's ward of Đồng Tháp with this year's dossiers and model sites, moved under a city of
    another province: titles and sites move with it (the country's totals do not change)."""
    ward = AdministrativeUnit.objects.get(slug="phuong-my-tho")
    other_province = AdministrativeUnit.objects.create(
        kind="province", name="Tỉnh Thử", slug="tinh-thu", code="PT",
        parent=ward.parent.parent, valid_from=datetime.date(2008, 1, 1),
    )  # fmt: skip
    ward.parent = _new_city(other_province)
    _save_in_admin(ward, demo["admin"])
    _assert_all_kept_exact()


@pytest.mark.parametrize("valid_to", [datetime.date(2026, 6, 30), datetime.date(2020, 12, 31)])
def test_a_ward_ended_in_the_admin_stops_counting_its_titles_and_sites(demo, valid_to):
    ward = AdministrativeUnit.objects.get(slug="phuong-my-tho")
    ward.valid_to = valid_to
    ward.valid_from = min(ward.valid_from, valid_to)
    _save_in_admin(ward, demo["admin"])
    _assert_all_kept_exact()


def test_a_ward_made_a_district_counts_as_an_area_of_its_own(demo):
    ward = AdministrativeUnit.objects.get(slug="phuong-2")
    ward.kind = "district"
    _save_in_admin(ward, demo["admin"])
    _assert_all_kept_exact()


def test_an_edit_that_moves_nothing_reads_nothing_of_the_counts(demo):
    """A name or an order changed: one query to see that the structure did not change."""
    ward = AdministrativeUnit.objects.get(slug="phuong-1")
    ward.name = "Phường Một"
    assert not restructure.changes_structure(ward)
    ward.parent_id = AdministrativeUnit.objects.get(slug="tien-giang").pk
    assert restructure.changes_structure(ward)
    assert not restructure.changes_structure(AdministrativeUnit(name="mới"))


def test_moving_a_ward_costs_its_own_rows_not_the_citys(demo):
    """The queries of the move do not depend on how many other wards the city has: the
    subtree's reports, dossiers and sites are read, and the counts written, once each."""
    ward = AdministrativeUnit.objects.get(slug="phuong-1")
    new_city = _new_city(ward.parent.parent)
    ward.parent = new_city
    with CaptureQueriesContext(connection) as ctx:
        with restructure.counts_follow(ward):
            ward.save()
    # Before: the subtree, its counted reports (with their units' parents), its dossiers and
    # its sites, the titles' keys (2) and the sites' contributions (1): 7. The save and its
    # history row: 2. Out of the old areas: the values (1), the update (1), the maxima that may
    # have dropped (4: one per old area and basis that held one) and their write (1), the
    # report counts (1): 8, and on PostgreSQL the rows' locks first (1). Into the new ones:
    # the reports (1), values (1), upsert (1), report counts (1): 4. Titles after (2) and their
    # two writes (2); sites after (1) and their write (1): 6. None of it grows with the number
    # of the city's other wards.
    assert len(ctx.captured_queries) == (28 if connection.vendor == "postgresql" else 27)
    _assert_all_kept_exact()
