"""The data-entry page: save as draft, submit, and every kind of bad input."""

from decimal import Decimal

import pytest

from campaigns.models import ReportStatus, ReportValue, UnitReport, ValueChange
from tests.campaigns.factories import IndicatorFactory, SectionFactory
from tests.campaigns.helpers import detail_url, entry_url, form_data

pytestmark = pytest.mark.django_db


def _values(report):
    return {v.indicator.code: v.value for v in report.values.select_related("indicator")}


def test_entry_page_shows_sections_last_year_and_change(
    login, official_a, unit_a, period, catalogue, last_year_report
):
    response = login(official_a).get(entry_url(unit_a, period.year))
    assert response.status_code == 200
    body = response.content.decode()
    # The year is a year ("2026"), not a number with a thousands separator ("2.026").
    assert f"Báo cáo năm {period.year} — Phường 1" in body
    # Sections collapse with <details>, no inline script.
    assert body.count('<details class="card mb-3 report-section" open>') == 2
    assert "Phạm pháp hình sự" in body and "Tai nạn giao thông" in body
    # The city-level indicator is not on a ward's form.
    assert "Tỷ lệ cán bộ có trình độ đại học" not in body
    # Last year's approved value is beside the field.
    assert 'data-last="100.00"' in body
    assert response.context["form"].fields["v_offenders_handled"].widget.attrs["data-last"]


def test_official_saves_a_draft_blank_is_not_zero(
    login, official_a, unit_a, period, catalogue, last_year_report
):
    client = login(official_a)
    data = form_data(catalogue, cases="12", solved="0", offenders="1.816", fines="70,5")
    response = client.post(entry_url(unit_a, period.year), data)
    assert response.status_code == 302
    report = UnitReport.objects.get(period=period, unit=unit_a)
    assert report.status == ReportStatus.DRAFT
    assert report.version == 1
    values = _values(report)
    # "1.816" is Vietnamese for one thousand eight hundred and sixteen; "70,5" is 70.5.
    assert values["criminal_cases"] == 12
    assert values["offenders_handled"] == 1816
    assert values["admin_fines"] == Decimal("70.5")
    # Zero is stored as zero; a blank field stores nothing ("not reported").
    assert values["criminal_cases_solved"] == 0
    assert "traffic_accidents" not in values
    # Audit: one change per value, by whom, from nothing to the value.
    change = ValueChange.objects.get(report=report, indicator=catalogue["offenders"])
    assert (change.old_value, change.new_value, change.changed_by) == (None, 1816, official_a)

    # The page shows the saved figures the Vietnamese way and the change from last year.
    body = client.get(entry_url(unit_a, period.year)).content.decode()
    assert 'value="1.816"' in body and 'value="70,5"' in body
    assert "+1.716,0%" in body  # 100 → 1816


def test_saving_again_records_old_and_new_values(login, official_a, unit_a, period, catalogue):
    client = login(official_a)
    client.post(entry_url(unit_a, period.year), form_data(catalogue, cases="12"))
    client.post(entry_url(unit_a, period.year), form_data(catalogue, version=1, cases="15"))
    report = UnitReport.objects.get(period=period, unit=unit_a)
    assert report.version == 2
    changes = list(
        ValueChange.objects.filter(report=report, indicator=catalogue["cases"]).order_by("version")
    )
    assert [(c.old_value, c.new_value) for c in changes] == [(None, 12), (12, 15)]


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("cases", "mười hai", "Nhập một số"),
        ("cases", "12abc", "Nhập một số"),
        ("cases", "-3", "không được nhỏ hơn 0"),
        ("offenders", "5001", "không được lớn hơn 5.000"),
        ("cases", "100000000000000000000", "quá lớn"),
        ("cases", "1e20", "Nhập một số"),  # no exponent: "1e3" is not 1000
        ("cases", "2,5", "số nguyên"),
        ("fines", "1,234", "2 chữ số thập phân"),
        ("cases", "NaN", "Nhập một số"),
    ],
)
def test_bad_input_gives_a_vietnamese_field_error_and_saves_nothing(
    login, official_a, unit_a, period, catalogue, field, typed, message
):
    data = form_data(catalogue, **{"cases": "12", "offenders": "30", field: typed})
    response = login(official_a).post(entry_url(unit_a, period.year), data)
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors[f"v_{catalogue[field].code}"]
    assert any(message in e for e in errors), errors
    body = response.content.decode()
    # The error is next to the field (Bootstrap invalid-feedback) and the input keeps the text.
    assert f'id="id_v_{catalogue[field].code}_error"' in body
    assert "is-invalid" in body
    assert "Chưa lưu" in body
    assert not UnitReport.objects.exists()
    assert not ReportValue.objects.exists()


