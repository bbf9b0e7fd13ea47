"""Blocking problems show when a draft is saved (saving is still allowed) and in the import
preview (issue 10: "Đã lưu nháp" alone for 20 cases solved of 10; 9.999 against 10 accepted
silently by the import preview)."""

import pytest

from campaigns.models import ImportBatch, UnitReport
from tests.campaigns.helpers import entry_url, form_data
from tests.campaigns.test_import import row, upload, xlsx

pytestmark = pytest.mark.django_db

RULE = "Số vụ làm rõ không được lớn hơn số vụ phạm pháp hình sự."


def test_saving_a_draft_with_a_broken_blocking_rule_saves_and_says_so(
    login, official_a, unit_a, period, catalogue
):
    client = login(official_a)
    response = client.post(
        entry_url(unit_a, period.year),
        form_data(catalogue, cases="10", solved="20"),
        follow=True,
    )
    page = response.content.decode()
    report = UnitReport.objects.get(unit=unit_a, period=period)
    assert report.status == "draft" and report.values.get(indicator=catalogue["solved"]).value == 20
    assert "Đã lưu nháp" in page
    assert "1 lỗi phải sửa trước khi nộp báo cáo" in page
    assert 'id="blocking"' in page and RULE in page
    # Opening the draft later shows it too, before anyone presses "Nộp".
    assert RULE in client.get(entry_url(unit_a, period.year)).content.decode()


def test_a_clean_draft_shows_no_blocking_list(login, official_a, unit_a, period, catalogue):
    client = login(official_a)
    data = form_data(catalogue, cases="10", solved="5", offenders="3", fines="0",
                     accidents="1", deaths="0")  # fmt: skip
    page = client.post(entry_url(unit_a, period.year), data, follow=True).content.decode()
    assert "Đã lưu nháp" in page and 'id="blocking"' not in page


def test_import_preview_flags_a_broken_rule_and_still_lets_the_draft_in(
    login, official_a, unit_a, period, catalogue
):
    client = login(official_a)
    content = xlsx(
        [
            row(period.year, unit_a, "criminal_cases", 10),
            row(period.year, unit_a, "criminal_cases_solved", "9.999"),  # 9 999 the Vietnamese way
        ]
    )
    response = upload(client, period.year, content, follow=True)
    page = response.content.decode()
    batch = ImportBatch.objects.get()
    flagged = [r for r in batch.rows if r.get("problems")]
    assert [r["indicator_id"] for r in flagged] == [catalogue["solved"].pk]
    assert flagged[0]["value"] == "9999"
    assert RULE in page and 'id="import-problems-summary"' in page
    assert batch.error_count == 0  # a draft may hold it; submission will not
