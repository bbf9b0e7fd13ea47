import datetime

import pytest

from models_registry import demo as registry_demo
from tests.factories import UnitFactory
from tests.models_registry.factories import ModelSiteFactory, PreventionModelFactory
from wards import demo as wards_demo

D = datetime.date


@pytest.fixture
def demo(db):
    """The demonstration units, accounts and registry, as ``make run`` loads them.

    The registry's own loader, not the whole ``load_demo`` command, so that these tests do not
    depend on the other apps' demo data (``test_demo`` runs the command once).
    """
    units, _accounts = wards_demo.load()
    registry_demo.load(units)


@pytest.fixture
def model(unit_a):
    """A model started in unit A, with its first site there."""
    model = PreventionModelFactory(
        name="Tổ tự quản thử", slug="to-tu-quan-thu", origin_unit=unit_a, start_date=D(2016, 1, 1)
    )
    ModelSiteFactory(model=model, unit=unit_a, start_date=D(2016, 1, 1))
    return model


@pytest.fixture
def site_a(model, unit_a):
    return model.sites.get(unit=unit_a)


@pytest.fixture
def site_b(model, unit_b):
    return ModelSiteFactory(model=model, unit=unit_b, start_date=D(2017, 3, 1), cameras=12)


@pytest.fixture
def many_units(city):
    """Fifteen more wards of the test city (with unit A and B: seventeen)."""
    return [UnitFactory(parent=city, name=f"Xã thử {i}", display_order=10 + i) for i in range(15)]
