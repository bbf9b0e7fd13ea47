"""The approver's worklist, bulk approval, completeness and the home page links."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import selectors, services
from campaigns.models import ReportStatus, UnitReport
from tests.campaigns.factories import (
    IndicatorFactory,
    SectionFactory,
)
from tests.campaigns.helpers import submit_values
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _submit(period, unit, catalogue, user=None, **values):
    user = user or UserFactory(role="official", unit=unit)
    return submit_values(period, unit, user, catalogue, **values)


def test_worklist_lists_every_expected_unit_with_status_and_warnings(
    login, approver, official_a, unit_a, unit_b, city, period, catalogue
):
    clean = _submit(period, unit_a, catalogue, official_a, cases="3")
    warned = _submit(period, unit_b, catalogue, cases="2", accidents="1", deaths="2")
    response = login(approver).get(reverse("campaigns:worklist", args=[period.year]))
    assert response.status_code == 200
    rows = {row.unit.slug: row for row in response.context["rows"]}
    # Both wards and the city's own report (a city-level indicator exists).
    assert set(rows) == {unit_a.slug, unit_b.slug, city.slug}
    assert rows[unit_a.slug].is_clean
    assert not rows[unit_b.slug].is_clean and len(rows[unit_b.slug].warnings) == 1
    assert rows[city.slug].report is None
    body = response.content.decode()
    assert f'value="{clean.pk}:{clean.version}"' in body
    assert f'value="{warned.pk}:' not in body
    assert "1 cảnh báo" in body
    assert "Chưa bắt đầu" in body


def test_bulk_approve_approves_clean_reports_and_skips_the_others(
    login, approver, official_a, unit_a, unit_b, period, catalogue
):
    clean = _submit(period, unit_a, catalogue, official_a, cases="3")
    warned = _submit(period, unit_b, catalogue, cases="2", accidents="1", deaths="2")
    response = login(approver).post(
        reverse("campaigns:bulk_approve", args=[period.year]),
        {"report": [f"{clean.pk}:{clean.version}", f"{warned.pk}:{warned.version}"]},
        follow=True,
    )
    clean.refresh_from_db()
    warned.refresh_from_db()
    assert clean.status == ReportStatus.APPROVED and clean.approved_by == approver
    assert warned.status == ReportStatus.SUBMITTED
    body = response.content.decode()
    assert "Đã duyệt 1 báo cáo: Phường 1." in body
    assert "Chưa duyệt: Phường 2 — có cảnh báo" in body
    assert clean.transitions.filter(action="approve", actor=approver).exists()


def test_bulk_approve_skips_a_report_changed_since_the_list_was_shown(
    login, approver, official_a, unit_a, period, catalogue
):
    report = _submit(period, unit_a, catalogue, official_a, cases="3")
    login(approver).post(
        reverse("campaigns:bulk_approve", args=[period.year]),
        {"report": [f"{report.pk}:{report.version - 1}"]},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_bulk_approve_ignores_reports_of_other_cities(
    login, approver, official_a, unit_a, period, catalogue
):
    # The same period, so that only the approver's scope (not a period filter) keeps it out.
    other_city = UnitFactory(kind="city", slug="tp-khac")
    outsider_unit = UnitFactory(parent=other_city, name="Phường Ngoài")
    outsider = UnitReport.objects.create(
        period=period,
        unit=outsider_unit,
        status=ReportStatus.SUBMITTED,
        version=2,
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
        submitted_by=UserFactory(role="official", unit=outsider_unit),
    )
    mine = _submit(period, unit_a, catalogue, official_a, cases="3")
    response = login(approver).post(
        reverse("campaigns:bulk_approve", args=[period.year]),
        {"report": [f"{outsider.pk}:{outsider.version}", f"{mine.pk}:{mine.version}"]},
        follow=True,
    )
    outsider.refresh_from_db()
    assert outsider.status == ReportStatus.SUBMITTED
    mine.refresh_from_db()
    assert mine.status == ReportStatus.APPROVED
    # Not even named among the skipped: the approver does not see that unit.
    assert "Phường Ngoài" not in response.content.decode()


def _many_units(city, period, catalogue, count):
    for n in range(count):
        unit = UnitFactory(parent=city, name=f"Xã {n:02d}")
        _submit(period, unit, catalogue, cases=str(n + 1), accidents="2", deaths="1")


def test_worklist_query_count_does_not_grow_with_units_or_indicators(
    login, approver, city, period, catalogue, django_assert_max_num_queries
):
    client = login(approver)
    _many_units(city, period, catalogue, 2)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("campaigns:worklist", args=[period.year])).status_code == 200
    _many_units(city, period, catalogue, 18)
    section = SectionFactory(code="more")
    for n in range(15):
        IndicatorFactory(code=f"more_{n}", section=section)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("campaigns:worklist", args=[period.year]))
    assert len(response.context["rows"]) == 20 + 1


def test_completeness_counts_on_time_late_and_overdue(
    login, leader, official_a, unit_a, unit_b, city, period, catalogue
):
    on_time = _submit(period, unit_a, catalogue, official_a, cases="1")
    late_unit = UnitFactory(parent=city, name="Xã Trễ")
    late = _submit(period, late_unit, catalogue, cases="1")
    UnitReport.objects.filter(pk=late.pk).update(
        first_submitted_at=timezone.make_aware(
            datetime.datetime.combine(period.due_on + datetime.timedelta(days=2), datetime.time(9))
        )
    )
    summary = selectors.completeness(period, leader, timezone.localdate())
    assert summary.expected == 4  # unit_a, unit_b, Xã Trễ and the city itself
    assert (summary.submitted, summary.approved, summary.on_time, summary.late) == (2, 0, 1, 1)
    assert summary.overdue == 0
    after_due = period.due_on + datetime.timedelta(days=1)
    assert selectors.completeness(period, leader, after_due).overdue == 2
    response = login(leader).get(reverse("campaigns:completeness", args=[period.year]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="kpi-expected">4<' in body and 'id="kpi-late">1<' in body
    assert on_time.unit.name in body


def test_completeness_without_city_indicators_expects_only_wards(
    leader, unit_a, unit_b, period, catalogue
):
    catalogue["share"].delete()
    assert selectors.completeness(period, leader, timezone.localdate()).expected == 2


def test_unit_that_no_longer_existed_is_not_expected(leader, city, unit_a, period, catalogue):
    UnitFactory(parent=city, name="Phường cũ", valid_to=datetime.date(period.year - 1, 6, 30))
    names = [r.unit.name for r in selectors.completeness(period, leader, timezone.localdate()).rows]
    assert "Phường cũ" not in names and "Phường 1" in names


def test_home_shows_the_official_their_report_and_the_approver_the_worklist(
    login, official_a, approver, unit_a, period, catalogue
):
    body = login(official_a).get(reverse("home")).content.decode()
    assert f"Báo cáo năm {period.year}" in body and "Chưa bắt đầu" in body
    assert reverse("campaigns:report_entry", args=[period.year, unit_a.slug]) in body
    _submit(period, unit_a, catalogue, official_a, cases="1")
    body = login(approver).get(reverse("home")).content.decode()
    assert f"Duyệt báo cáo năm {period.year}: 1 báo cáo chờ duyệt" in body
    assert reverse("campaigns:worklist", args=[period.year]) in body
    assert "Báo cáo cấp thành phố" in body


def test_home_shows_the_return_reason(login, official_a, approver, unit_a, period, catalogue):
    report = _submit(period, unit_a, catalogue, official_a, cases="1")
    services.report_return(report=report, user=approver, reason="Thiếu số liệu giao thông.")
    body = login(official_a).get(reverse("home")).content.decode()
    assert "Thiếu số liệu giao thông." in body and "Bị trả lại" in body


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("?status=submitted", {"unit_a"}),
        ("?trang-thai=cho-duyet", {"unit_a"}),  # the old key and value of bookmarked links
        ("?status=approved", set()),
        ("?trang-thai=da-duyet", set()),
        ("", {"unit_a", "unit_b", "city"}),
    ],
)
def test_worklist_filters_by_status_with_english_and_old_keys(
    login, approver, official_a, unit_a, unit_b, city, period, catalogue, query, shown
):
    _submit(period, unit_a, catalogue, official_a, cases="3")
    response = login(approver).get(reverse("campaigns:worklist", args=[period.year]) + query)
    slugs = {unit_a.slug: "unit_a", unit_b.slug: "unit_b", city.slug: "city"}
    assert {slugs[row.unit.slug] for row in response.context["rows"]} == shown
    assert "?status=submitted" in response.content.decode()
