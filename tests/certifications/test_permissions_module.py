"""campaigns.certifications.permissions: who prepares, decides, approves scoring sheets,
manages awards and sees the city summary, for each persona."""

import pytest

from campaigns.certifications import permissions
from tests.conftest import ALL_PERSONAS

pytestmark = pytest.mark.django_db

# Who gets True; every other persona of ALL_PERSONAS gets False. Leaders read only.
TRUE_FOR = {
    permissions.can_prepare_dossiers: {"official_a", "approver", "admin_user", "inactive_approver"},
    permissions.prepares_for_own_unit: {"official_a"},
    permissions.prepares_for_any_unit: {"admin_user"},
    permissions.can_open_scoring_sheets: {"official_a", "admin_user"},
    permissions.can_decide_dossiers: {"approver", "admin_user"},
    permissions.can_approve_classifications: {"approver", "admin_user"},
    permissions.can_manage_awards: {"approver", "admin_user"},
    permissions.sees_city_summary: {"approver", "leader", "inactive_approver"},
}


@pytest.mark.parametrize("persona", ALL_PERSONAS)
@pytest.mark.parametrize("question", list(TRUE_FOR), ids=lambda f: f.__name__)
def test_each_persona_gets_its_answer(request, question, persona):
    user = request.getfixturevalue(persona)
    assert question(user) is (persona in TRUE_FOR[question])
