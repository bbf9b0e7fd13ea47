import datetime

import pytest

from campaigns.certifications.models import RuleSet
from campaigns.certifications.seed import seed_rule_sets
from tests.factories import OrganizationFactory, ResidentialAreaFactory

D = datetime.date


@pytest.fixture(autouse=True)
def rule_sets(request):
    """The seeded rule sets. A transactional test (the browser journeys) empties every table,
    rows of data migrations included, so put them back when they are missing."""
    if "db" in request.fixturenames or "transactional_db" in request.fixturenames:
        seed_rule_sets()


@pytest.fixture
def tt23(db):
    return RuleSet.objects.get(code="tt-23-2012-antt")


@pytest.fixture
def tt124(db):
    return RuleSet.objects.get(code="tt-124-2021-antt")


@pytest.fixture
def area_a(unit_a):
    return ResidentialAreaFactory(unit=unit_a, name="Khu phố 1")


@pytest.fixture
def area_b(unit_b):
    return ResidentialAreaFactory(unit=unit_b, name="Khu phố 9")


@pytest.fixture
def school_a(unit_a):
    return OrganizationFactory(
        unit=unit_a, kind="school", school_level="lower_secondary", name="Trường THCS Một"
    )


@pytest.fixture
def primary_school_a(unit_a):
    return OrganizationFactory(
        unit=unit_a, kind="school", school_level="primary", name="Trường Tiểu học Một"
    )


@pytest.fixture
def enterprise_a(unit_a):
    return OrganizationFactory(
        unit=unit_a, kind="enterprise", enterprise_size="medium", name="Công ty Một"
    )
