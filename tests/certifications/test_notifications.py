"""Dossiers and classification sheets notify the other side when they move on."""

import datetime
from decimal import Decimal

import pytest

from campaigns.certifications import services
from wards.models import Notification

pytestmark = pytest.mark.django_db
D = datetime.date


def _notes(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", "text", "url"))


@pytest.fixture
def submitted(official_a, area_a, approver):
    dossier = services.dossier_create(
        user=official_a, holder=area_a, kind="antt_safe", year=2021, registered_on=D(2021, 2, 15)
    )
    dossier.assessments.filter(criterion__kind="yes_no").update(met=True, evidence="Biên bản")
    return services.dossier_submit(dossier=dossier, user=official_a)


def test_submitted_dossier_tells_the_approvers_not_other_units(
    submitted, approver, official_a, official_b
):
    (note,) = _notes(approver)
    assert note[0] == "dossier_submitted"
    assert note[1] == f"Hồ sơ đề nghị công nhận đã nộp: {submitted}."
    assert note[2] == submitted.get_absolute_url()
    assert _notes(official_a) == [] and _notes(official_b) == []


def test_decision_and_return_tell_the_unit(submitted, approver, official_a, official_b):
    services.dossier_return(dossier=submitted, user=approver, note="Thiếu biên bản họp.")
    assert _notes(official_a)[0][:2] == (
        "dossier_returned",
        f"Hồ sơ bị trả lại để bổ sung: {submitted} — Thiếu biên bản họp.",
    )
    services.dossier_submit(dossier=submitted, user=official_a)
    services.dossier_decide(
        dossier=submitted,
        user=approver,
        result="met",
        decision_number="45/QĐ-UBND",
        decision_date=D(2021, 11, 20),
        issuing_body="Ủy ban nhân dân Phường 1",
        certificate_number="12/GCN",
    )
    kind, text, _url = _notes(official_a)[0]
    assert kind == "dossier_decided"
    assert text == f"Hồ sơ đã có quyết định: {submitted} — Đạt."
    assert _notes(official_b) == []
    assert [k for k, _t, _u in _notes(approver)] == ["dossier_submitted", "dossier_submitted"]


def test_refused_decision_leaves_no_notification(submitted, approver, official_a):
    with pytest.raises(services.ValidationError):
        services.dossier_decide(
            dossier=submitted,
            user=approver,
            result="met",
            decision_number="1",
            decision_date=D(2020, 1, 1),  # before the registration
            issuing_body="",
            certificate_number="1",
        )
    assert _notes(official_a) == []


def test_approved_classification_tells_the_unit(official_a, official_b, approver, unit_a):
    sheet = services.classification_create(user=official_a, holder=unit_a, year=2020)
    sheet.scores.update(self_points=Decimal(1))
    services.classification_submit(sheet=sheet, user=official_a)
    services.classification_approve(sheet=sheet, user=approver)
    (note,) = _notes(official_a)
    assert note[0] == "classification_approved"
    assert note[1].startswith(f"Đã duyệt phân loại phong trào: {sheet} — ")
    assert note[2] == sheet.get_absolute_url()
    assert _notes(official_b) == []
