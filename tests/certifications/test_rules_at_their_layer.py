"""Certification rules tested where they live (model methods, selectors, services), with their
boundaries: each test kills a fault that once survived the whole suite (issue 14)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.certifications import selectors, services
from campaigns.certifications.models import (
    Award,
    CertificationKind,
    Criterion,
    Person,
    Result,
)
from tests.certifications.factories import areas_of, decided_dossier
from tests.factories import ResidentialAreaFactory

D = datetime.date
ANTT = CertificationKind.ANTT_SAFE
pytestmark = pytest.mark.django_db


def _share_outcome(unit, official, *, areas: int, certified: int):
    for area in areas_of(unit, areas)[:certified]:
        decided_dossier(area, year=2020)
    dossier = services.dossier_create(
        user=official, holder=unit, kind=ANTT, year=2020, registered_on=D(2020, 2, 1)
    )
    dossier.assessments.filter(criterion__kind="yes_no").update(met=True)
    evaluation = selectors.evaluate_dossier(dossier)
    return evaluation, next(o for o in evaluation.outcomes if o.criterion.kind == "child_share")


# --- the 70% residential-area criterion (TT 23 Art. 6), boundaries included -----------------


def test_exactly_70_percent_of_residential_areas_certified_meets_the_criterion(unit_a, official_a):
    evaluation, share = _share_outcome(unit_a, official_a, areas=10, certified=7)
    assert share.criterion.child_share_percent == 70
    assert (share.certified, share.total, share.share) == (7, 10, Decimal(70))
    assert share.met is True
    assert evaluation.result == Result.MET


def test_just_under_70_percent_fails_the_criterion(unit_a, official_a):
    evaluation, share = _share_outcome(unit_a, official_a, areas=23, certified=16)
    assert (share.certified, share.total) == (16, 23)
    assert Decimal(69) < share.share < Decimal(70)
    assert share.met is False
    assert evaluation.result == Result.NOT_MET


def test_a_unit_without_residential_areas_does_not_meet_the_share_criterion(unit_a, official_a):
    _, share = _share_outcome(unit_a, official_a, areas=0, certified=0)
    assert (share.certified, share.total, share.met) == (0, 0, False)


@pytest.mark.parametrize(
    ("operator", "below", "at", "above"),
    [
        ("gte", False, True, True),
        ("gt", False, False, True),
        ("lte", True, True, False),
        ("lt", True, False, False),
        ("eq", False, True, False),
    ],
)
def test_threshold_criterion_compares_at_its_boundary(operator, below, at, above):
    criterion = Criterion(kind="indicator_threshold", operator=operator, threshold=Decimal(70))
    assert criterion.compare(Decimal("69.99")) is below
    assert criterion.compare(Decimal(70)) is at
    assert criterion.compare(Decimal("70.01")) is above


# --- residential areas that existed during the year, not only at its end --------------------


def test_share_counts_an_area_that_existed_during_the_year_but_not_at_its_end(unit_a):
    kept = areas_of(unit_a, 3)
    merged = ResidentialAreaFactory(unit=unit_a, name="Khu phố sáp nhập", valid_to=D(2020, 6, 30))
    ended_on_new_year = ResidentialAreaFactory(unit=unit_a, name="Ấp cũ", valid_to=D(2020, 1, 1))
    ResidentialAreaFactory(unit=unit_a, name="Khu phố trước", valid_to=D(2019, 12, 31))
    ResidentialAreaFactory(unit=unit_a, name="Khu phố sau", valid_from=D(2021, 1, 1))
    for area in [*kept, merged]:
        decided_dossier(area, year=2020)
    assert ended_on_new_year.valid_to.year == 2020
    # 3 kept + 2 ended during 2020 exist that year; the 2019 and 2021 areas do not.
    assert selectors.residential_area_share(unit_id=unit_a.pk, kind=ANTT, year=2020) == (4, 5)


def test_unit_history_counts_the_areas_of_each_year_they_existed(unit_a):
    areas_of(unit_a, 2)
    ResidentialAreaFactory(unit=unit_a, name="Khu phố sáp nhập", valid_to=D(2020, 6, 30))
    history = selectors.unit_history(unit_ids=[unit_a.pk], years=[2020, 2021])[unit_a.pk]
    totals = {row.year: row.areas_total for row in history}
    assert totals == {2020: 3, 2021: 2}


# --- the commemorative medal, once per person, refused by the service ------------------------


@pytest.fixture
def person_a(unit_a):
    return Person.objects.create(full_name="Nguyễn Văn A", birth_year=1970, unit=unit_a)


def _medal(person, number: str) -> Award:
    return Award(
        form="commemorative_medal",
        issuer="Bộ trưởng Bộ Công an",
        decision_number=number,
        decision_date=D(2020, 10, 1),
        recipient_type="person",
        recipient_person=person,
        period_start_year=2020,
        period_end_year=2020,
        occasion="special",
    )


def test_award_save_refuses_a_second_medal_before_the_database_does(approver, person_a):
    first = services.award_save(award=_medal(person_a, "1/QĐ-BCA"), user=approver)
    # The service's own check answers: no INSERT is left for the constraint to refuse.
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as error:
        services.award_save(award=_medal(person_a, "2/QĐ-BCA"), user=approver)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert "mỗi người chỉ được tặng một lần" in error.value.message_dict["recipient_person"][0]
    assert list(Award.objects.values_list("pk", flat=True)) == [first.pk]


def test_award_save_lets_the_medal_itself_be_corrected(approver, person_a):
    medal = services.award_save(award=_medal(person_a, "1/QĐ-BCA"), user=approver)
    medal.decision_number = "1b/QĐ-BCA"
    services.award_save(award=medal, user=approver)
    assert Award.objects.get().decision_number == "1b/QĐ-BCA"


def test_award_save_refuses_an_official(official_a, person_a):
    with pytest.raises(PermissionDenied):
        services.award_save(award=_medal(person_a, "1/QĐ-BCA"), user=official_a)
    assert not Award.objects.exists()


# --- the preparation board (selector) ---------------------------------------------------------


def test_preparation_board_gives_each_holder_its_dossier_or_its_eligibility(
    official_a, unit_a, area_a, school_a, unit_b
):
    dossier = decided_dossier(area_a, year=2020)
    with CaptureQueriesContext(connection) as captured:
        board = selectors.preparation_board(official_a, year=2020)
    # Whether the official is limited to some areas, then the units, areas, organisations, the
    # year's dossiers, the rule sets and their exclusions.
    assert len(captured) == 7
    assert [row.holder for row in board] == [unit_a, area_a, school_a]
    area_antt = next(e for e in board[1].entries if e.kind == ANTT)
    assert (area_antt.dossier, area_antt.found) == (dossier, None)
    unit_antt = next(e for e in board[0].entries if e.kind == ANTT)
    assert unit_antt.dossier is None and unit_antt.found.eligible


def test_preparation_board_keeps_to_the_chosen_unit(admin_user, unit_a, area_a, unit_b, area_b):
    board = selectors.preparation_board(admin_user, year=2020, unit_id=unit_b.pk)
    assert [row.holder for row in board] == [unit_b, area_b]
