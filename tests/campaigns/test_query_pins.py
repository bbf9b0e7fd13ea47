"""Exact query counts of the pages people open most, each query named (healthchecks style).

An added query fails the build; a removed one too, so the list stays true. The counts do not
grow with data: the "does not grow" tests beside each page (test_entry, test_worklist,
test_workflow, dashboard/test_views) add units, indicators and history and compare.
Dashboard, period review and API are pinned in tests/dashboard/test_views.py.
"""

import pytest
from django.urls import reverse

from tests.campaigns.helpers import detail_url, entry_url, form_data

pytestmark = pytest.mark.django_db

SIGNED_IN = ["session", "user"]
BELL = ["unread notifications (the bell)"]
CITY_SCOPE = [
    "the user's unit",
    "the user's ground over the recorded unit changes",
    "campaigns of the ground",
    "their periods, with campaign and organiser",
]
REGISTRY_CARD_CITY = [
    "registry years: first site",
    "registry years: last graded year",
    "grades waiting for confirmation, with site, unit and model",
    "count of those",
    "models running today",
]


def _pinned(client, url, queries, django_assert_num_queries):
    client.get(url)  # warm what is loaded once per process (content types, translations)
    with django_assert_num_queries(len(queries)):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.fixture
def drafted(login, official_a, unit_a, period, catalogue, last_year_report):
    """Phường 1 has saved a draft of this year (last year approved)."""
    client = login(official_a)
    client.post(entry_url(unit_a, period.year), form_data(catalogue, cases="1"))
    return client


def test_home_of_an_official(drafted, django_assert_num_queries):
    queries = [
        *SIGNED_IN,
        "the unit with its parent",
        "its residential areas (count)",
        "its active organisations (count)",
        "open periods of the unit's campaign",
        "the unit's report of the open period",
        "the report's unit (reports in on the due date)",
        *BELL,
        "dossiers to prepare",
        "the unit if it reports this year",
        "ANTT dossiers of the year",
        "the official's assigned residential areas",
        "residential areas of the unit valid today",
        "the unit's model sites with their grade of this year",
        "its grades waiting for confirmation",
    ]
    _pinned(drafted, "/", queries, django_assert_num_queries)


def test_home_of_an_approver(drafted, login, approver, django_assert_num_queries):
    queries = [
        *SIGNED_IN,
        *CITY_SCOPE,
        "wards and communes of the ground at the year's end (count)",
        "reports by status (worklist link)",
        "city-level indicators of the year",
        "the city's own report",
        *BELL,
        "dossiers waiting for a decision",
        "dossiers by status",
        "units of the ground",
        "decided dossiers by unit",
        *REGISTRY_CARD_CITY,
    ]
    _pinned(login(approver), "/", queries, django_assert_num_queries)


def test_home_of_a_leader(drafted, login, leader, django_assert_num_queries):
    queries = [
        *SIGNED_IN,
        *CITY_SCOPE,
        "wards and communes of the ground at the year's end (count)",
        *BELL,
        "units of the ground",
        "decided dossiers by unit",
        *REGISTRY_CARD_CITY,
    ]
    _pinned(login(leader), "/", queries, django_assert_num_queries)


def test_entry_page(drafted, unit_a, period, django_assert_num_queries):
    queries = [
        *SIGNED_IN,
        "the unit with its parents (the scope is decided on them)",
        "the period of the unit's campaign",
        "the report",
        "its values",
        "indicators of the form",
        "last year's approved values",
        "active rules",
        "the approver's remarks on single figures",
        "the unit (the page's heading)",
        *BELL,
    ]
    _pinned(drafted, entry_url(unit_a, period.year), queries, django_assert_num_queries)


def test_worklist(drafted, login, approver, period, django_assert_num_queries):
    queries = [
        *SIGNED_IN,
        "the user's unit",
        "the user's ground over the recorded unit changes",
        "campaigns of the ground",
        "their periods, with campaign and organiser",
        "the units expected, with their parents",
        "does the organiser report city-level indicators",
        "reports of the year, with submitter and approver",
        "indicators of the year",
        "values of the listed reports",
        "last year's approved values",
        "active rules",
        "approval levels of the year",
        *BELL,
    ]
    url = reverse("campaigns:worklist", args=[period.year])
    _pinned(login(approver), url, queries, django_assert_num_queries)


def test_report_page(drafted, login, approver, unit_a, period, django_assert_num_queries):
    queries = [
        *SIGNED_IN,
        "the user's ground over the recorded unit changes",
        "the unit with its parents",
        "the period of the unit's campaign",
        "the report",
        "indicators of the form",
        "its values",
        "last year's approved values",
        "active rules",
        "approval levels of the year",
        "status changes (history)",
        "value changes (history)",
        "the approver's remarks",
        *BELL,
    ]
    _pinned(login(approver), detail_url(unit_a, period.year), queries, django_assert_num_queries)


def test_report_list_of_an_official(drafted, django_assert_num_queries):
    queries = [
        *SIGNED_IN,
        "the user's unit",
        "campaigns of the unit's city (or its own)",
        "their periods, with campaign and organiser",
        "the unit's reports of those periods",
        *BELL,
    ]
    _pinned(drafted, reverse("campaigns:report_list"), queries, django_assert_num_queries)


def test_completeness_page_of_a_leader(drafted, login, leader, period, django_assert_num_queries):
    queries = [
        *SIGNED_IN,
        *CITY_SCOPE,
        "the units expected that year, with their parents",
        "whether the year has a city-level indicator",
        "the period's reports, with who submitted and approved them",
        *BELL,
    ]
    url = reverse("campaigns:completeness", args=[period.year])
    _pinned(login(leader), url, queries, django_assert_num_queries)
