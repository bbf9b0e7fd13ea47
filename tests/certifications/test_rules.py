"""Versioned legal criteria: which rule set applies, eligibility, and the proposed result."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from campaigns.certifications import selectors, services
from campaigns.certifications.models import (
    CertificationKind,
    Criterion,
    Dossier,
    EligibilityExclusion,
    Result,
    RuleSet,
    decisive_day,
)
from campaigns.models import (
    Campaign,
    Indicator,
    IndicatorSection,
    ReportingPeriod,
    ReportValue,
    UnitReport,
)
from tests.certifications.factories import areas_of, decided_dossier
from tests.factories import OrganizationFactory

D = datetime.date
ANTT = CertificationKind.ANTT_SAFE
pytestmark = pytest.mark.django_db


def _answer_all(dossier, met: bool = True) -> None:
    dossier.assessments.filter(criterion__kind="yes_no").update(met=met)


@pytest.mark.parametrize(
    ("year", "code"),
    [(2015, "tt-23-2012-antt"), (2021, "tt-23-2012-antt"), (2022, "tt-124-2021-antt")],
)
@pytest.mark.parametrize("holder_kind", ["unit", "residential_area", "agency_enterprise", "school"])
def test_rule_set_is_chosen_by_the_assessment_year(year, code, holder_kind):
    assert RuleSet.objects.governing(ANTT, year, holder_kind).code == code


def test_the_decisive_day_is_the_end_of_the_assessment_window():
    # TT 23 ends on 9/2/2022, TT 124 starts on 10/2/2022: the year's 15 November decides.
    assert decisive_day(2021) == D(2021, 11, 15)
    assert RuleSet.objects.in_force_on(D(2022, 2, 9)).get(subject=ANTT).code == "tt-23-2012-antt"
    assert RuleSet.objects.in_force_on(D(2022, 2, 10)).get(subject=ANTT).code == "tt-124-2021-antt"


def test_seeded_criteria_follow_the_legal_texts(tt23, tt124):
    share = Criterion.objects.get(rule_set=tt23, holder_kind="unit", kind="child_share")
    assert share.child_share_percent == 70
    assert not Criterion.objects.filter(rule_set=tt124, kind="child_share").exists()
    assert Criterion.objects.filter(rule_set=tt124, holder_kind="unit", text__contains="mô hình")
    excluded = {(e.attribute, e.values) for e in tt124.exclusions.all()}
    assert excluded == {
        ("school_level", "primary"),
        ("school_level", "kindergarten"),
        ("enterprise_size", "micro,small"),
        ("is_armed_forces", ""),
    }
    assert not tt23.exclusions.exists()


def _ward_dossier(unit, official, year=2020):
    return services.dossier_create(
        user=official, holder=unit, kind=ANTT, year=year, registered_on=D(year, 2, 1)
    )


def test_ward_with_16_of_25_areas_certified_is_proposed_not_met_naming_the_criterion(
    unit_a, official_a
):
    areas = areas_of(unit_a, 25)
    for area in areas[:16]:
        decided_dossier(area, year=2020)
    for area in areas[16:20]:
        decided_dossier(area, year=2020, met=False)
    dossier = _ward_dossier(unit_a, official_a)
    _answer_all(dossier)
    evaluation = selectors.evaluate_dossier(dossier)
    assert evaluation.result == Result.NOT_MET
    assert [o.criterion.code for o in evaluation.failing] == ["6.4"]
    failing = evaluation.failing[0]
    assert (failing.certified, failing.total) == (16, 25)
    assert failing.share == Decimal(64)


def test_ward_with_18_of_25_areas_certified_passes_the_share_criterion(unit_a, official_a):
    areas = areas_of(unit_a, 25)
    for area in areas[:18]:
        decided_dossier(area, year=2020)
    dossier = _ward_dossier(unit_a, official_a)
    _answer_all(dossier)
    evaluation = selectors.evaluate_dossier(dossier)
    share = next(o for o in evaluation.outcomes if o.criterion.code == "6.4")
    assert share.met is True and share.share == Decimal(72)
    assert evaluation.result == Result.MET and evaluation.failing == []


def test_share_counts_only_decided_met_dossiers_of_the_same_year_and_title(unit_a, official_a):
    areas = areas_of(unit_a, 10)
    for area in areas[:7]:
        decided_dossier(area, year=2019)  # another year
    for area in areas[:6]:
        decided_dossier(area, year=2020)
    dossier = _ward_dossier(unit_a, official_a)
    _answer_all(dossier)
    assert selectors.residential_area_share(unit_id=unit_a.pk, kind=ANTT, year=2020) == (6, 10)
    assert selectors.evaluate_dossier(dossier).failing_codes == "6.4"


def test_share_page_names_the_failing_criterion_and_figures(unit_a, official_a, login):
    areas = areas_of(unit_a, 25)
    for area in areas[:16]:
        decided_dossier(area, year=2020)
    dossier = _ward_dossier(unit_a, official_a)
    _answer_all(dossier)
    page = login(official_a).get(dossier.get_absolute_url()).content.decode()
    assert "Đề xuất kết quả" in page and "Chưa đạt" in page
    assert "6.4" in page
    assert "16/25 khu dân cư đạt (64%); yêu cầu ≥ 70%." in page


def test_unanswered_yes_no_criteria_are_named_in_the_proposal(unit_a, official_a, area_a):
    dossier = services.dossier_create(
        user=official_a, holder=area_a, kind=ANTT, year=2020, registered_on=D(2020, 1, 10)
    )
    evaluation = selectors.evaluate_dossier(dossier)
    assert evaluation.result == Result.NOT_MET
    assert evaluation.failing_codes == "5.1, 5.2, 5.3, 5.4, 5.5"
    dossier.assessments.filter(criterion__code__in=["5.1", "5.2", "5.4", "5.5"]).update(met=True)
    dossier.assessments.filter(criterion__code="5.3").update(met=False)
    assert selectors.evaluate_dossier(dossier).failing_codes == "5.3"


def test_same_organisation_is_assessed_under_tt23_in_2021_and_tt124_in_2022(
    official_a, enterprise_a, tt23, tt124
):
    d2021 = services.dossier_create(
        user=official_a, holder=enterprise_a, kind=ANTT, year=2021, registered_on=D(2021, 3, 1)
    )
    d2022 = services.dossier_create(
        user=official_a, holder=enterprise_a, kind=ANTT, year=2022, registered_on=D(2022, 3, 1)
    )
    assert d2021.rule_set == tt23 and d2022.rule_set == tt124
    codes = lambda d: sorted(d.assessments.values_list("criterion__code", flat=True))  # noqa: E731
    assert codes(d2021) == ["7.1", "7.2", "7.3", "7.4", "7.5"]
    assert codes(d2022) == ["6.1", "6.2", "6.3", "6.4", "6.5"]


def test_primary_school_is_eligible_in_2021_and_not_in_2022_with_a_clear_reason(
    official_a, primary_school_a
):
    in_2021 = selectors.eligibility(holder=primary_school_a, kind=ANTT, year=2021)
    assert in_2021.eligible and in_2021.rule_set.code == "tt-23-2012-antt"
    in_2022 = selectors.eligibility(holder=primary_school_a, kind=ANTT, year=2022)
    assert not in_2022.eligible
    assert in_2022.reasons == [
        "Trường Tiểu học Một không thuộc diện xét theo Thông tư 124/2021/TT-BCA của Bộ Công an: "
        "Thông tư 124/2021/TT-BCA không xét danh hiệu “An toàn về an ninh, trật tự” đối với "
        "trường tiểu học."
    ]
    with pytest.raises(ValidationError) as error:
        services.dossier_create(
            user=official_a,
            holder=primary_school_a,
            kind=ANTT,
            year=2022,
            registered_on=D(2022, 2, 15),
        )
    assert "trường tiểu học" in error.value.messages[0]
    assert not Dossier.objects.filter(organization=primary_school_a, year=2022).exists()
    services.dossier_create(
        user=official_a, holder=primary_school_a, kind=ANTT, year=2021, registered_on=D(2021, 2, 1)
    )


@pytest.mark.parametrize(
    ("fields", "reason_part"),
    [
        ({"kind": "enterprise", "enterprise_size": "micro"}, "doanh nghiệp nhỏ và siêu nhỏ"),
        ({"kind": "enterprise", "enterprise_size": "small"}, "doanh nghiệp nhỏ và siêu nhỏ"),
        ({"kind": "school", "school_level": "kindergarten"}, "mầm non"),
        ({"kind": "agency", "is_armed_forces": True}, "lực lượng vũ trang"),
    ],
)
def test_tt124_exclusions_apply_and_tt23_had_none(unit_a, fields, reason_part):
    organization = OrganizationFactory(unit=unit_a, **fields)
    assert selectors.eligibility(holder=organization, kind=ANTT, year=2020).eligible
    found = selectors.eligibility(holder=organization, kind=ANTT, year=2023)
    assert not found.eligible and reason_part in found.reasons[0]


def test_exclusions_are_data_an_administrator_can_change(tt124, unit_a, enterprise_a):
    assert selectors.eligibility(holder=enterprise_a, kind=ANTT, year=2023).eligible
    EligibilityExclusion.objects.create(
        rule_set=tt124,
        attribute="enterprise_size",
        values="medium",
        reason="Tỉnh không xét doanh nghiệp vừa (thử nghiệm).",
    )
    found = selectors.eligibility(holder=enterprise_a, kind=ANTT, year=2023)
    assert not found.eligible and "doanh nghiệp vừa" in found.reasons[0]
    tt124.exclusions.filter(values="medium").delete()
    assert selectors.eligibility(holder=enterprise_a, kind=ANTT, year=2023).eligible


def test_exclusion_values_are_checked_against_the_codes(tt124):
    exclusion = EligibilityExclusion(
        rule_set=tt124, attribute="school_level", values="primary,nursery", reason="x"
    )
    with pytest.raises(ValidationError) as error:
        exclusion.full_clean()
    assert "values" in error.value.message_dict


def test_culture_titles_only_for_the_right_kind_of_unit(unit_a, city):
    commune = type(unit_a).objects.create(
        kind="commune",
        code="X1",
        name="Xã Một",
        slug="xa-mot",
        parent=city,
        valid_from=D(2008, 1, 1),
    )
    assert selectors.eligibility(holder=unit_a, kind="civilized_urban", year=2020).eligible
    assert not selectors.eligibility(holder=commune, kind="civilized_urban", year=2020).eligible
    assert selectors.eligibility(holder=commune, kind="new_rural_culture", year=2020).eligible
    # TT 17/2011 ended on 1/1/2023 and nothing replaces it in the data yet.
    found = selectors.eligibility(holder=commune, kind="new_rural_culture", year=2023)
    assert not found.eligible and "2023" in found.reasons[0]


def test_overlapping_rule_sets_for_the_same_holders_are_refused(tt124):
    overlapping = RuleSet(
        subject=ANTT,
        code="tinh-bo-sung",
        name="Bổ sung của tỉnh",
        legal_basis="QĐ tỉnh",
        valid_from=D(2024, 1, 1),
        holder_kinds=["school"],
    )
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "Thông tư 124/2021/TT-BCA" in str(error.value)
    tt124.valid_to = D(2023, 12, 31)
    tt124.save()
    overlapping.full_clean()


def _approved_report(unit, indicator, year, value):
    campaign = Campaign.objects.create(
        name="Phong trào", slug="phong-trao", city=unit.parent, start_year=2015
    )
    period = ReportingPeriod.objects.create(
        campaign=campaign,
        year=year,
        opens_on=D(year, 1, 1),
        due_on=D(year, 12, 15),
        # Kept open: the dossiers of these tests are still prepared in that year (a closed year
        # takes no new dossier, see tests/wards/test_closed_years.py).
        closes_on=D(2100, 12, 31),
    )
    now = datetime.datetime(year, 12, 1, tzinfo=datetime.UTC)
    report = UnitReport.objects.create(
        period=period,
        unit=unit,
        status="approved",
        submitted_at=now,
        first_submitted_at=now,
        approved_at=now,
    )
    return ReportValue.objects.create(report=report, indicator=indicator, value=value)


@pytest.fixture
def crime_threshold(tt23):
    section = IndicatorSection.objects.create(code="crime", name_vi="Tội phạm", name_en="Crime")
    indicator = Indicator.objects.create(
        code="criminal_cases_test",
        section=section,
        name_vi="Phạm pháp hình sự",
        name_en="Criminal offences",
        unit_of_measure="vụ",
    )
    return Criterion.objects.create(
        rule_set=tt23,
        holder_kind="unit",
        code="T.1",
        text="Phạm pháp hình sự không quá 10 vụ (tiêu chí bổ sung của tỉnh).",
        order=99,
        kind="indicator_threshold",
        indicator=indicator,
        operator="lte",
        threshold=Decimal(10),
    )


def test_threshold_criterion_reads_the_approved_yearly_report(unit_a, official_a, crime_threshold):
    for area in areas_of(unit_a, 5):
        decided_dossier(area, year=2020)
    dossier = _ward_dossier(unit_a, official_a)
    _answer_all(dossier)
    # No approved report yet: the criterion cannot be met.
    outcome = next(
        o for o in selectors.evaluate_dossier(dossier).outcomes if o.criterion.code == "T.1"
    )
    assert outcome.met is False and outcome.value is None
    value = _approved_report(unit_a, crime_threshold.indicator, 2020, Decimal(12))
    evaluation = selectors.evaluate_dossier(dossier)
    assert evaluation.failing_codes == "T.1"
    assert evaluation.failing[0].value == Decimal(12)
    value.value = Decimal(9)
    value.save()
    assert selectors.evaluate_dossier(dossier).result == Result.MET


def test_threshold_criterion_ignores_reports_not_yet_approved(unit_a, official_a, crime_threshold):
    for area in areas_of(unit_a, 5):
        decided_dossier(area, year=2020)
    value = _approved_report(unit_a, crime_threshold.indicator, 2020, Decimal(3))
    UnitReport.objects.filter(pk=value.report_id).update(status="submitted")
    dossier = _ward_dossier(unit_a, official_a)
    _answer_all(dossier)
    assert selectors.evaluate_dossier(dossier).failing_codes == "T.1"


def test_criterion_parameters_must_match_its_kind(tt23):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.create(
            rule_set=tt23, holder_kind="unit", code="X", text="x", kind="child_share"
        )
    criterion = Criterion(
        rule_set=tt23, holder_kind="school", code="Y", text="y", kind="child_share"
    )
    with pytest.raises(ValidationError) as error:
        criterion.full_clean()
    assert {"child_share_percent", "kind"} <= set(error.value.message_dict)
