"""The admin edits the catalogue; reports are read-only there (they change through the workflow)."""

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.checks import Entry

pytestmark = pytest.mark.django_db


def test_admin_lists_the_catalogue_and_shows_reports_read_only(
    login, admin_user, official_a, unit_a, period, catalogue
):
    report = services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries={catalogue["cases"].pk: Entry(3)},
        expected_version=0,
    ).report
    client = login(admin_user)
    for name in [
        "campaigns_indicator_changelist",
        "campaigns_validationrule_changelist",
        "campaigns_validationrule_add",
        "campaigns_campaign_changelist",
        "campaigns_indicatorsection_changelist",
        "campaigns_unitreport_changelist",
    ]:
        assert client.get(reverse(f"admin:{name}")).status_code == 200, name
    page = client.get(reverse("admin:campaigns_unitreport_change", args=[report.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="_save"' not in body  # view only
    assert "criminal_cases" in body or "Phạm pháp hình sự" in body
    assert client.get(reverse("admin:campaigns_unitreport_add")).status_code == 403


def test_official_cannot_open_the_admin(login, official_a):
    assert login(official_a).get(reverse("admin:campaigns_indicator_changelist")).status_code == 403
