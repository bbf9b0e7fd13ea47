"""The counted sites' contributions, tested at their own layer (mutation run of 2026-12-03):
from which year a site counts, when it stops, and how sites of one area add up."""

import datetime

import pytest

from models_registry import counts, services
from tests.factories import UnitFactory
from tests.models_registry.factories import ModelSiteFactory, PreventionModelFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_site_counts_from_the_latest_start_of_itself_its_model_and_its_ward(city):
    late_model = PreventionModelFactory(start_date=D(2019, 5, 1))
    ModelSiteFactory(model=late_model, unit=UnitFactory(parent=city), start_date=D(2016, 1, 1))
    model = PreventionModelFactory(start_date=D(2016, 1, 1))
    new_ward = UnitFactory(parent=city, valid_from=D(2020, 7, 1))
    ModelSiteFactory(model=model, unit=new_ward, start_date=D(2016, 1, 1), cameras=2)
    assert counts.compute_all() == {
        (city.pk, 2019, late_model.pk): (1, 0),
        (city.parent.pk, 2019, late_model.pk): (1, 0),
        (city.pk, 2020, model.pk): (1, 2),
        (city.parent.pk, 2020, model.pk): (1, 2),
    }


def test_a_site_stops_counting_from_the_year_its_model_is_retired(city, unit_a):
    model = PreventionModelFactory(
        start_date=D(2016, 1, 1), status="retired", retired_on=D(2021, 7, 1)
    )
    ModelSiteFactory(model=model, unit=unit_a, start_date=D(2016, 1, 1), cameras=4)
    assert counts.compute_all()[(city.pk, 2021, model.pk)] == (-1, -4)


def test_sites_of_one_area_and_year_add_up(city, unit_a, unit_b):
    model = PreventionModelFactory(start_date=D(2016, 1, 1))
    ModelSiteFactory(model=model, unit=unit_a, start_date=D(2018, 2, 1), cameras=3)
    ModelSiteFactory(model=model, unit=unit_b, start_date=D(2018, 9, 1), cameras=5)
    assert counts.compute_all()[(city.pk, 2018, model.pk)] == (2, 8)


def test_a_site_that_never_counts_does_not_stop_the_next_ones(city, unit_a):
    model = PreventionModelFactory(start_date=D(2016, 1, 1))
    # Before the ward's site, in row order: one on the city itself (not a ward or commune),
    # one retired the year it started (never there on a 31 December).
    ModelSiteFactory(model=model, unit=city, start_date=D(2016, 1, 1))
    ModelSiteFactory(
        model=model,
        unit=unit_a,
        start_date=D(2017, 3, 1),
        status="retired",
        retired_on=D(2017, 9, 1),
    )
    last_ward = UnitFactory(parent=city, name="Xã cuối", display_order=99)  # its site comes last
    ModelSiteFactory(model=model, unit=last_ward, start_date=D(2018, 1, 1), cameras=1)
    assert counts.compute_all() == {
        (city.pk, 2018, model.pk): (1, 1),
        (city.parent.pk, 2018, model.pk): (1, 1),
    }


def test_a_kept_row_of_no_site_but_cameras_moved_is_kept_and_read(approver, city, unit_a, unit_b):
    """One site stops and another starts in the same year: the row's sites are 0, its cameras
    are not, and the stored rows still equal the recomputation."""
    model = PreventionModelFactory(start_date=D(2016, 1, 1))
    leaving = ModelSiteFactory(model=model, unit=unit_a, start_date=D(2017, 1, 1), cameras=12)
    counts.rebuild()
    services.retire_site(user=approver, site=leaving, retired_on=D(2019, 6, 1), reason="Giải thể")
    services.replicate_model(
        user=approver, model=model, unit=unit_b, start_date=D(2019, 3, 1), cameras=3
    )
    assert counts.stored_all()[(city.pk, 2019, model.pk)] == (0, -9)
    assert counts.compute_all() == counts.stored_all()