def test_bad_input_on_an_existing_draft_changes_nothing(
    login, official_a, unit_a, period, catalogue
):
    client = login(official_a)
    client.post(entry_url(unit_a, period.year), form_data(catalogue, cases="12"))
    client.post(entry_url(unit_a, period.year), form_data(catalogue, version=1, cases="abc"))
    report = UnitReport.objects.get()
    assert report.version == 1
    assert _values(report)["criminal_cases"] == 12
    assert ValueChange.objects.count() == 1


def test_submit_with_required_blank_shows_error_and_saves_nothing(
    login, official_a, unit_a, period, catalogue
):
    data = form_data(catalogue, action="submit", offenders="30")
    response = login(official_a).post(entry_url(unit_a, period.year), data)
    assert response.status_code == 200
    assert "Bắt buộc" in " ".join(response.context["form"].errors["v_criminal_cases"])
    assert "Cần sửa trước khi nộp" in response.content.decode()
    assert not UnitReport.objects.exists()


def test_blocking_rule_stops_submission_and_lists_what_to_fix(
    login, official_a, unit_a, period, catalogue
):
    client = login(official_a)
    client.post(entry_url(unit_a, period.year), form_data(catalogue, cases="5"))
    data = form_data(catalogue, version=1, action="submit", cases="5", solved="7")
    response = client.post(entry_url(unit_a, period.year), data)
    body = response.content.decode()
    assert "Số vụ làm rõ không được lớn hơn số vụ phạm pháp hình sự." in body
    report = UnitReport.objects.get()
    # Neither submitted nor saved: the draft is as it was.
    assert report.status == ReportStatus.DRAFT and report.version == 1
    assert "criminal_cases_solved" not in _values(report)


def test_warning_does_not_stop_submission(login, official_a, unit_a, period, catalogue):
    client = login(official_a)
    data = form_data(catalogue, action="submit", cases="5", accidents="1", deaths="2")
    response = client.post(entry_url(unit_a, period.year), data)
    assert response.status_code == 302
    report = UnitReport.objects.get()
    assert report.status == ReportStatus.SUBMITTED
    body = client.get(detail_url(unit_a, period.year)).content.decode()
    assert "Số người chết nhiều hơn số vụ tai nạn giao thông" in body


def test_big_change_from_last_year_needs_a_comment_before_submission(
    login, official_a, unit_a, period, catalogue, last_year_report
):
    client = login(official_a)
    # 10 → 30 cases is +200 %, over the 50 % threshold.
    data = form_data(catalogue, action="submit", cases="30", offenders="100")
    response = client.post(entry_url(unit_a, period.year), data)
    errors = response.context["form"].errors["c_criminal_cases"]
    assert "giải thích" in errors[0] and "+200,0%" in errors[0]  # the one percent format
    assert "200,0%" in errors[0]
    assert not UnitReport.objects.filter(period=period).exists()

    data["c_criminal_cases"] = "Triệt phá đường dây trộm cắp xe máy."
    response = client.post(entry_url(unit_a, period.year), data)
    assert response.status_code == 302
    report = UnitReport.objects.get(period=period)
    assert report.status == ReportStatus.SUBMITTED
    assert report.values.get(indicator=catalogue["cases"]).comment.startswith("Triệt phá")


