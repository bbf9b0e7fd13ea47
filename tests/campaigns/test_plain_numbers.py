"""Only ASCII digits and plain decimals (issue 10: "²" passes str.isdigit() and crashed int()
with a 500; issue 15: "1e3" was taken as 1000)."""

import pytest
from django.urls import reverse

from campaigns.models import ImportBatch, UnitReport
from tests.campaigns.helpers import entry_url, form_data
from tests.campaigns.test_import import row, upload, xlsx
from wards.numbers import is_plain_number, parse_int

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["²", "٣", "1e3", "12abc", "", " ", "1.5", "³²"])
def test_parse_int_takes_ascii_digits_only(raw):
    assert parse_int(raw) is None


def test_parse_int_reads_plain_integers():
    assert (parse_int("42"), parse_int(" -7 "), parse_int(3)) == (42, -7, 3)


@pytest.mark.parametrize("raw", ["1e3", "1E3", "NaN", "Infinity", "١٢", "12²", "0x10", "1_000"])
def test_plain_number_refuses_exponents_and_other_digits(raw):
    assert not is_plain_number(raw)


@pytest.mark.parametrize("raw", ["12", "1.816", "70,5", "1 816", "-3", "15.000.000"])
def test_plain_number_accepts_what_people_type(raw):
    assert is_plain_number(raw)


@pytest.mark.parametrize("item", ["²:1", "1:²", "٣:1", "abc"])
def test_bulk_approve_refuses_non_ascii_digits_with_a_400(login, approver, period, item):
    response = login(approver).post(
        reverse("campaigns:bulk_approve", args=[period.year]), {"report": [item]}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("value", ["1e3", "٣", "²"])
def test_entry_form_refuses_exponents_and_other_scripts(
    login, official_a, unit_a, period, catalogue, value
):
    response = login(official_a).post(
        entry_url(unit_a, period.year), form_data(catalogue, cases=value)
    )
    assert response.status_code == 200
    assert "Nhập một số" in response.content.decode()
    assert not UnitReport.objects.exists()


def test_import_refuses_1e3(login, official_a, unit_a, period, catalogue):
    content = xlsx([row(period.year, unit_a, "criminal_cases", "1e3")])
    upload(login(official_a), period.year, content)
    batch = ImportBatch.objects.get()
    assert batch.error_count == 1
    assert "Nhập một số" in batch.rows[0]["errors"]["value"]


def test_dashboard_years_refuse_other_digits(login, approver, period):
    response = login(approver).get("/api/v1/summary/", {"from": "٢٠١٥", "to": "2020"})
    assert response.status_code == 400
