"""models_registry.permissions: who reads the registry, registers models, adds and retires
sites, proposes and confirms grades, for each persona."""

import datetime

import pytest
from django.utils import timezone

from models_registry import permissions
from tests.conftest import ALL_PERSONAS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

READERS = {"official_a", "approver", "leader", "admin_user"}

# Who gets True; every other persona of ALL_PERSONAS gets False.
TRUE_FOR = {
    permissions.can_read_registry: READERS,
    permissions.can_register_models: {"approver", "admin_user"},
    permissions.can_confirm_grades: {"approver", "admin_user"},
    permissions.can_propose_grades: {"official_a", "admin_user"},
    permissions.manages_own_unit_sites: {"official_a"},
    permissions.sees_registry_overview: {"approver", "leader", "admin_user"},
}


@pytest.mark.parametrize("persona", ALL_PERSONAS)
@pytest.mark.parametrize("question", list(TRUE_FOR), ids=lambda f: f.__name__)
def test_each_persona_gets_its_answer(request, question, persona):
    user = request.getfixturevalue(persona)
    assert question(user) is (persona in TRUE_FOR[question])


def test_an_administrator_without_the_superuser_flag_reads_by_its_role(db):
    admin = UserFactory(username="plain-admin", role="admin", unit=None)
    assert permissions.can_read_registry(admin) is True
    assert permissions.can_register_models(admin) is True


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_a_site_in_unit_a_is_added_by_its_official_the_approver_and_the_admin(
    request, persona, unit_a
):
    user = request.getfixturevalue(persona)
    assert permissions.can_add_site(user, unit_a) is (
        persona in {"official_a", "approver", "admin_user"}
    )


def test_an_official_adds_sites_in_its_own_unit_only(official_a, official_b, unit_a, unit_b):
    assert permissions.can_add_site(official_a, unit_a) is True
    assert permissions.can_add_site(official_a, unit_b) is False
    assert permissions.can_add_site(official_b, unit_a) is False


def test_no_site_is_added_in_the_city_itself(approver, admin_user, city):
    assert permissions.can_add_site(approver, city) is False
    assert permissions.can_add_site(admin_user, city) is False


def test_an_ended_unit_is_in_scope_but_takes_no_new_site(official_a, approver, unit_a):
    unit_a.valid_to = timezone.localdate() - datetime.timedelta(days=1)
    unit_a.save()
    for user in (official_a, approver):
        assert permissions.can_add_site_in_scope(user, unit_a) is True
        assert permissions.can_add_site(user, unit_a) is False


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_a_site_is_retired_by_its_units_official_the_approver_and_the_admin(
    request, persona, site_a
):
    user = request.getfixturevalue(persona)
    assert permissions.can_retire_site(user, site_a) is (
        persona in {"official_a", "approver", "admin_user"}
    )


def test_another_units_official_does_not_retire_the_site(official_b, site_a):
    assert permissions.can_retire_site(official_b, site_a) is False
