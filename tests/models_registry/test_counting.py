"""The one counting rule (issue item 6), on the demo data and on small hand-made cases."""

import datetime

import pytest

from models_registry import selectors, services
from models_registry.models import ModelSite, PreventionModel
from tests.factories import UnitFactory
from tests.models_registry.factories import ModelSiteFactory, PreventionModelFactory
from wards.models import UnitChange

pytestmark = pytest.mark.django_db
D = datetime.date
END_2020 = D(2020, 12, 31)


# --- the seed article's figures on the demo data ------------------------------------------------


def test_demo_data_counts_37_models_on_31_12_2020(demo):
    assert selectors.count_models(END_2020) == 37
    # More are registered: the retired ones are left out by the rule, not by the data.
    assert PreventionModel.objects.count() > 37
    assert (
        PreventionModel.objects.retired_by(END_2020).count() == PreventionModel.objects.count() - 37
    )


def test_demo_camera_an_ninh_has_17_active_sites_in_17_of_17_units(demo):
    camera = PreventionModel.objects.get(name="Camera an ninh")
    assert camera.category == "camera"
    coverage = selectors.model_coverage(camera, END_2020)
    assert coverage.site_count == 17
    assert (coverage.covered, coverage.unit_total) == (17, 17)
    assert coverage.is_complete
    assert ModelSite.objects.active_on(END_2020).filter(model=camera).count() == 17
    totals = selectors.funding_totals(END_2020, models=[camera.pk])
    assert totals.cameras > 17 * 10
    assert totals.funding_socialized > totals.funding_state > 0


def test_demo_2_lien_started_at_tan_my_chanh(demo):
    two = PreventionModel.objects.get(name="2 liên")
    assert two.origin_unit.slug == "tan-my-chanh"
    assert "bảo vệ môi trường" in two.description
    assert two.category == "household_cluster"
    assert selectors.model_coverage(two, END_2020).unit_ids == {two.origin_unit_id}


def test_retiring_a_camera_site_gives_16_of_17(demo, django_user_model):
    camera = PreventionModel.objects.get(slug="camera-an-ninh")
    site = camera.sites.get(unit__slug="phuong-7")
    # The demo stops it on 1/12/2024 (Phường 7 was merged away, no successor recorded) and
    # grades it until then; say instead that it broke down in mid-2020.
    site.evaluations.filter(year__gt=2020).delete()
    ModelSite.objects.filter(pk=site.pk).update(status="active", retired_on=None, retire_reason="")
    site.refresh_from_db()
    approver = django_user_model.objects.get(username="approver")
    services.retire_site(
        user=approver, site=site, retired_on=D(2020, 7, 1), reason="Hư hỏng, chưa thay thế."
    )
    coverage = selectors.model_coverage(camera, END_2020)
    assert (coverage.site_count, coverage.covered, coverage.unit_total) == (16, 16, 17)
    # Before the retirement it still counted; the model itself still counts once.
    assert selectors.model_coverage(camera, D(2020, 6, 30)).covered == 17
    assert selectors.count_models(END_2020) == 37


def test_the_demo_registry_reads_differently_as_of_other_dates(demo):
    # "Tổ xe ôm tự quản" was retired in 2022.
    assert selectors.count_models(D(2022, 12, 31)) == 36
    # End of 2018: two models of 2019 had not started; "Tổ cờ đỏ" (retired 2019) still ran.
    assert selectors.count_models(D(2018, 12, 31)) == 37 - 2 + 1
    # After the 2025 reorganisation the old units are followed into the five new wards.
    later = selectors.model_coverage(
        PreventionModel.objects.get(slug="camera-an-ninh"), D(2026, 1, 1)
    )
    assert (later.covered, later.unit_total) == (5, 5)


# --- the rule, case by case -------------------------------------------------------------------


def test_a_model_counts_once_however_many_sites(unit_a, unit_b, many_units):
    model = PreventionModelFactory(origin_unit=unit_a, start_date=D(2015, 1, 1))
    for unit in [unit_a, unit_b, *many_units]:
        ModelSiteFactory(model=model, unit=unit, start_date=D(2015, 6, 1))
    assert selectors.count_models(END_2020) == 1
    assert selectors.count_models(END_2020, units={unit_a.pk, unit_b.pk}) == 1
    coverage = selectors.model_coverage(model, END_2020)
    assert (coverage.site_count, coverage.covered, coverage.unit_total) == (17, 17, 17)


def test_a_model_counts_from_its_start_until_the_day_before_retirement(unit_a):
    model = PreventionModelFactory(origin_unit=unit_a, start_date=D(2017, 3, 1))
    assert selectors.count_models(D(2017, 2, 28)) == 0
    assert selectors.count_models(D(2017, 3, 1)) == 1
    model.status, model.retired_on = "retired", D(2019, 7, 1)
    model.save()
    assert selectors.count_models(D(2019, 6, 30)) == 1
    assert selectors.count_models(D(2019, 7, 1)) == 0  # retired_on is the first day off


