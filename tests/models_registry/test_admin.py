import pytest
from django.urls import reverse

from tests.models_registry.factories import SiteEvaluationFactory

pytestmark = pytest.mark.django_db


def test_admin_pages_open_for_the_administrator(login, admin_user, site_a):
    evaluation = SiteEvaluationFactory(site=site_a)
    client = login(admin_user)
    for name, obj in (
        ("preventionmodel", site_a.model),
        ("modelsite", site_a),
        ("siteevaluation", evaluation),
    ):
        assert client.get(reverse(f"admin:models_registry_{name}_changelist")).status_code == 200
        change = reverse(f"admin:models_registry_{name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200, name
        assert (
            client.get(reverse(f"admin:models_registry_{name}_history", args=[obj.pk])).status_code
            == 200
        )
