"""The national generator: its aggregates equal a recomputation, and its communes' reports go
through the workflow (the benchmark times them in bench/bench_workflow.py)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from campaigns import services
from campaigns.aggregates import compute_all, stored_all
from campaigns.checks import Entry
from campaigns.demo import _load_catalogue
from campaigns.models import (
    Indicator,
    ReportingPeriod,
    ReportValue,
    UnitReport,
    ValidationRule,
)
from wards.models import AdministrativeUnit, User

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="generate_national writes with PostgreSQL's COPY (CI runs this on PostgreSQL)",
    ),
    pytest.mark.django_db,
]


def test_small_country_has_exact_aggregates_and_workable_communes():
    _load_catalogue()
    year = timezone.localdate().year
    call_command(
        "generate_national",
        communes=63 * 6,
        years=2,
        organizations=63,
        sites=63,
        stdout=io.StringIO(),
    )
    assert compute_all() == stored_all()

    city = AdministrativeUnit.objects.get(code="NAT-P01-D01")
    assert city.kind == "city"
    communes = list(AdministrativeUnit.objects.filter(parent=city).order_by("pk"))
    assert len(communes) == 2
    period = ReportingPeriod.objects.for_unit(communes[0]).get(year=year)
    assert period.is_open_on(timezone.localdate())
    assert not UnitReport.objects.filter(period=period).exists()
    # The generated values keep the "≤" rules (a report copying them can be submitted).
    for rule in ValidationRule.objects.filter(operator="lte", left__reporter="commune_level"):
        left = dict(rule.left.values.values_list("report_id", "value"))
        right = dict(rule.right.values.values_list("report_id", "value"))
        assert all(value <= right[r] for r, value in left.items() if r in right), rule.code

    official = User.objects.create_user("nat-official", role="official", unit=communes[0])
    approver = User.objects.create_user("nat-approver", role="approver", unit=city)
    # Last year's approved figures again: no big change to explain, the rules hold.
    last_year = dict(
        ReportValue.objects.filter(
            report__unit=communes[0], report__period__year=year - 1, report__status="approved"
        ).values_list("indicator_id", "value")
    )
    indicators = Indicator.objects.valid_in(year).reported_by("commune_level")
    assert set(last_year) == {i.pk for i in indicators}
    entries = {i.pk: Entry(last_year[i.pk]) for i in indicators}
    saved = services.report_save_values(
        period=period, unit=communes[0], user=official, entries=entries, expected_version=0
    ).report
    report = services.report_submit(report=saved, user=official, expected_version=saved.version)
    services.report_approve(report=report, user=approver)
    assert compute_all() == stored_all()