def test_submitting_records_the_transition_and_locks_the_form(
    login, official_a, unit_a, period, catalogue
):
    client = login(official_a)
    response = client.post(
        entry_url(unit_a, period.year), form_data(catalogue, action="submit", cases="3")
    )
    assert response["Location"] == detail_url(unit_a, period.year)
    report = UnitReport.objects.get()
    assert report.submitted_by == official_a and report.first_submitted_at is not None
    transition = report.transitions.get()
    assert (transition.action, transition.from_status, transition.to_status) == (
        "submit",
        "draft",
        "submitted",
    )
    # The entry page now sends the official to the read-only report.
    response = client.get(entry_url(unit_a, period.year))
    assert response.status_code == 302
    # A POST anyway is refused and changes nothing.
    client.post(entry_url(unit_a, period.year), form_data(catalogue, version=2, cases="99"))
    report.refresh_from_db()
    assert report.version == 2 and _values(report)["criminal_cases"] == 3


def test_new_indicator_added_in_admin_appears_on_the_next_form(
    login, official_a, unit_a, period, catalogue
):
    client = login(official_a)
    assert "Vụ cháy nổ" not in client.get(entry_url(unit_a, period.year)).content.decode()
    IndicatorFactory(code="fires", name_vi="Vụ cháy nổ", section=SectionFactory(code="fire"))
    response = client.get(entry_url(unit_a, period.year))
    assert "Vụ cháy nổ" in response.content.decode()
    data = form_data(catalogue, cases="1")
    data["v_fires"] = "2"
    client.post(entry_url(unit_a, period.year), data)
    assert _values(UnitReport.objects.get())["fires"] == 2


def test_indicator_outside_its_valid_years_is_not_on_the_form(
    login, official_a, unit_a, period, catalogue
):
    IndicatorFactory(code="old_one", name_vi="Chỉ tiêu cũ", valid_to_year=period.year - 1)
    body = login(official_a).get(entry_url(unit_a, period.year)).content.decode()
    assert "Chỉ tiêu cũ" not in body


def test_entry_page_query_count_does_not_grow_with_indicators(
    login, official_a, unit_a, period, catalogue, last_year_report, django_assert_max_num_queries
):
    client = login(official_a)
    client.post(entry_url(unit_a, period.year), form_data(catalogue, cases="1"))
    with django_assert_max_num_queries(16) as few:
        assert client.get(entry_url(unit_a, period.year)).status_code == 200
    section = SectionFactory(code="many")
    for n in range(40):
        IndicatorFactory(code=f"extra_{n}", section=section)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(entry_url(unit_a, period.year))
    assert response.content.decode().count("data-value-input") == 6 + 40


def test_indicator_added_through_the_admin_appears_on_the_form(
    login, admin_user, official_a, unit_a, period, catalogue
):
    from django.urls import reverse

    response = login(admin_user).post(
        reverse("admin:campaigns_indicator_add"),
        {
            "code": "fires",
            "section": catalogue["cases"].section_id,
            "name_vi": "Vụ cháy, nổ",
            "name_en": "Fires and explosions",
            "help_text": "",
            "order": "99",
            "unit_of_measure": "vụ",
            "value_type": "integer",
            "aggregation": "sum",
            "period_aggregation": "sum",
            "min_value": "0",
            "max_value": "",
            "change_alert_percent": "50",
            "reporter": "commune_level",
            "valid_from_year": "2015",
            "valid_to_year": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    body = login(official_a).get(entry_url(unit_a, period.year)).content.decode()
    assert "Vụ cháy, nổ" in body and 'name="v_fires"' in body


def test_unit_that_did_not_exist_that_year_has_no_report_pages(
    login, admin_user, city, period, catalogue
):
    import datetime

    from tests.factories import UnitFactory

    gone = UnitFactory(parent=city, valid_to=datetime.date(period.year - 2, 12, 31))
    client = login(admin_user)
    assert client.get(entry_url(gone, period.year)).status_code == 404
    assert client.get(detail_url(gone, period.year)).status_code == 404


def test_change_in_percent_is_rounded_not_cut():
    from campaigns.templatetags.campaign_tags import pct

    assert pct(Decimal(50) / 3) == "+16,7%"
    assert pct(Decimal("-12.34")) == "−12,3%"
    assert pct(Decimal(0)) == "±0,0%"
    assert pct(None) == ""
