"""A closed year is closed in every domain: reports, model sites and grades, dossiers and their
decisions, scoring sheets, awards, Ngày hội, incidents. Every write path (service, page, import,
admin) is tried against a closed year and refused, until an approver reopens that year for the
unit, with a reason; closing it again locks it again.

The periods are dated so that the tests hold on any day: 2020 closed on 31/1/2021; the current
year stays open (its period closes in 2100).
"""

import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from campaigns import imports
from campaigns import services as report_services
from campaigns.certifications import services as cert_services
from campaigns.certifications.models import (
    Award,
    CertificationKind,
    Dossier,
    DossierStatus,
    FestivalDay,
    Incident,
    MovementClassification,
    RuleSet,
)
from campaigns.certifications.seed import seed_rule_sets
from campaigns.checks import Entry
from campaigns.models import ReportingPeriod, UnitReport
from models_registry import services as registry_services
from models_registry.models import ModelSite, PreventionModel, SiteEvaluation
from tests.campaigns.factories import CampaignFactory, IndicatorFactory, PeriodFactory
from tests.certifications.factories import decided_dossier
from tests.factories import OrganizationFactory, UserFactory
from tests.models_registry.factories import (
    ModelSiteFactory,
    PreventionModelFactory,
    SiteEvaluationFactory,
)
from wards import closure
from wards import services as ward_services
from wards.closure import YearClosed
from wards.models import YearReopening

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
CLOSED = 2020
THIS_YEAR = timezone.localdate().year
pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(city):
    campaign = CampaignFactory(city=city, start_year=2015)
    PeriodFactory(campaign=campaign, year=CLOSED)  # closed on 31/1/2021
    PeriodFactory(campaign=campaign, year=THIS_YEAR, closes_on=D(2100, 12, 31))
    seed_rule_sets()
    return campaign


@pytest.fixture
def admin_user(city):
    return UserFactory(username="root", role="admin", unit=None, is_staff=True, is_superuser=True)


@pytest.fixture
def model(campaign, unit_a):
    model = PreventionModelFactory(origin_unit=unit_a, start_date=D(2016, 1, 1))
    ModelSiteFactory(model=model, unit=unit_a, start_date=D(2016, 1, 1), cameras=4)
    return model


@pytest.fixture
def site_a(model, unit_a):
    return model.sites.get(unit=unit_a)


def _refused(call, *args, **kwargs) -> YearClosed:
    with pytest.raises(YearClosed) as info:
        call(*args, **kwargs)
    assert f"{CLOSED}" in info.value.messages[0]
    return info.value


def _reopen(unit, approver, year=CLOSED) -> YearReopening:
    return ward_services.year_reopen(
        unit=unit, year=year, user=approver, reason="Sửa số liệu theo kết luận thanh tra"
    )


# --- the calendar -------------------------------------------------------------------------------


def test_the_reporting_calendar_says_which_years_are_closed(campaign, unit_a, approver):
    assert closure.closed_years(unit_a, [2012, 2019, CLOSED, THIS_YEAR]) == [2012, 2019, CLOSED]
    reopening = _reopen(unit_a, approver)
    assert closure.closed_years(unit_a, [2019, CLOSED]) == [2019]
    ward_services.year_close_again(reopening=reopening, user=approver)
    assert closure.closed_years(unit_a, [CLOSED]) == [CLOSED]
    # A city without a campaign has no calendar: nothing is closed there.
    assert closure.closed_years(OrganizationFactory().unit, [CLOSED]) == []


# --- model sites and their grades -------------------------------------------------------------


