"""Certification rules tested where they live (model methods, selectors, services), with their
boundaries: each test kills a fault that once survived the whole suite (issue 14)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from campaigns.certifications import selectors, services
from campaigns.certifications.models import (
    Award,
    CertificationKind,
    Criterion,
    CriterionAssessment,
    EligibilityExclusion,
    Person,
    Result,
    RuleSet,
)
from campaigns.certifications.models.choices import HolderKind, RuleSetSubject
from campaigns.certifications.models.rules import _validate_holder_kinds
from campaigns.models import Indicator
from tests.campaigns.factories import IndicatorFactory
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
    assert (share.certified, share.total, share.share, share.met) == (0, 0, Decimal(0), False)


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


# --- the rule sets' own checks (RuleSet, EligibilityExclusion, Criterion), killed mutants ----
# These were survivors of `make mutate` on campaigns/certifications/models/rules.py: each check is
# called directly, with its exact message (in English) and code.


@pytest.mark.parametrize("value", [[], "school", ["school", "pupil"], None])
def test_holder_kinds_must_be_a_non_empty_list_of_known_kinds(value):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _validate_holder_kinds(value)
    assert error.value.messages == ["Choose at least one kind of holder."]
    assert error.value.code == "invalid_holder_kinds"


@pytest.mark.parametrize(
    "value", [["school"], ["unit", "residential_area", "agency_enterprise", "school"]]
)
def test_holder_kinds_may_be_any_or_all_of_the_known_kinds(value):
    _validate_holder_kinds(value)


def _rule_set(valid_from, valid_to=None, holder_kinds=("school",)) -> RuleSet:
    return RuleSet(
        subject=ANTT,
        code="tinh-bo-sung",
        name="Bổ sung của tỉnh",
        legal_basis="QĐ tỉnh",
        valid_from=valid_from,
        valid_to=valid_to,
        holder_kinds=list(holder_kinds),
    )


def test_a_rule_set_in_force_with_another_for_the_same_holders_is_refused_by_clean(tt124):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _rule_set(D(2024, 1, 1)).clean()
    assert error.value.code == "overlap"
    assert error.value.messages == [
        f"“{tt124.name}” is in force for the same holders during these dates. "
        "End it first (set its “in force until”)."
    ]


def test_rule_sets_overlap_only_when_they_share_a_holder_kind(tt124):
    tt124.holder_kinds = ["school"]
    tt124.save()
    _rule_set(D(2024, 1, 1), holder_kinds=["unit"]).clean()
    with pytest.raises(ValidationError):
        _rule_set(D(2024, 1, 1), holder_kinds=["unit", "school"]).clean()


def test_rule_sets_overlap_from_the_very_day_one_starts_or_ends(tt23, tt124):
    # TT 23 is in force until 9/2/2022, TT 124 from 10/2/2022; the new set is for schools only.
    RuleSet.objects.filter(pk=tt23.pk).update(holder_kinds=["school"])
    RuleSet.objects.filter(pk=tt124.pk).update(holder_kinds=["unit"])
    _rule_set(D(2022, 2, 10), D(2022, 12, 31)).clean()
    with pytest.raises(ValidationError):
        _rule_set(D(2022, 2, 9), D(2022, 12, 31)).clean()
    RuleSet.objects.filter(pk=tt23.pk).update(holder_kinds=["unit"])
    RuleSet.objects.filter(pk=tt124.pk).update(holder_kinds=["school"])
    _rule_set(D(2021, 1, 1), D(2022, 2, 9)).clean()
    with pytest.raises(ValidationError):
        _rule_set(D(2021, 1, 1), D(2022, 2, 10)).clean()


def test_a_rule_set_is_not_in_force_with_itself(tt23, tt124):
    tt124.note = "Sửa ghi chú."
    tt124.clean()
    tt23.clean()


def test_rule_set_clean_leaves_a_missing_start_date_to_the_field_check(tt124):
    # No "in force from": nothing to compare (the field itself is required).
    _rule_set(None).clean()


def test_holder_kinds_display_names_each_kind_and_keeps_an_unknown_code():
    with translation.override("en"):
        shown = _rule_set(D(2024, 1, 1), holder_kinds=["unit", "school", "pupil"])
        assert shown.get_holder_kinds_display() == "Ward/commune, School, pupil"


def _exclusion(tt124, attribute, values):
    return EligibilityExclusion(rule_set=tt124, attribute=attribute, values=values, reason="x")


@pytest.mark.parametrize(
    ("attribute", "values"),
    [
        ("school_level", "primary, kindergarten"),
        ("enterprise_size", "micro"),
        ("is_armed_forces", ""),
    ],
)
def test_an_exclusion_with_known_codes_is_accepted(tt124, attribute, values):
    _exclusion(tt124, attribute, values).clean()


SCHOOL_LEVELS = (
    "kindergarten, primary, lower_secondary, upper_secondary, vocational, higher, continuing"
)


@pytest.mark.parametrize(
    ("attribute", "values", "codes"),
    [
        ("school_level", "primary,nursery", SCHOOL_LEVELS),
        ("school_level", " , ", SCHOOL_LEVELS),
        ("enterprise_size", "", "micro, small, medium, large"),
    ],
)
def test_an_exclusion_with_an_unknown_code_or_none_is_refused(tt124, attribute, values, codes):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _exclusion(tt124, attribute, values).clean()
    [refused] = error.value.error_dict["values"]
    assert refused.code == "invalid_values"
    assert refused.messages == [f"Use these codes, comma-separated: {codes}."]


def _threshold_criterion(tt23, **fields) -> Criterion:
    return Criterion(
        rule_set=tt23, holder_kind="unit", code="T", text="t", kind="indicator_threshold", **fields
    )


def test_a_threshold_criterion_needs_its_indicator_operator_and_threshold(tt23):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        _threshold_criterion(tt23, operator="").clean()
    required = ["Required for a threshold criterion."]
    assert error.value.message_dict == {
        "indicator": required,
        "operator": required,
        "threshold": required,
    }


def test_a_complete_threshold_criterion_is_accepted(tt23):
    indicator = Indicator(code="criminal_cases", name_vi="Phạm pháp hình sự")
    _threshold_criterion(tt23, indicator=indicator, operator="lte", threshold=Decimal(0)).clean()


def test_a_share_criterion_needs_its_percentage_and_a_ward(tt23):
    criterion = Criterion(
        rule_set=tt23, holder_kind="school", code="S", text="s", kind="child_share"
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        criterion.clean()
    assert error.value.message_dict == {
        "child_share_percent": ["Required for a share criterion."],
        "kind": ["Only a ward/commune has residential areas to count."],
    }
    criterion.holder_kind, criterion.child_share_percent = "unit", Decimal(70)
    criterion.clean()


# --- evaluate_dossier and residential_area_share, killed mutants ----------------------------


def test_share_counts_only_the_dossiers_of_the_title_asked_for(unit_a):
    for area in areas_of(unit_a, 4)[:3]:
        decided_dossier(area, year=2020)
    assert selectors.residential_area_share(unit_id=unit_a.pk, kind=ANTT, year=2020) == (3, 4)
    culture = CertificationKind.CIVILIZED_URBAN
    assert selectors.residential_area_share(unit_id=unit_a.pk, kind=culture, year=2020) == (0, 4)


def test_outcomes_follow_the_criteria_order_then_their_code(unit_a, official_a, tt23):
    dossier = services.dossier_create(
        user=official_a, holder=unit_a, kind=ANTT, year=2020, registered_on=D(2020, 2, 1)
    )
    seeded = [o.criterion.code for o in selectors.evaluate_dossier(dossier).outcomes]
    # Added later, out of order: "Z" comes first by its order, "B.2" before "B.10" by neither
    # (same order: by code), whatever order their rows were written in.
    for code, order in [("B.2", 50), ("Z", 0), ("B.10", 50)]:
        criterion = Criterion.objects.create(
            rule_set=tt23, holder_kind="unit", code=code, text=code, order=order
        )
        CriterionAssessment.objects.create(dossier=dossier, criterion=criterion)
    codes = [o.criterion.code for o in selectors.evaluate_dossier(dossier).outcomes]
    assert codes == ["Z", *seeded, "B.10", "B.2"]


def test_evaluate_dossier_reads_the_criteria_with_the_assessments(
    unit_a, official_a, django_assert_num_queries
):
    areas_of(unit_a, 2)
    dossier = services.dossier_create(
        user=official_a, holder=unit_a, kind=ANTT, year=2020, registered_on=D(2020, 2, 1)
    )
    # The assessments with their criteria, then the two of residential_area_share.
    with django_assert_num_queries(3):
        evaluation = selectors.evaluate_dossier(dossier)
    assert len(evaluation.outcomes) > 1


def test_share_counts_only_the_residential_areas_of_the_unit(unit_a, unit_b):
    decided_dossier(areas_of(unit_a, 2)[0], year=2020)
    for area in areas_of(unit_b, 3):
        decided_dossier(area, year=2020)
    assert selectors.residential_area_share(unit_id=unit_a.pk, kind=ANTT, year=2020) == (1, 2)


# --- governing_from: RuleSet.objects.governing over rule sets already loaded -----------------


def _both_governing(subject, year, holder_kind):
    loaded = selectors.governing_from(list(RuleSet.objects.all()), subject, year, holder_kind)
    assert loaded == RuleSet.objects.governing(subject, year, holder_kind)
    return loaded


def test_governing_from_agrees_with_the_queryset_for_every_subject_year_and_holder():
    found = {
        (subject, year, kind): _both_governing(subject, year, kind)
        for subject in RuleSetSubject.values
        for year in range(2010, 2027)
        for kind in HolderKind.values
    }
    assert found[(ANTT, 2021, "school")].code == "tt-23-2012-antt"
    assert found[(ANTT, 2022, "school")].code == "tt-124-2021-antt"
    assert found[(CertificationKind.CIVILIZED_URBAN, 2020, "school")] is None


def test_governing_from_counts_the_decisive_day_itself(tt23, tt124):
    # 15 November decides: a rule set starting or ending on that very day governs the year.
    RuleSet.objects.filter(pk=tt23.pk).update(valid_to=D(2022, 11, 14))
    RuleSet.objects.filter(pk=tt124.pk).update(valid_from=D(2022, 11, 15))
    assert _both_governing(ANTT, 2022, "unit") == tt124
    RuleSet.objects.filter(pk=tt23.pk).update(valid_to=D(2022, 11, 15))
    RuleSet.objects.filter(pk=tt124.pk).update(valid_from=D(2022, 11, 16))
    assert _both_governing(ANTT, 2022, "unit") == tt23


def test_governing_from_takes_the_newest_of_two_in_force_like_the_queryset(tt124):
    # RuleSet.clean refuses such an overlap; rows written without it still resolve the same way.
    newer = RuleSet.objects.create(
        subject=ANTT,
        code="tinh-bo-sung",
        name="Bổ sung của tỉnh",
        legal_basis="QĐ tỉnh",
        valid_from=D(2024, 1, 1),
        holder_kinds=["school"],
    )
    assert _both_governing(ANTT, 2024, "school") == newer
    assert _both_governing(ANTT, 2024, "unit") == tt124


# --- each outcome carries its assessment; eligibility's reasons name the title ---------------


def test_every_outcome_carries_its_own_assessment(unit_a, official_a, tt23):
    Criterion.objects.create(
        rule_set=tt23,
        holder_kind="unit",
        code="T.1",
        text="t",
        order=99,
        kind="indicator_threshold",
        indicator=IndicatorFactory(),
        operator="lte",
        threshold=Decimal(10),
    )
    dossier = services.dossier_create(
        user=official_a, holder=unit_a, kind=ANTT, year=2020, registered_on=D(2020, 2, 1)
    )
    outcomes = selectors.evaluate_dossier(dossier).outcomes
    assert {o.criterion.kind for o in outcomes} == {"yes_no", "child_share", "indicator_threshold"}
    for outcome in outcomes:
        assert outcome.assessment.dossier_id == dossier.pk
        assert outcome.assessment.criterion_id == outcome.criterion.pk


def test_eligibility_reasons_name_the_title(area_a, city):
    with translation.override("en"):
        found = selectors.eligibility(
            holder=area_a, kind=CertificationKind.CIVILIZED_URBAN, year=2020
        )
        title = CertificationKind.CIVILIZED_URBAN.label
        assert found.reasons == [f"The title “{title}” is not awarded to {area_a.name}."]
        found = selectors.eligibility(holder=area_a, kind=ANTT, year=2009)
        assert found.rule_set is None
        assert found.reasons[-1] == (
            f"No rule set for “{CertificationKind.ANTT_SAFE.label}” is in force for the year 2009."
        )


@pytest.mark.parametrize(
    ("area_dates", "unit_dates", "missing"),
    [
        ((None, D(2019, 12, 31)), (D(2000, 1, 1), None), "area"),
        ((D(2021, 1, 1), None), (D(2000, 1, 1), None), "area"),
        ((None, None), (D(2000, 1, 1), D(2019, 12, 31)), "unit"),
        ((None, None), (D(2021, 1, 1), None), "unit"),
        ((D(2020, 12, 31), D(2020, 12, 31)), (D(2020, 1, 1), D(2020, 1, 1)), None),
    ],
)
def test_eligibility_needs_the_holder_and_its_unit_to_exist_during_the_year(
    area_a, unit_a, area_dates, unit_dates, missing
):
    type(area_a).objects.filter(pk=area_a.pk).update(
        valid_from=area_dates[0], valid_to=area_dates[1]
    )
    type(unit_a).objects.filter(pk=unit_a.pk).update(
        valid_from=unit_dates[0], valid_to=unit_dates[1]
    )
    area_a.refresh_from_db()
    area_a.unit.refresh_from_db()
    with translation.override("en"):
        found = selectors.eligibility(holder=area_a, kind=ANTT, year=2020)
    name = {"area": area_a.name, "unit": unit_a.name}.get(missing)
    assert found.reasons == ([f"{name} did not exist in 2020."] if missing else [])
    assert found.rule_set.code == "tt-23-2012-antt"
