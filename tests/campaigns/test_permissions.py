"""Who may open which report URL, export and import: deny by default, another unit gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns import imports, services
from campaigns.checks import Entry
from campaigns.models import ImportBatch, ReportValue, UnitReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(official_a, unit_a, period, catalogue):
    report = services.report_save_values(
        period=period,
        unit=unit_a,
        user=official_a,
        entries={catalogue["cases"].pk: Entry(4)},
        expected_version=0,
    ).report
    return services.report_submit(report=report, user=official_a)


@pytest.fixture
def batch(official_a, unit_a, period, catalogue):
    rows = imports.template_rows(period, [unit_a])
    rows[0].value = 7
    upload = SimpleUploadedFile("a.csv", imports.template_csv(rows))
    return imports.stage_upload(upload=upload, period=period, user=official_a)


def unit_urls(year, slug):
    """(method, url) of every URL about one unit's report."""
    return [
        ("get", reverse("campaigns:report_detail", args=[year, slug])),
        ("get", reverse("campaigns:report_entry", args=[year, slug])),
        ("post", reverse("campaigns:report_entry", args=[year, slug])),
        ("get", reverse("campaigns:template_unit", args=[year, slug])),
        ("get", reverse("campaigns:template_unit", args=[year, slug]) + "?format=csv"),
        ("post", reverse("campaigns:report_approve", args=[year, slug])),
        ("post", reverse("campaigns:report_return", args=[year, slug])),
        ("post", reverse("campaigns:report_reopen", args=[year, slug])),
    ]


def city_urls(year):
    return [
        ("get", reverse("campaigns:worklist", args=[year])),
        ("get", reverse("campaigns:worklist_current")),
        ("post", reverse("campaigns:bulk_approve", args=[year])),
        ("get", reverse("campaigns:template_city", args=[year])),
    ]


def _snapshot():
    return (
        list(UnitReport.objects.values_list("pk", "status", "version")),
        list(ReportValue.objects.values_list("pk", "value", "comment")),
        list(ImportBatch.objects.values_list("pk", "status")),
    )


def _call(client, method, url):
    if method == "post":
        return client.post(url, {"version": 2, "return-version": 2, "return-reason": "x"})
    return client.get(url)


