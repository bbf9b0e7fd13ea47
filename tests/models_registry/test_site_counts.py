"""The kept site counts follow every write of the registry, and give the dashboard the same
models, sites and cameras as counting the sites."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory

from models_registry import counts, services
from models_registry.models import ModelSite
from models_registry.selectors import kept_registry_totals, registry_summary

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(model, site_a, site_b):
    """The fixtures' sites are made by factories: the counts start from a rebuild."""
    counts.rebuild()
    return model


def _totals(area, year):
    return counts.totals(area_id=area.pk, year=year)


def _exact():
    return counts.compute_all() == counts.stored_all()


def test_sites_count_from_their_first_year_in_every_area_above(kept, city):
    # Site A from 2016; site B (12 cameras) from March 2017.
    assert _totals(city, 2015) == (0, 0, 0)
    assert _totals(city, 2016) == (1, 1, 0)
    assert _totals(city, 2017) == (1, 2, 12)
    assert _totals(city, 2030) == (1, 2, 12)  # a later year needs no row of its own
    assert _totals(city.parent, 2017) == (1, 2, 12)


def test_a_replication_adds_a_site_from_its_year(kept, approver, city, many_units):
    services.replicate_model(
        user=approver, model=kept, unit=many_units[0], start_date=D(2019, 12, 31), cameras=3
    )
    assert (_totals(city, 2018), _totals(city, 2019)) == ((1, 2, 12), (1, 3, 15))
    assert _exact()


def test_a_site_retired_counts_until_the_year_before(kept, approver, site_b, city):
    services.retire_site(user=approver, site=site_b, retired_on=D(2020, 1, 1), reason="Giải thể")
    # Retired on 1/1/2020: it ran on 31/12/2019, not on 31/12/2020.
    assert (_totals(city, 2019), _totals(city, 2020)) == ((1, 2, 12), (1, 1, 0))
    assert _exact()


def test_a_corrected_site_moves_its_cameras_and_start(kept, official_b, site_b, city):
    services.update_site(user=official_b, site=site_b, cameras=20, start_date=D(2018, 5, 1))
    assert (_totals(city, 2017), _totals(city, 2018)) == ((1, 1, 0), (1, 2, 20))
    assert _exact()


def test_a_retired_model_takes_all_its_sites_out(kept, approver, city):
    services.retire_model(user=approver, model=kept, retired_on=D(2021, 7, 1), reason="Hết")
    assert (_totals(city, 2020), _totals(city, 2021)) == ((1, 2, 12), (0, 0, 0))
    assert _exact()


def test_an_admin_edit_or_deletion_moves_the_counts(kept, admin_user, site_b, city):
    model_admin = admin.site._registry[ModelSite]
    request = RequestFactory().post("/")
    request.user = admin_user
    site_b.cameras = 5
    model_admin.save_model(request, site_b, form=None, change=True)
    assert _totals(city, 2017) == (1, 2, 5)
    model_admin.delete_model(request, site_b)
    assert _totals(city, 2017) == (1, 1, 0)
    assert _exact()


def test_a_ward_gone_before_the_years_end_does_not_count_that_year(kept, unit_b, city):
    unit_b.valid_to = D(2019, 6, 30)
    unit_b.save()
    # A structure edit outside the admin (a plain save) is followed by rebuild_aggregates
    # (README); the admin's is kept at once (tests/dashboard/test_restructure.py).
    assert not _exact()
    counts.rebuild()
    assert (_totals(city, 2018), _totals(city, 2019)) == ((1, 2, 12), (1, 1, 0))
    unit_b.valid_to = D(2019, 12, 31)  # its last day is 31/12: it still counts in 2019
    unit_b.save()
    counts.rebuild()
    assert (_totals(city, 2019), _totals(city, 2020)) == ((1, 2, 12), (1, 1, 0))


@pytest.mark.parametrize("year", [2015, 2016, 2017, 2020])
def test_kept_totals_equal_the_sites_counted(kept, city, unit_a, unit_b, year):
    counted = registry_summary(D(year, 12, 31), units=[unit_a.pk, unit_b.pk])
    assert kept_registry_totals(area_id=city.pk, year=year) == (
        counted.models,
        counted.sites,
        counted.cameras,
    )
