"""The database's summary (national scale) equals the one that follows successions in Python."""

import datetime

import pytest

from models_registry import selectors
from models_registry.models import ModelSite, PreventionModel
from wards.models import AdministrativeUnit

D = datetime.date
pytestmark = pytest.mark.django_db


def _slow(as_of, units):
    snap = selectors.snapshot(as_of, units=units)
    totals = snap.totals()
    return selectors.RegistrySummary(
        as_of=as_of,
        models=selectors.count_models(as_of) if units is None else totals.models,
        sites=totals.sites,
        units_covered=len({u for s in snap.sites for u in s.unit_ids}),
        unit_total=snap.unit_total,
        cameras=totals.cameras,
        funding_state=totals.funding_state,
        funding_socialized=totals.funding_socialized,
    )


@pytest.mark.parametrize("as_of", [D(2016, 6, 30), D(2020, 12, 31), D(2024, 12, 31)])
def test_sql_summary_equals_the_snapshot_when_no_unit_moved(demo, as_of):
    old_units = list(
        AdministrativeUnit.objects.valid_on(as_of).commune_level().values_list("pk", flat=True)
    )
    for units in (None, old_units, old_units[:5]):
        fast = selectors._summary_in_sql(as_of, units)
        assert fast is not None
        assert fast == _slow(as_of, units)
    assert selectors.registry_summary(D(2020, 12, 31)).models == 37


def test_a_site_left_in_a_merged_unit_takes_the_snapshot_path(demo):
    as_of = D(2026, 1, 1)
    # The demo carried every running site over to the five wards on 1/7/2025: plain SQL.
    assert selectors._summary_in_sql(as_of, None) is not None
    # A site still recorded in a unit that ended must be followed to its successor.
    ModelSite.objects.create(
        model=PreventionModel.objects.get(slug="duong-day-nong-tin-bao"),
        unit=AdministrativeUnit.objects.get(slug="phuong-1"),
        start_date=D(2024, 1, 1),
    )
    assert selectors._summary_in_sql(as_of, None) is None
    summary = selectors.registry_summary(as_of)
    assert summary.unit_total == 5  # the five wards of Đồng Tháp
    assert summary.units_covered == 5  # the old unit's site counts in its successor


def test_a_queryset_of_units_is_accepted(demo):
    as_of = D(2020, 12, 31)
    units = AdministrativeUnit.objects.valid_on(as_of).commune_level().values("pk")
    assert selectors.registry_summary(as_of, units=units).unit_total == 17
