"""The reference data is kept in the admin: every page of the app's models opens."""

import datetime

import pytest
from django.urls import reverse

from campaigns.certifications import services
from campaigns.certifications.models import RuleSet

pytestmark = pytest.mark.django_db

MODELS = [
    "ruleset",
    "criterion",
    "classificationthreshold",
    "dossier",
    "movementclassification",
    "person",
    "award",
    "festivalday",
    "incident",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_add_pages_open(login, admin_user, model, official_a, area_a):
    services.dossier_create(
        user=official_a,
        holder=area_a,
        kind="antt_safe",
        year=2021,
        registered_on=datetime.date(2021, 1, 5),
    )
    client = login(admin_user)
    assert client.get(reverse(f"admin:certifications_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:certifications_{model}_add")).status_code == 200


def test_rule_set_page_shows_its_criteria_exclusions_and_holder_kinds(login, admin_user, tt124):
    page = login(admin_user).get(reverse("admin:certifications_ruleset_change", args=[tt124.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Thông tư 124/2021/TT-BCA không xét danh hiệu" in text
    assert 'name="holder_kinds" value="school"' in text and "checked" in text


def test_officials_are_kept_out_of_the_admin(login, official_a):
    response = login(official_a).get(reverse("admin:certifications_ruleset_changelist"))
    assert response.status_code in (302, 403)
    assert RuleSet.objects.count() == 6
