"""campaigns.dashboard.permissions: whose figures each persona may see, and the viewer key
of the cached pieces that depend on it."""

import pytest

from campaigns.dashboard import permissions
from tests.conftest import ALL_PERSONAS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_unit_as_figures_are_seen_by_its_official_the_city_roles_and_the_admin(
    request, persona, unit_a
):
    user = request.getfixturevalue(persona)
    assert permissions.can_see_figures_of(user, unit_a) is (
        persona in {"official_a", "approver", "leader", "admin_user"}
    )


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_the_citys_figures_are_seen_by_the_city_roles_and_the_admin(request, persona, city):
    user = request.getfixturevalue(persona)
    assert permissions.can_see_figures_of(user, city) is (
        persona in {"approver", "leader", "admin_user"}
    )


def test_an_official_does_not_see_another_units_figures(official_b, unit_a):
    assert permissions.can_see_figures_of(official_b, unit_a) is False


def test_the_scope_to_pick_is_what_the_user_sees(
    official_a, approver, province, city, unit_a, unit_b
):
    assert set(permissions.scope_units(official_a)) == {unit_a}
    assert set(permissions.scope_units(approver)) == {city, unit_a, unit_b}


def test_users_who_see_the_same_units_share_a_viewer_key(unit_a, official_a, approver, leader):
    colleague = UserFactory(username="official-a2", role="official", unit=unit_a)
    assert permissions.viewer_key(colleague) == permissions.viewer_key(official_a)
    keys = {permissions.viewer_key(u) for u in (official_a, approver, leader)}
    assert len(keys) == 3


def test_the_superuser_flag_is_part_of_the_viewer_key(admin_user):
    plain_admin = UserFactory(username="plain-admin", role="admin", unit=None)
    assert permissions.viewer_key(plain_admin) != permissions.viewer_key(admin_user)