def test_a_site_counts_while_active_and_only_if_its_model_counts(unit_a, unit_b):
    model = PreventionModelFactory(origin_unit=unit_a, start_date=D(2016, 1, 1))
    ModelSiteFactory(model=model, unit=unit_a, start_date=D(2016, 1, 1))
    ModelSiteFactory(model=model, unit=unit_b, start_date=D(2021, 1, 1))  # not yet started
    retired = ModelSiteFactory(
        model=model,
        unit=unit_b,
        start_date=D(2016, 5, 1),
        status="retired",
        retired_on=D(2019, 1, 1),
    )
    assert selectors.model_coverage(model, END_2020).unit_ids == {unit_a.pk}
    assert selectors.model_coverage(model, D(2018, 1, 1)).unit_ids == {unit_a.pk, unit_b.pk}
    assert retired.is_active_on(D(2018, 12, 31)) and not retired.is_active_on(D(2019, 1, 1))
    # A site whose model was retired does not count even if the site itself was left active.
    model.status, model.retired_on = "retired", D(2020, 1, 1)
    model.save()
    assert selectors.model_coverage(model, END_2020).site_count == 0


def test_count_models_for_a_set_of_units_needs_a_counted_site_there(unit_a, unit_b):
    here = PreventionModelFactory(origin_unit=unit_a)
    ModelSiteFactory(model=here, unit=unit_a)
    there = PreventionModelFactory(origin_unit=unit_b)
    ModelSiteFactory(model=there, unit=unit_b)
    assert selectors.count_models(END_2020) == 2
    assert selectors.count_models(END_2020, units={unit_a.pk}) == 1
    assert selectors.count_models(END_2020, units=set()) == 0
    summary = selectors.registry_summary(END_2020, units={unit_a.pk})
    assert (summary.models, summary.sites, summary.units_covered, summary.unit_total) == (
        1,
        1,
        1,
        1,
    )


def test_merged_units_are_counted_as_their_successor(city):
    old_1 = UnitFactory(parent=city, valid_to=D(2025, 6, 30))
    old_2 = UnitFactory(parent=city, valid_to=D(2025, 6, 30))
    gone = UnitFactory(parent=city, valid_to=D(2024, 11, 30))  # no recorded successor
    new = UnitFactory(parent=city, valid_from=D(2025, 7, 1))
    change = UnitChange.objects.create(kind="merge", effective_date=D(2025, 7, 1))
    change.predecessors.set([old_1, old_2])
    change.successors.set([new])
    model = PreventionModelFactory(origin_unit=old_1, start_date=D(2016, 1, 1))
    for unit in (old_1, old_2, gone):
        ModelSiteFactory(model=model, unit=unit, start_date=D(2016, 1, 1), cameras=10)
    before = selectors.model_coverage(model, END_2020)
    assert (before.site_count, before.covered, before.unit_total) == (3, 3, 3)
    after = selectors.model_coverage(model, D(2026, 1, 1))
    assert (after.site_count, after.unit_ids, after.unit_total) == (2, {new.pk}, 1)
    rows = dict(selectors.camera_totals_by_unit(D(2026, 1, 1)))
    assert rows[new].cameras == 20
    assert selectors.count_models(D(2026, 1, 1), units={new.pk}) == 1


def test_camera_and_funding_totals_per_unit(unit_a, unit_b):
    camera = PreventionModelFactory(category="camera", origin_unit=unit_a)
    ModelSiteFactory(
        model=camera,
        unit=unit_a,
        cameras=24,
        funding_state=10_000_000,
        funding_socialized=84_000_000,
    )
    ModelSiteFactory(model=camera, unit=unit_b, cameras=6, funding_socialized=21_000_000)
    other = PreventionModelFactory(origin_unit=unit_b)
    ModelSiteFactory(model=other, unit=unit_b, funding_state=5_000_000)
    rows = {unit.slug: totals for unit, totals in selectors.camera_totals_by_unit(END_2020)}
    assert (rows["phuong-1"].cameras, rows["phuong-1"].camera_sites) == (24, 1)
    assert (rows["phuong-2"].cameras, rows["phuong-2"].models) == (6, 2)
    totals = selectors.funding_totals(END_2020)
    assert (totals.funding_state, totals.funding_socialized) == (15_000_000, 105_000_000)
    assert totals.funding_total == 120_000_000
    assert selectors.funding_totals(END_2020, units={unit_b.pk}).funding_socialized == 21_000_000


def test_dashboard_selectors_run_in_constant_queries(
    unit_a, unit_b, many_units, django_assert_max_num_queries
):
    units = [unit_a, unit_b, *many_units]

    def measure() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            selectors.registry_summary(END_2020, units={u.pk for u in units})
            selectors.count_models(END_2020, units={u.pk for u in units})
            selectors.camera_totals_by_unit(END_2020)
        return len(ctx)

    model = PreventionModelFactory(origin_unit=unit_a)
    ModelSiteFactory(model=model, unit=unit_a)
    few = measure()
    for i in range(12):
        model = PreventionModelFactory(origin_unit=unit_a)
        for unit in units[: 3 + i]:
            ModelSiteFactory(model=model, unit=unit, cameras=i)
    assert measure() == few
    with django_assert_max_num_queries(4):
        selectors.registry_summary(END_2020)


def test_registry_years_default_to_the_latest_year_with_data(unit_a):
    today = D(2026, 11, 29)
    assert selectors.registry_years(today).default == 2026  # nothing registered yet
    model = PreventionModelFactory(origin_unit=unit_a, start_date=D(2014, 5, 1))
    site = ModelSiteFactory(model=model, unit=unit_a, start_date=D(2014, 5, 1))
    site.evaluations.create(
        year=2020, grade="good", status="confirmed", confirmed_at="2020-12-20T09:00Z"
    )
    years = selectors.registry_years(today)
    assert (years.first, years.default, years.last) == (2014, 2020, 2026)
    assert selectors.as_of_for_year(2020, today) == END_2020
    assert selectors.as_of_for_year(2026, today) == today
