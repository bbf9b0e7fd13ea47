"""No lost updates: a save that starts from an old version is refused and says what changed."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from campaigns import services
from campaigns.checks import Entry
from campaigns.models import UnitReport, ValueChange
from tests.campaigns.helpers import entry_url, form_data
from tests.factories import UserFactory


@pytest.fixture
def colleague(unit_a):
    """A second official of the same unit."""
    return UserFactory(username="official-a2", role="official", unit=unit_a, first_name="Lan")


def _entries(catalogue, **values):
    return {catalogue[k].pk: Entry(Decimal(v)) for k, v in values.items()}


@pytest.mark.django_db
def test_second_save_from_the_same_version_is_refused_and_first_is_intact(
    official_a, colleague, unit_a, period, catalogue
):
    base = services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries=_entries(catalogue, cases="5"),
        expected_version=0,
    ).report
    assert base.version == 1
    # Both open the form at version 1. The first save wins…
    services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries=_entries(catalogue, cases="6", offenders="20"),
        expected_version=1,
    )
    # …the second, started from version 1 as well, is refused with what changed meanwhile.
    with pytest.raises(services.ConcurrentEdit) as refused:
        services.report_save_values(
            period=period,
            unit=unit_a,
            user=colleague,
            entries=_entries(catalogue, cases="9", offenders="20"),
            expected_version=1,
        )
    conflicts = {c.indicator.code: c for c in refused.value.conflicts}
    assert set(conflicts) == {"criminal_cases", "offenders_handled"}
    assert (conflicts["criminal_cases"].their_value, conflicts["criminal_cases"].your_value) == (
        6,
        9,
    )
    assert conflicts["criminal_cases"].differs
    assert not conflicts["offenders_handled"].differs  # same figure typed by both
    assert conflicts["criminal_cases"].changed_by == official_a
    assert refused.value.current_version == 2

    report = UnitReport.objects.get()
    assert report.version == 2
    assert report.values.get(indicator=catalogue["cases"]).value == 6
    assert not ValueChange.objects.filter(changed_by=colleague).exists()


@pytest.mark.django_db
def test_the_page_shows_their_value_and_yours_and_keeps_what_was_typed(
    login, official_a, colleague, unit_a, period, catalogue
):
    first = login(official_a)
    first.post(entry_url(unit_a, period.year), form_data(catalogue, cases="5"))
    first.post(entry_url(unit_a, period.year), form_data(catalogue, version=1, cases="6"))

    second = login(colleague)
    response = second.post(
        entry_url(unit_a, period.year), form_data(catalogue, version=1, cases="9")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Người khác đã lưu báo cáo này" in body
    conflicts = response.context["conflicts"]
    assert [(c.indicator.code, c.their_value, c.your_value) for c in conflicts] == [
        ("criminal_cases", 6, 9)
    ]
    assert 'id="conflicts"' in body
    # The colleague's figure stays in the form, now carrying the current version…
    assert 'name="v_criminal_cases" value="9"' in body
    assert response.context["form"]["version"].value() == 2
    assert UnitReport.objects.get().values.get(indicator=catalogue["cases"]).value == 6
    # …so that saving again, knowingly, replaces it.
    second.post(entry_url(unit_a, period.year), form_data(catalogue, version=2, cases="9"))
    assert UnitReport.objects.get().values.get(indicator=catalogue["cases"]).value == 9


@pytest.mark.django_db
def test_two_first_saves_of_a_new_report(official_a, colleague, unit_a, period, catalogue):
    services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries=_entries(catalogue, cases="1"),
        expected_version=0,
    )
    with pytest.raises(services.ConcurrentEdit):
        services.report_save_values(
            period=period,
            unit=unit_a,
            user=colleague,
            entries=_entries(catalogue, cases="2"),
            expected_version=0,
        )
    assert UnitReport.objects.get().values.get().value == 1


@pytest.mark.django_db
def test_approval_of_a_version_not_seen_is_refused(approver, official_a, unit_a, period, catalogue):
    report = services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries=_entries(catalogue, cases="1"),
        expected_version=0,
    ).report
    report = services.report_submit(report=report, user=official_a)
    with pytest.raises(services.ConcurrentEdit):
        services.report_approve(report=report, user=approver, expected_version=report.version - 1)
    report.refresh_from_db()
    assert report.status == "submitted"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real row locks need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_on_postgresql_one_wins(
    official_a, colleague, unit_a, period, catalogue
):
    services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries=_entries(catalogue, cases="1"),
        expected_version=0,
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user, value):
        try:
            barrier.wait()
            services.report_save_values(
                period=period,
                unit=unit_a,
                user=user,
                entries=_entries(catalogue, cases=value),
                expected_version=1,
            )
            outcomes.append("saved")
        except services.ConcurrentEdit:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(official_a, "7")),
        threading.Thread(target=save, args=(colleague, "8")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"]
    report = UnitReport.objects.get()
    assert report.version == 2
    assert report.values.get().value in (7, 8)
    assert ValueChange.objects.filter(version=2).count() == 1