def test_registry_services_refuse_every_change_dated_in_a_closed_year(
    model, site_a, unit_a, unit_b, official_a, approver
):
    official_b = UserFactory(role="official", unit=unit_b)
    _refused(
        registry_services.replicate_model,
        user=official_b,
        model=model,
        unit=unit_b,
        start_date=D(2019, 5, 1),
    )
    _refused(
        registry_services.register_model,
        user=approver,
        name="Mô hình mới",
        category="camera",
        lead_organisation="police",
        origin_unit=unit_a,
        start_date=D(2019, 5, 1),
    )
    site_a.cameras = 40
    _refused(registry_services.update_site, user=official_a, site=site_a)
    site_a.refresh_from_db()
    model.category = "camera"
    _refused(registry_services.update_model, user=approver, model=model)
    model.refresh_from_db()
    _refused(
        registry_services.retire_site,
        user=official_a,
        site=site_a,
        retired_on=D(2020, 6, 1),
        reason="Ngưng",
    )
    _refused(
        registry_services.retire_model,
        user=approver,
        model=model,
        retired_on=D(2020, 6, 1),
        reason="Ngưng",
    )
    _refused(
        registry_services.propose_evaluation,
        user=official_a,
        site=site_a,
        year=CLOSED,
        grade="good",
    )
    proposed = SiteEvaluationFactory(site=site_a, year=CLOSED, status="proposed")
    _refused(registry_services.confirm_evaluation, user=approver, evaluation=proposed)
    assert ModelSite.objects.count() == 1 and PreventionModel.objects.count() == 1
    site_a.refresh_from_db()
    assert (site_a.cameras, site_a.status) == (4, "active")
    assert SiteEvaluation.objects.get().status == "proposed"


def test_what_touches_no_closed_year_still_changes(model, site_a, unit_b, official_a):
    site_a.note = "Đổi ghi chú"
    registry_services.update_site(user=official_a, site=site_a)
    registry_services.retire_site(
        user=official_a, site=site_a, retired_on=D(THIS_YEAR, 1, 1), reason="Ngưng"
    )
    official_b = UserFactory(role="official", unit=unit_b)
    registry_services.replicate_model(
        user=official_b, model=model, unit=unit_b, start_date=D(THIS_YEAR, 1, 2)
    )
    assert ModelSite.objects.count() == 2


def test_a_reopened_year_takes_the_correction_and_closes_again(
    model, site_a, unit_a, unit_b, official_a, approver
):
    _reopen(unit_a, approver, year=2019)
    reopening = _reopen(unit_a, approver)
    registry_services.propose_evaluation(user=official_a, site=site_a, year=CLOSED, grade="good")
    # The site's facts count in every year since 2016: reopening two of them is not enough.
    site_a.cameras = 40
    with pytest.raises(YearClosed) as info:
        registry_services.update_site(user=official_a, site=site_a)
    assert "2016, 2017, 2018" in info.value.messages[0]
    # Another unit's closed year stays closed.
    official_b = UserFactory(role="official", unit=unit_b)
    _refused(
        registry_services.replicate_model,
        user=official_b,
        model=model,
        unit=unit_b,
        start_date=D(2020, 5, 1),
    )
    ward_services.year_close_again(reopening=reopening, user=approver)
    _refused(
        registry_services.propose_evaluation,
        user=official_a,
        site=site_a,
        year=CLOSED,
        grade="weak",
    )
    assert SiteEvaluation.objects.get().grade == "good"


def test_registry_pages_refuse_a_closed_year_with_the_reason(
    login, model, site_a, unit_a, official_a
):
    client = login(official_a)
    other = PreventionModelFactory(origin_unit=unit_a, start_date=D(2015, 1, 1))
    response = client.post(
        reverse("models_registry:site_create", args=[other.slug]),
        {
            "start_date": "2019-03-01",
            "households": "10",
            "members": "1",
            "teams": "1",
            "cameras": "0",
            "funding_state": "0",
            "funding_socialized": "0",
        },
    )
    assert response.status_code == 200
    # The site would count in 2019 and 2020, both closed.
    assert "2019, 2020 đã khóa sổ" in response.content.decode()
    assert ModelSite.objects.filter(model=other).count() == 0
    response = client.post(
        reverse("models_registry:site_edit", args=[site_a.pk]),
        {
            "start_date": "2016-01-01",
            "households": "120",
            "members": "15",
            "teams": "2",
            "cameras": "99",
            "funding_state": "0",
            "funding_socialized": "0",
            "note": "",
        },
    )
    assert response.status_code == 200 and "đã khóa sổ" in response.content.decode()
    site_a.refresh_from_db()
    assert site_a.cameras == 4
    response = client.post(
        reverse("models_registry:evaluation_propose", args=[site_a.pk]),
        {
            "year": str(CLOSED),
            "grade": "good",
            "tip_offs": "1",
            "cases_solved": "0",
            "mediations": "0",
            "patrols": "0",
            "notes": "",
        },
    )
    assert response.status_code == 200 and "đã khóa sổ" in response.content.decode()
    assert not SiteEvaluation.objects.exists()