def test_anonymous_is_sent_to_login_everywhere(client, submitted, batch, period, unit_a):
    urls = [
        *unit_urls(period.year, unit_a.slug),
        *city_urls(period.year),
        ("get", reverse("campaigns:report_list")),
        ("get", reverse("campaigns:completeness", args=[period.year])),
        ("get", reverse("campaigns:import_upload", args=[period.year])),
        ("get", reverse("campaigns:import_preview", args=[batch.pk])),
        ("post", reverse("campaigns:import_confirm", args=[batch.pk])),
    ]
    before = _snapshot()
    for method, url in urls:
        response = _call(client, method, url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert _snapshot() == before


def test_official_of_another_unit_gets_404_on_every_report_url(
    login, official_b, submitted, batch, period, unit_a
):
    client = login(official_b)
    before = _snapshot()
    for method, url in unit_urls(period.year, unit_a.slug):
        assert _call(client, method, url).status_code == 404, url
    # Someone else's staged import is not there for them either.
    assert client.get(reverse("campaigns:import_preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("campaigns:import_confirm", args=[batch.pk])).status_code == 404
    # City pages are for city roles.
    for method, url in city_urls(period.year):
        assert _call(client, method, url).status_code == 403, url
    assert client.get(reverse("campaigns:completeness", args=[period.year])).status_code == 403
    assert _snapshot() == before


def test_official_cannot_import_into_another_unit(
    login, official_b, submitted, period, unit_a, catalogue
):
    rows = imports.template_rows(period, [unit_a])
    for row in rows:
        row.value = 9
    client = login(official_b)
    url = reverse("campaigns:import_upload", args=[period.year])
    response = client.post(url, {"file": SimpleUploadedFile("x.csv", imports.template_csv(rows))})
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    # Refused unread (scope first): not errors, not changes, one notice.
    assert batch.error_count == 0 and batch.changed_rows == []
    assert imports.summarise(batch)["refused"] == len(rows)
    assert (
        "thuộc đơn vị mà bạn không được sửa số liệu"
        in client.get(response["Location"]).content.decode()
    )
    assert client.post(reverse("campaigns:import_confirm", args=[batch.pk])).status_code == 302
    assert UnitReport.objects.get().values.get().value == 4


def test_official_of_own_unit_reviews_nothing(login, official_a, submitted, period, unit_a):
    client = login(official_a)
    before = _snapshot()
    for name in ["report_approve", "report_return", "report_reopen"]:
        url = reverse(f"campaigns:{name}", args=[period.year, unit_a.slug])
        assert _call(client, "post", url).status_code == 403, url
    assert _snapshot() == before


def test_leader_reads_but_cannot_edit_review_or_import(
    login, leader, submitted, period, unit_a, catalogue
):
    client = login(leader)
    before = _snapshot()
    assert (
        client.get(reverse("campaigns:report_detail", args=[period.year, unit_a.slug])).status_code
        == 200
    )
    assert client.get(reverse("campaigns:completeness", args=[period.year])).status_code == 200
    assert (
        client.get(reverse("campaigns:template_unit", args=[period.year, unit_a.slug])).status_code
        == 200
    )
    for method, url in [
        ("get", reverse("campaigns:report_entry", args=[period.year, unit_a.slug])),
        ("post", reverse("campaigns:report_entry", args=[period.year, unit_a.slug])),
        ("post", reverse("campaigns:report_approve", args=[period.year, unit_a.slug])),
        ("post", reverse("campaigns:report_return", args=[period.year, unit_a.slug])),
        ("post", reverse("campaigns:report_reopen", args=[period.year, unit_a.slug])),
        ("get", reverse("campaigns:import_upload", args=[period.year])),
        *city_urls(period.year),
    ]:
        assert _call(client, method, url).status_code == 403, url
    body = client.get(
        reverse("campaigns:report_detail", args=[period.year, unit_a.slug])
    ).content.decode()
    assert reverse("campaigns:report_approve", args=[period.year, unit_a.slug]) not in body
    assert "Trả lại đơn vị" not in body
    assert _snapshot() == before


def test_approver_sees_ward_reports_but_cannot_open_their_entry_page(
    login, approver, submitted, period, unit_a
):
    client = login(approver)
    assert (
        client.get(reverse("campaigns:report_detail", args=[period.year, unit_a.slug])).status_code
        == 200
    )
    assert (
        client.get(reverse("campaigns:report_entry", args=[period.year, unit_a.slug])).status_code
        == 403
    )
    assert client.get(reverse("campaigns:template_city", args=[period.year])).status_code == 200
    body = client.get(
        reverse("campaigns:report_detail", args=[period.year, unit_a.slug])
    ).content.decode()
    assert "Trả lại đơn vị" in body
    assert reverse("campaigns:report_approve", args=[period.year, unit_a.slug]) in body


def test_account_without_role_sees_nothing(login, submitted, period, unit_a):
    from tests.factories import UserFactory

    nobody = UserFactory(username="nobody", role="", unit=None)
    client = login(nobody)
    assert (
        client.get(reverse("campaigns:report_detail", args=[period.year, unit_a.slug])).status_code
        == 404
    )
    assert client.get(reverse("campaigns:report_list")).status_code == 403
    assert client.get(reverse("campaigns:completeness", args=[period.year])).status_code == 403


def test_official_list_shows_only_own_reports(login, official_a, official_b, submitted, period):
    body = login(official_b).get(reverse("campaigns:report_list")).content.decode()
    submitted_badge = 'text-bg-primary">Đã nộp'
    assert "Phường 2" in body and submitted_badge not in body
    body = login(official_a).get(reverse("campaigns:report_list")).content.decode()
    assert submitted_badge in body


def test_unit_page_section_lists_visible_reports(login, official_a, approver, submitted, unit_a):
    body = login(approver).get(reverse("wards:unit_detail", args=[unit_a.slug])).content.decode()
    assert "Báo cáo năm" in body and "Đã nộp" in body
