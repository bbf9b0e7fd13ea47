"""wards.permissions: each shared question, answered for each persona."""

import pytest

from tests.conftest import ALL_PERSONAS
from tests.factories import UserFactory
from wards import permissions

pytestmark = pytest.mark.django_db

# Who gets True; every other persona of ALL_PERSONAS gets False. The role predicates other
# than can_approve do not look at is_active (a closed account cannot sign in anyway).
TRUE_FOR = {
    permissions.is_signed_in: set(ALL_PERSONAS) - {"anonymous"},
    permissions.works_for_own_unit: {"official_a"},
    permissions.oversees_units_below: {"approver", "leader", "inactive_approver"},
    permissions.acts_on_every_unit: {"admin_user"},
    permissions.sees_city_views: {"approver", "leader", "admin_user", "inactive_approver"},
    permissions.has_approval_duties: {"approver", "admin_user"},
    permissions.can_reopen_years: {"approver", "admin_user"},
}


@pytest.mark.parametrize("persona", ALL_PERSONAS)
@pytest.mark.parametrize("question", list(TRUE_FOR), ids=lambda f: f.__name__)
def test_each_persona_gets_its_answer(request, question, persona):
    user = request.getfixturevalue(persona)
    assert question(user) is (persona in TRUE_FOR[question])


def test_nobody_is_asked_about_a_missing_user():
    assert permissions.is_signed_in(None) is False
    assert permissions.has_approval_duties(None) is False


@pytest.mark.parametrize(
    ("persona", "role"),
    [
        ("official_a", "official"),
        ("approver", "approver"),
        ("leader", "leader"),
        ("admin_user", "admin"),
        ("no_role_user", ""),
        ("anonymous", ""),
    ],
)
def test_role_of_is_the_accounts_own_role(request, persona, role):
    assert permissions.role_of(request.getfixturevalue(persona)) == role


@pytest.mark.parametrize(
    ("persona", "role"),
    [
        ("official_a", "official"),
        ("leader", "leader"),
        ("admin_user", "admin"),
        ("no_role_user", None),
        ("anonymous", None),
    ],
)
def test_the_menu_is_drawn_for_the_accounts_role(request, persona, role):
    assert permissions.menu_role(request.getfixturevalue(persona)) == role


def test_a_superuser_without_a_role_gets_the_administrators_menu(db):
    root = UserFactory(username="root", role="", unit=None, is_superuser=True)
    assert permissions.menu_role(root) == "admin"
    assert permissions.role_of(root) == ""
    assert permissions.acts_on_every_unit(root) is True