def test_registry_admin_refuses_a_closed_year(client, model, site_a, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:models_registry_modelsite_change", args=[site_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "model": site_a.model_id,
        "unit": site_a.unit_id,
        "residential_area": "",
        "decision_number": "",
        "decision_date": "",
        "start_date": "2016-01-01",
        "households": "120",
        "members": "15",
        "teams": "2",
        "cameras": "99",
        "funding_state": "0",
        "funding_socialized": "0",
        "note": "",
        "status": "active",
        "retired_on": "",
        "retire_reason": "",
        "evaluations-TOTAL_FORMS": "0",
        "evaluations-INITIAL_FORMS": "0",
        "evaluations-MIN_NUM_FORMS": "0",
        "evaluations-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "đã khóa sổ" in response.content.decode()
    site_a.refresh_from_db()
    assert site_a.cameras == 4
    # No delete button, and the delete page is refused.
    delete = client.post(reverse("admin:models_registry_modelsite_delete", args=[site_a.pk]))
    assert delete.status_code == 403
    assert ModelSite.objects.filter(pk=site_a.pk).exists()


# --- dossiers, scoring sheets, awards -----------------------------------------------------------


@pytest.fixture
def submitted_dossier(campaign, unit_a):
    dossier = decided_dossier(unit_a, year=CLOSED)
    Dossier.objects.filter(pk=dossier.pk).update(
        status=DossierStatus.SUBMITTED,
        result="",
        decision_number="",
        decision_date=None,
        certificate_number="",
        issuing_body="",
    )
    dossier.refresh_from_db()
    return dossier


def test_certification_services_refuse_a_closed_year(
    campaign, unit_a, official_a, approver, submitted_dossier
):
    _refused(
        cert_services.dossier_create,
        user=official_a,
        holder=unit_a,
        kind=CertificationKind.ANTT_SAFE,
        year=CLOSED,
        registered_on=D(CLOSED, 2, 1),
    )
    _refused(
        cert_services.dossier_decide,
        dossier=submitted_dossier,
        user=approver,
        result="not_met",
        decision_number="9/QĐ",
        decision_date=D(CLOSED, 12, 1),
        issuing_body="UBND",
    )
    _refused(cert_services.dossier_return, dossier=submitted_dossier, user=approver, note="Sửa")
    draft = decided_dossier(OrganizationFactory(unit=unit_a), year=CLOSED)
    Dossier.objects.filter(pk=draft.pk).update(
        status=DossierStatus.DRAFT,
        result="",
        decision_number="",
        decision_date=None,
        certificate_number="",
        issuing_body="",
    )
    draft.refresh_from_db()
    _refused(cert_services.dossier_save_assessment, dossier=draft, user=official_a, answers=[])
    _refused(cert_services.dossier_submit, dossier=draft, user=official_a)
    _refused(cert_services.classification_create, user=official_a, holder=unit_a, year=CLOSED)
    rule_set = RuleSet.objects.filter(subject=RuleSet.Subject.MOVEMENT_CLASSIFICATION).first()
    sheet = MovementClassification(year=CLOSED, rule_set=rule_set, status="submitted")
    sheet.set_holder(unit_a)
    sheet.save()
    _refused(cert_services.classification_save_scores, sheet=sheet, user=approver, points={})
    _refused(cert_services.classification_approve, sheet=sheet, user=approver)
    award = Award(
        form="commendation",
        issuer="Chủ tịch UBND",
        decision_number="1/QĐ",
        decision_date=D(CLOSED, 8, 19),
        recipient_type="unit",
        recipient_unit=unit_a,
        period_start_year=CLOSED,
        period_end_year=CLOSED,
        occasion="yearly",
        reason="Thành tích",
    )
    _refused(cert_services.award_save, award=award, user=approver)
    submitted_dossier.refresh_from_db()
    assert submitted_dossier.status == DossierStatus.SUBMITTED
    assert Award.objects.count() == 0
    assert MovementClassification.objects.get().status == "submitted"
    # Reopened, the decision goes through.
    _reopen(unit_a, approver)
    cert_services.dossier_decide(
        dossier=submitted_dossier,
        user=approver,
        result="not_met",
        decision_number="9/QĐ",
        decision_date=D(CLOSED, 12, 1),
        issuing_body="UBND",
    )
    cert_services.award_save(award=award, user=approver)
    assert Award.objects.count() == 1


def test_certification_pages_and_admin_refuse_a_closed_year(
    login, client, campaign, unit_a, official_a, approver, admin_user, submitted_dossier
):
    page = login(approver).post(
        reverse("certifications:award_create"),
        {
            "form": "commendation",
            "issuer": "Chủ tịch UBND",
            "decision_number": "1/QĐ",
            "decision_date": f"{CLOSED}-08-19",
            "recipient_type": "unit",
            "recipient_unit": unit_a.pk,
            "period_start_year": CLOSED,
            "period_end_year": CLOSED,
            "occasion": "yearly",
            "reason": "Thành tích",
        },
    )
    assert page.status_code == 200 and "đã khóa sổ" in page.content.decode()
    page = login(official_a).post(
        reverse("certifications:festival_create"),
        {"unit": unit_a.pk, "year": CLOSED, "held_on": f"{CLOSED}-08-19", "participants": "300"},
    )
    assert page.status_code == 200 and "đã khóa sổ" in page.content.decode()
    assert not FestivalDay.objects.exists() and not Award.objects.exists()
    organization = OrganizationFactory(unit=unit_a)
    page = login(official_a).post(
        reverse("certifications:incident_create"),
        {
            "organization": organization.pk,
            "year": CLOSED,
            "kind": "major_theft",
            "description": "Mất trộm",
        },
    )
    assert page.status_code == 200 and "đã khóa sổ" in page.content.decode()
    assert not Incident.objects.exists()
    client.force_login(admin_user)
    url = reverse("admin:certifications_dossier_change", args=[submitted_dossier.pk])
    data = {
        key: ("" if value is None else value)
        for key, value in model_to_dict(submitted_dossier).items()
    }
    data.update(
        {
            "note": "Sửa trong trang quản trị",
            "registered_on": submitted_dossier.registered_on.isoformat(),
            "assessments-TOTAL_FORMS": "0",
            "assessments-INITIAL_FORMS": "0",
            "assessments-MIN_NUM_FORMS": "0",
            "assessments-MAX_NUM_FORMS": "1000",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200 and "đã khóa sổ" in response.content.decode()
    submitted_dossier.refresh_from_db()
    assert submitted_dossier.note == ""
    assert (
        client.post(
            reverse("admin:certifications_dossier_delete", args=[submitted_dossier.pk])
        ).status_code
        == 403
    )
    assert Dossier.objects.filter(pk=submitted_dossier.pk, status="submitted").exists()


# --- reports and the reporting calendar --------------------------------------------------------


def test_reports_of_a_closed_year_take_no_values_until_reopened(
    campaign, city, unit_a, official_a, approver
):
    indicator = IndicatorFactory()
    period = ReportingPeriod.objects.get(year=CLOSED)
    entries = {indicator.pk: Entry(Decimal(5))}
    with pytest.raises(report_services.ReportLocked):
        report_services.report_save_values(
            period=period, unit=unit_a, user=official_a, entries=entries, expected_version=0
        )
    # The import says so in its preview, row by row.
    upload = SimpleUploadedFile(
        "bao-cao.csv",
        f"year,unit_code,indicator_code,value\n{CLOSED},{unit_a.code},{indicator.code},5\n".encode(),
    )
    batch = imports.stage_upload(upload=upload, period=period, user=official_a)
    assert batch.error_count == 1
    reopening = _reopen(unit_a, approver)
    report_services.report_save_values(
        period=period, unit=unit_a, user=official_a, entries=entries, expected_version=0
    )
    assert UnitReport.objects.get(unit=unit_a).values.get().value == 5
    ward_services.year_close_again(reopening=reopening, user=approver)
    with pytest.raises(report_services.ReportLocked):
        report_services.report_save_values(
            period=period, unit=unit_a, user=official_a, entries=entries, expected_version=1
        )


def test_report_transitions_of_a_closed_year_wait_for_the_year_to_reopen(
    login, campaign, city, unit_a, official_a, approver
):
    period = ReportingPeriod.objects.get(year=CLOSED)
    submitted = UnitReport.objects.create(
        period=period,
        unit=unit_a,
        status="submitted",
        version=3,
        submitted_by=official_a,
        submitted_at=timezone.now(),
        first_submitted_at=timezone.now(),
    )
    with pytest.raises(report_services.ReportLocked):
        report_services.report_approve(report=submitted, user=approver)
    with pytest.raises(report_services.ReportLocked):
        report_services.report_return(report=submitted, user=approver, reason="Sửa")
    result = report_services.reports_bulk_approve(
        period=period, user=approver, selection={submitted.pk: 3}
    )
    assert not result.approved
    # Through the page: refused with the reason, nothing changes.
    response = login(approver).post(
        reverse("campaigns:report_approve", args=[CLOSED, unit_a.slug]),
        {"version": "3"},
        follow=True,
    )
    assert "đã khóa sổ" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    reopening = _reopen(unit_a, approver)
    approved = report_services.report_approve(report=submitted, user=approver)
    ward_services.year_close_again(reopening=reopening, user=approver)
    # Reopening the approved report of a closed year reopens the year for the unit, audited.
    report_services.report_reopen(report=approved, user=approver, reason="Sai số liệu")
    assert UnitReport.objects.get(pk=submitted.pk).status == "returned"
    latest = YearReopening.objects.open_for(unit_a).get()
    assert (latest.year, latest.reason, latest.reopened_by) == (CLOSED, "Sai số liệu", approver)


def test_the_admin_cannot_move_a_closed_periods_dates(client, campaign, admin_user):
    client.force_login(admin_user)
    period = ReportingPeriod.objects.get(year=CLOSED)
    response = client.post(
        reverse("admin:campaigns_reportingperiod_change", args=[period.pk]),
        {
            "campaign": campaign.pk,
            "year": CLOSED,
            "opens_on": "2020-01-01",
            "due_on": "2020-12-15",
            "closes_on": "2100-01-31",
        },
    )
    assert response.status_code == 200 and "đã khóa sổ" in response.content.decode()
    period.refresh_from_db()
    assert period.closes_on == D(2021, 1, 31)


# --- who reopens ---------------------------------------------------------------------------------


def test_only_an_approver_reopens_a_year_with_a_reason(
    client, login, campaign, unit_a, unit_b, official_a, approver
):
    url = reverse("wards:year_reopen", args=[unit_a.slug])
    data = {"year": CLOSED, "reason": "Sửa số liệu"}
    assert client.post(url, data).status_code == 302  # anonymous: to the login page
    assert not YearReopening.objects.exists()
    assert login(official_a).post(url, data).status_code == 403
    other = login(UserFactory(role="official", unit=unit_b))
    assert other.post(url, data).status_code == 404
    assert not YearReopening.objects.exists()
    client = login(approver)
    response = client.post(url, {"year": CLOSED, "reason": "  "}, follow=True)
    assert not YearReopening.objects.exists()
    response = client.post(url, {"year": THIS_YEAR, "reason": "x"}, follow=True)
    assert f"{THIS_YEAR} chưa khóa sổ" in response.content.decode()
    response = client.post(url, data, follow=True)
    reopening = YearReopening.objects.get()
    assert (reopening.unit, reopening.year, reopening.reopened_by) == (unit_a, CLOSED, approver)
    assert reopening.reason == "Sửa số liệu"
    assert "Sửa số liệu" in response.content.decode()  # listed on the unit's page
    close = reverse("wards:year_close_again", args=[unit_a.slug, reopening.pk])
    assert login(official_a).post(close).status_code == 403
    login(approver).post(close)
    reopening.refresh_from_db()
    assert reopening.closed_again_by == approver and not reopening.is_open


def test_reopening_needs_the_approver_scope(campaign, unit_a, official_a):
    with pytest.raises(PermissionDenied):
        _reopen(unit_a, official_a)
    with pytest.raises(ValidationError):
        ward_services.year_reopen(
            unit=unit_a, year=CLOSED, user=UserFactory(role="admin", unit=None), reason=""
        )


def test_demo_review_of_2015_2020_does_not_move(demo_sites):
    from wards.models import User

    client, before, other_model = demo_sites
    # On a day of 2021, when Phường 1 still existed (it ended in 2025 and takes no new work
    # today) and 2019 was already closed.
    with time_machine.travel(datetime.datetime(2021, 6, 1, 9, 0, tzinfo=HCM), tick=False):
        response = client.post(
            reverse("models_registry:site_create", args=[other_model.slug]),
            {
                "start_date": "2019-03-01",
                "households": "10",
                "members": "1",
                "teams": "1",
                "cameras": "0",
                "funding_state": "0",
                "funding_socialized": "0",
            },
        )
    assert response.status_code == 200 and "đã khóa sổ" in response.content.decode()
    client.force_login(User.objects.get(username="leader"))
    after = client.get("/api/v1/summary/", {"from": 2015, "to": 2020}).json()
    assert after["prevention_model_sites"] == before == 156


@pytest.fixture
def demo_sites(db, client):
    from django.core.management import call_command

    from wards.models import User

    call_command("load_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="leader"))
    summary = client.get("/api/v1/summary/", {"from": 2015, "to": 2020}).json()
    official = User.objects.get(username="phuong-1")
    client.force_login(official)
    used = set(ModelSite.objects.filter(unit=official.unit).values_list("model_id", flat=True))
    other_model = (
        PreventionModel.objects.exclude(pk__in=used)
        .filter(start_date__year__lte=2019, status="active")
        .first()
    )
    return client, summary["prevention_model_sites"], other_model


def test_an_approver_reopens_several_years_at_once(login, campaign, city, unit_a, approver):
    PeriodFactory(campaign=campaign, year=2019)
    url = reverse("wards:year_reopen", args=[unit_a.slug])
    client = login(approver)
    response = client.post(url, {"year": 2019, "until": CLOSED, "reason": "Sửa"}, follow=True)
    assert "Đã mở lại năm 2019–2020 cho Phường 1" in response.content.decode()
    assert sorted(YearReopening.objects.values_list("year", flat=True)) == [2019, CLOSED]
    # A range reaching an open year reopens nothing.
    response = client.post(url, {"year": 2019, "until": THIS_YEAR, "reason": "x"}, follow=True)
    # The first year of the range that is not closed is named (this campaign has no 2021 period).
    assert "Năm 2021 chưa khóa sổ" in response.content.decode()
    assert YearReopening.objects.count() == 2
