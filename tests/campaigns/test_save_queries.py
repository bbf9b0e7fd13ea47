"""Saving, submitting and approving a report cost a fixed, small number of queries.

Transactional tests: the services' atomic blocks are real transactions here, as in production,
so the counts hold BEGIN and COMMIT (Django logs them) instead of savepoints. Issue 13 asked
for at most 15 queries per save (44 before): a draft save runs 12 besides BEGIN and COMMIT. A
status change costs more: issue 11's notifications, created inside the transaction, add two to a
submission (who approves its step; an insert when someone does) and two to an approval (the
unit's officials, the insert); and every status change bumps the figures version that the cached
pages key on (wards.figures), one query; and the reports counted per area and year (the
dashboard's completeness, campaigns.aggregates), one upsert.
"""

import pytest
from django.urls import reverse

from campaigns.models import IndicatorAggregate, UnitReport
from tests.campaigns.helpers import entry_url, form_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _figures_counter():
    """The figures version's one row, as the migration leaves it: a transactional test's flush
    empties the table, and wards.figures.bump() would then spend a query re-creating it."""
    from wards.models import FiguresVersion

    FiguresVersion.objects.get_or_create(pk=1)


BEFORE_SERVICES = [
    "session",
    "user",
    "unit, visible to the user, with its parents (the scope is decided on them)",
    "period of the unit's campaign",
    "indicators of the form",
    "last year's approved values",
    "active rules",
]


def test_first_save_and_submit_runs_nineteen_queries_and_its_transaction(
    login, official_a, unit_a, period, catalogue, django_assert_num_queries
):
    client = login(official_a)
    queries = [
        *BEFORE_SERVICES,
        "BEGIN",
        "report, locked (none yet)",
        "INSERT the draft report (ON CONFLICT DO NOTHING)",
        "report, locked",
        "values upsert",
        "audit insert",
        "report update (version and status)",
        "aggregates upsert",
        "report counts upsert",
        "transition insert",
        "approval levels of the year (who is told of the submission)",
        "approvers of its step (none here, so no notification insert)",
        "figures version bump (one row's UPDATE, last: it locks the row until COMMIT)",
        "COMMIT",
        # The message names who reviews it: the steps read for the notification above.
    ]
    data = form_data(catalogue, action="submit", cases="10", solved="8", offenders="90")
    with django_assert_num_queries(len(queries)):
        response = client.post(entry_url(unit_a, period.year), data)
    assert response.status_code == 302
    report = UnitReport.objects.get()
    assert (report.status, report.version) == ("submitted", 2)
    assert (
        IndicatorAggregate.objects.get(
            area=unit_a.parent, indicator=catalogue["offenders"], basis="submitted"
        ).total
        == 90
    )


def test_save_of_a_draft_runs_twelve_queries_and_its_transaction(
    login, official_a, unit_a, period, catalogue, django_assert_num_queries
):
    client = login(official_a)
    client.post(entry_url(unit_a, period.year), form_data(catalogue, cases="5"))
    queries = [
        *BEFORE_SERVICES,
        "BEGIN",
        "report, locked",
        "its stored values",
        "values upsert",
        "audit insert",
        "report version update",
        "COMMIT",
    ]
    data = form_data(catalogue, version=1, cases="6", offenders="7")
    with django_assert_num_queries(len(queries)):
        response = client.post(entry_url(unit_a, period.year), data)
    assert response.status_code == 302
    report = UnitReport.objects.get()
    assert report.version == 2
    assert {v.indicator.code: v.value for v in report.values.all()} == {
        "criminal_cases": 6,
        "offenders_handled": 7,
    }


def test_save_and_submit_of_a_draft_runs_eighteen_queries_and_its_transaction(
    login, official_a, unit_a, period, catalogue, django_assert_num_queries
):
    client = login(official_a)
    client.post(entry_url(unit_a, period.year), form_data(catalogue, cases="5"))
    queries = [
        *BEFORE_SERVICES,
        "BEGIN",
        "report, locked",
        "its stored values",
        "values upsert",
        "audit insert",
        "report update (version and status)",
        "aggregates upsert",
        "report counts upsert",
        "transition insert",
        "approval levels of the year (who is told of the submission)",
        "approvers of its step (none here, so no notification insert)",
        "figures version bump (one row's UPDATE, last: it locks the row until COMMIT)",
        "COMMIT",
        # The message names who reviews it: the steps read for the notification above.
    ]
    data = form_data(catalogue, version=1, action="submit", cases="6", offenders="7")
    with django_assert_num_queries(len(queries)):
        response = client.post(entry_url(unit_a, period.year), data)
    assert response.status_code == 302
    assert UnitReport.objects.get().status == "submitted"


def test_approval_runs_fourteen_queries_and_its_transaction(
    login, official_a, approver, unit_a, period, catalogue, django_assert_num_queries
):
    login(official_a).post(
        entry_url(unit_a, period.year),
        form_data(catalogue, action="submit", cases="10", solved="8", offenders="90"),
    )
    report = UnitReport.objects.get()
    client = login(approver)
    queries = [
        "session",
        "user",
        "units that succeeded the approver's (the scope follows unit changes)",
        "report, visible to the approver, with its period and unit's parents",
        "BEGIN",
        "report, locked",
        "approval levels of the year",
        "report update",
        "its values",
        "aggregates upsert",
        "report counts upsert",
        "transition insert",
        "the unit's officials (told of the approval)",
        "notification insert",
        "figures version bump (one row's UPDATE, last: it locks the row until COMMIT)",
        "COMMIT",
    ]
    url = reverse("campaigns:report_approve", args=[period.year, unit_a.slug])
    with django_assert_num_queries(len(queries)):
        response = client.post(url, {"version": report.version})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "approved"
    assert (
        IndicatorAggregate.objects.get(
            area=unit_a.parent, indicator=catalogue["offenders"], basis="approved"
        ).total
        == 90
    )
