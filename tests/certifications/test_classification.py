"""Movement classification: 100-point sheets, levels from thresholds kept as data."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse

from campaigns.certifications import services
from campaigns.certifications.models import (
    ClassificationScore,
    ClassificationThreshold,
    MovementClassification,
    RuleSet,
    ScoringItem,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(official_a, unit_a):
    return services.classification_create(user=official_a, holder=unit_a, year=2020)


def _set_points(sheet, total: int, field: str = "self_points") -> None:
    """Spread ``total`` points over the items, filling each up to its maximum in order."""
    left = Decimal(total)
    for score in sheet.scores.order_by("item__order"):
        points = min(score.max_points, left)
        setattr(score, field, points)
        score.save()
        left -= points


def _level(sheet) -> str | None:
    return MovementClassification.objects.get(pk=sheet.pk).level


def test_seeded_sheets_have_100_points_per_holder_kind():
    for rule_set in RuleSet.objects.filter(subject="movement_classification"):
        for kind in rule_set.holder_kinds:
            total = ScoringItem.objects.filter(rule_set=rule_set, holder_kind=kind).aggregate(
                total=Sum("max_points")
            )["total"]
            assert total == 100, (rule_set.code, kind)


def test_sheet_takes_the_items_of_the_sheet_in_force(official_a, unit_a, sheet):
    assert sheet.rule_set.code == "phan-loai-truoc-2022"
    later = services.classification_create(user=official_a, holder=unit_a, year=2022)
    assert later.rule_set.code == "qd-510-2022-phan-loai"
    assert sheet.scores.count() == 7 and sum(s.max_points for s in sheet.scores.all()) == 100


@pytest.mark.parametrize(
    ("total", "level"),
    [
        (95, "excellent"),
        (90, "excellent"),
        (89, "good"),
        (70, "good"),
        (69, "average"),
        (50, "average"),
        (49, "weak"),
        (0, "weak"),
    ],
)
def test_level_follows_the_thresholds(sheet, total, level):
    _set_points(sheet, total)
    assert _level(sheet) == level


def test_approved_points_decide_the_level_once_given(sheet):
    _set_points(sheet, 92)
    _set_points(sheet, 80, field="approved_points")
    assert _level(sheet) == "good"


def test_changing_a_threshold_in_admin_changes_the_computed_level(
    login, admin_user, official_a, sheet
):
    _set_points(sheet, 85)
    page = login(official_a).get(sheet.get_absolute_url()).content.decode()
    assert 'data-figure="level"><span class="badge text-bg-primary">Khá' in page
    good = ClassificationThreshold.objects.get(rule_set=sheet.rule_set, level="good")
    response = login(admin_user).post(
        reverse("admin:certifications_classificationthreshold_change", args=[good.pk]),
        {"rule_set": sheet.rule_set.pk, "level": "good", "min_points": "86"},
    )
    assert response.status_code == 302
    assert _level(sheet) == "average"
    page = login(official_a).get(sheet.get_absolute_url()).content.decode()
    assert 'data-figure="level"><span class="badge text-bg-warning">Trung bình' in page
    assert "Khá ≥ 86" in page


def test_points_above_the_maximum_are_refused_in_the_form_and_the_database(
    login, official_a, sheet
):
    first = sheet.scores.select_related("item").order_by("item__order").first()
    data = {f"s{s.pk}-points": "1" for s in sheet.scores.all()}
    data[f"s{first.pk}-points"] = str(first.max_points + 1)
    response = login(official_a).post(sheet.get_absolute_url(), data)
    assert response.status_code == 200
    assert "Chưa lưu" in response.content.decode()
    assert not sheet.scores.exclude(self_points=None).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassificationScore.objects.filter(pk=first.pk).update(self_points=first.max_points + 1)


def test_sheet_workflow_self_scores_then_approver_approves(
    login, official_a, official_b, approver, sheet
):
    client = login(official_a)
    data = {f"s{s.pk}-points": str(s.max_points) for s in sheet.scores.all()}
    assert client.post(sheet.get_absolute_url(), data).status_code == 302
    assert login(official_b).get(sheet.get_absolute_url()).status_code == 404
    # The approver cannot change a unit's own points.
    assert login(approver).post(sheet.get_absolute_url(), data).status_code == 403
    client = login(official_a)
    client.post(reverse("certifications:classification_submit", args=[sheet.pk]))
    sheet.refresh_from_db()
    assert sheet.status == "submitted"
    assert (
        client.post(reverse("certifications:classification_approve", args=[sheet.pk])).status_code
        == 403
    )
    approver_client = login(approver)
    first = sheet.scores.order_by("item__order").first()
    approved = {f"s{first.pk}-points": "5"}
    approver_client.post(sheet.get_absolute_url(), approved)
    approver_client.post(reverse("certifications:classification_approve", args=[sheet.pk]))
    sheet = MovementClassification.objects.get(pk=sheet.pk)
    assert sheet.status == "approved" and sheet.approved_by == approver
    assert sheet.points == 95 and sheet.level == "excellent"


def test_second_sheet_for_the_same_unit_and_year_is_refused(login, official_a, unit_a, sheet):
    response = login(official_a).post(
        reverse("certifications:classification_create", args=["don-vi", unit_a.pk]), {"year": 2020}
    )
    assert response.status_code == 200
    assert "Phường 1 đã có bảng chấm điểm năm 2020." in response.content.decode()
    assert MovementClassification.objects.count() == 1


def test_classification_list_shows_levels_with_pinned_queries(
    login, approver, city, django_assert_num_queries
):
    from tests.certifications.test_pages import CLASSIFICATION_LIST_QUERIES
    from tests.factories import UnitFactory, UserFactory

    for n in range(12):
        unit = UnitFactory(parent=city)
        official = UserFactory(role="official", unit=unit)
        sheet = services.classification_create(user=official, holder=unit, year=2020)
        _set_points(sheet, 60 + 3 * n)
    client = login(approver)
    # tests/certifications/test_pages.py names them: session, user, the approver's ground, the
    # sheets with their holder, their scores, the level thresholds, the bell.
    with django_assert_num_queries(len(CLASSIFICATION_LIST_QUERIES)):
        page = client.get(reverse("certifications:classification_list") + "?year=2020")
    text = page.content.decode()
    # 60, 63, … 93 points: two excellent (90, 93), six good (72–87), four average (60–69).
    assert text.count('class="badge text-bg-success">Xuất sắc') == 2
    assert text.count('class="badge text-bg-primary">Khá') == 6
    assert text.count('class="badge text-bg-warning">Trung bình') == 4


def test_approve_button_approves_the_points_typed_on_the_page(login, official_a, approver, sheet):
    """Issue 10: points typed by the approver were dropped when "Phê duyệt" was pressed
    without saving first, and the self-assessed points were approved instead."""
    client = login(official_a)
    own = {f"s{s.pk}-points": str(s.max_points) for s in sheet.scores.all()}
    assert client.post(sheet.get_absolute_url(), {**own, "action": "submit"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "submitted"
    approver_client = login(approver)
    page = approver_client.get(sheet.get_absolute_url()).content.decode()
    # The approve button belongs to the form holding the points, so it sends them.
    form = page[page.index('<form method="post" novalidate>') :]
    form = form[: form.index("</form>")]
    assert 'name="action" value="approve"' in form
    first = sheet.scores.order_by("item__order").first()
    typed = {f"s{first.pk}-points": "5", "action": "approve"}  # typed, never saved
    assert approver_client.post(sheet.get_absolute_url(), typed).status_code == 302
    sheet = MovementClassification.objects.get(pk=sheet.pk)
    assert sheet.status == "approved" and sheet.approved_by == approver
    assert sheet.scores.get(pk=first.pk).approved_points == 5
    assert sheet.points == 100 - first.max_points + 5


def test_approving_with_a_bad_point_on_the_page_approves_nothing(
    login, approver, official_a, sheet
):
    client = login(official_a)
    own = {f"s{s.pk}-points": str(s.max_points) for s in sheet.scores.all()}
    client.post(sheet.get_absolute_url(), {**own, "action": "submit"})
    first = sheet.scores.select_related("item").order_by("item__order").first()
    bad = {f"s{first.pk}-points": str(first.max_points + 1), "action": "approve"}
    response = login(approver).post(sheet.get_absolute_url(), bad)
    assert response.status_code == 200 and "Chưa lưu" in response.content.decode()
    assert MovementClassification.objects.get(pk=sheet.pk).status == "submitted"
