"""campaigns.permissions: who reviews reports, reminds late units, imports for the whole city
and follows the reporting progress, for each persona."""

import pytest

from campaigns import permissions
from tests.conftest import ALL_PERSONAS

pytestmark = pytest.mark.django_db

# Who gets True; every other persona of ALL_PERSONAS gets False. Only can_approve, behind the
# approvers' questions, looks at is_active.
TRUE_FOR = {
    permissions.reports_for_own_unit: {"official_a"},
    permissions.oversees_city_reports: {"approver", "leader", "inactive_approver"},
    permissions.sees_reporting_progress: {"approver", "leader", "admin_user", "inactive_approver"},
    permissions.acts_on_every_unit: {"admin_user"},
    permissions.can_review_reports: {"approver", "admin_user"},
    permissions.can_remind_units: {"approver", "admin_user"},
    permissions.imports_city_wide: {"approver", "admin_user"},
}


@pytest.mark.parametrize("persona", ALL_PERSONAS)
@pytest.mark.parametrize("question", list(TRUE_FOR), ids=lambda f: f.__name__)
def test_each_persona_gets_its_answer(request, question, persona):
    user = request.getfixturevalue(persona)
    assert question(user) is (persona in TRUE_FOR[question])


def test_an_administrator_has_no_unit_of_its_own_to_report_for(admin_user):
    assert permissions.reports_for_own_unit(admin_user) is False
    assert permissions.oversees_city_reports(admin_user) is False
