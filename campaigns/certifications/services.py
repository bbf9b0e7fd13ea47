"""Workflows of the certifications app: keyword-only, validated, atomic.

Each function checks who may do it and what state allows it, raises ``ValidationError`` (shown
next to the form) or ``PermissionDenied`` (403), then saves inside one transaction.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from campaigns import notifications
from campaigns.certifications import counts, permissions
from campaigns.certifications.models import (
    Award,
    AwardForm,
    CertificationKind,
    ClassificationScore,
    Criterion,
    CriterionAssessment,
    Dossier,
    DossierStatus,
    FestivalDay,
    Incident,
    MovementClassification,
    Person,
    Result,
    RuleSet,
    ScoringItem,
    holder_kind_of,
    holder_type_of,
    owning_unit_of,
)
from campaigns.certifications.selectors import eligibility, evaluate_dossier
from campaigns.certifications.validators import validate_attachment
from wards import closure, figures
from wards.models import AdministrativeUnit, Organization, ResidentialArea
from wards.periods import ended_message, is_open_for_work, reference_day
from wards.scoping import can_edit_unit


class DossierChanged(ValidationError):
    """The dossier changed after the page that asked for this action was opened."""

    def __init__(self):
        super().__init__(
            gettext(
                "Someone else changed this dossier after you opened it (another decision or a "
                "return). Nothing was changed: reload the dossier to see where it stands."
            ),
            code="dossier_changed",
        )


def _lock_dossier(dossier: Dossier, expected_version: int | None) -> Dossier:
    """The dossier's row, locked until the transaction ends, at the version the page showed."""
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("unit", "holder_unit", "residential_area", "organization")
        .get(pk=dossier.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise DossierChanged()
    return locked


# --- closed years -----------------------------------------------------------------------------
# Every record here is dated in one year of one unit (see wards.closure): a dossier and its
# decision, a scoring sheet, an award (by its decision date), a Ngày hội, an incident. Once that
# year is closed for the unit, nothing of it changes unless an approver reopens the year.


def dated_in(row) -> tuple[AdministrativeUnit | None, int | None]:
    """The unit and year a certifications record counts in."""
    if isinstance(row, CriterionAssessment):
        row = row.dossier
    elif isinstance(row, ClassificationScore):
        row = row.classification
    if isinstance(row, Award):
        return (
            row.unit if row.unit_id else None,
            row.decision_date.year if row.decision_date else None,
        )
    if isinstance(row, Incident):
        return (row.organization.unit if row.organization_id else None), row.year
    return (row.unit if row.unit_id else None), row.year


def ensure_open(*, old=None, new=None, field: str | None = None) -> None:
    """Refuse a change (``old`` → ``new``; either None for a creation or deletion) of a record
    of a closed year."""
    touched: closure.Touched = {}
    for row in (old, new):
        if row is not None:
            unit, year = dated_in(row)
            closure.touch(touched, unit, [year] if year else [])
    closure.ensure_footprint_open(touched, field=field)


def _holder_unit(holder) -> AdministrativeUnit:
    return holder if isinstance(holder, AdministrativeUnit) else holder.unit


def stored(row):
    """The row as stored before this change (None for a new one)."""
    return type(row).objects.filter(pk=row.pk).first() if row.pk else None


def _holder_editable(user, holder) -> bool:
    """Officials prepare dossiers for their own unit, its residential areas (only the ones
    assigned to them, if any) and its organisations; the approver for the city's own holders."""
    model = type(holder)
    if model is AdministrativeUnit:
        return can_edit_unit(user, holder)
    return model.objects.editable_by(user).filter(pk=holder.pk).exists()


def check_open_for_work(*, holder, year: int) -> None:
    """New work (a dossier, a scoring sheet) only for holders of a unit valid in ``year`` that
    still exists today; a residential area or organisation must itself be current."""
    unit = owning_unit_of(holder)
    if not is_open_for_work(unit, year):
        raise ValidationError(
            {"year": ValidationError(ended_message(unit), code="unit_closed")},
        )
    closed = False
    if isinstance(holder, ResidentialArea):
        day = reference_day(year)
        closed = (holder.valid_to is not None and holder.valid_to < day) or (
            holder.valid_from is not None and holder.valid_from > day
        )
    elif isinstance(holder, Organization):
        closed = not holder.is_active
    if closed:
        raise ValidationError(
            {
                "year": ValidationError(
                    gettext("%(holder)s is no longer active; no new work can be recorded for it.")
                    % {"holder": holder.name},
                    code="holder_closed",
                )
            }
        )


def check_registration_date(*, registered_on: datetime.date, year: int) -> None:
    """Registration to strive for the title happens in Q1 of the assessed year."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 3, 31)
    if not first <= registered_on <= last:
        raise ValidationError(
            {
                "registered_on": ValidationError(
                    gettext(
                        "The registration date must fall in the first quarter of %(year)s "
                        "(from %(first)s to %(last)s)."
                    ),
                    code="registration_not_in_q1",
                    params={
                        "year": year,
                        "first": first.strftime("%d/%m/%Y"),
                        "last": last.strftime("%d/%m/%Y"),
                    },
                )
            }
        )
    if registered_on > timezone.localdate():
        raise ValidationError(
            {
                "registered_on": ValidationError(
                    gettext("The registration date cannot be in the future."),
                    code="registration_in_future",
                )
            }
        )


@transaction.atomic
def dossier_create(
    *,
    user,
    holder: AdministrativeUnit | ResidentialArea | Organization,
    kind: str,
    year: int,
    registered_on: datetime.date,
    note: str = "",
) -> Dossier:
    """Open a dossier for ``holder``, title ``kind`` and ``year`` under the rule set in force,
    with one empty self-assessment row per criterion."""
    if not _holder_editable(user, holder):
        raise PermissionDenied
    check_open_for_work(holder=holder, year=year)
    closure.ensure_years_open(_holder_unit(holder), [year], field="year")
    found = eligibility(holder=holder, kind=kind, year=year)
    if not found.eligible:
        raise ValidationError(found.reasons, code="not_eligible")
    check_registration_date(registered_on=registered_on, year=year)
    dossier = Dossier(
        kind=kind,
        year=year,
        rule_set=found.rule_set,
        registered_on=registered_on,
        note=note,
        created_by=user,
    )
    dossier.set_holder(holder)
    holder_column = {
        "unit": "holder_unit",
        "residential_area": "residential_area",
        "organization": "organization",
    }[dossier.holder_type]
    duplicate = Dossier.objects.select_for_update().filter(
        **{holder_column: holder}, kind=kind, year=year
    )
    if duplicate.exists():
        raise ValidationError(
            gettext("%(holder)s already has a dossier for “%(title)s” in %(year)s.")
            % {"holder": holder.name, "title": CertificationKind(kind).label, "year": year},
            code="duplicate_dossier",
        )
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError as error:  # a concurrent request created it first
        raise ValidationError(
            gettext("%(holder)s already has a dossier for “%(title)s” in %(year)s.")
            % {"holder": holder.name, "title": CertificationKind(kind).label, "year": year},
            code="duplicate_dossier",
        ) from error
    criteria = Criterion.objects.filter(rule_set=found.rule_set, holder_kind=holder_kind_of(holder))
    bulk_create_with_history(
        [CriterionAssessment(dossier=dossier, criterion=c) for c in criteria],
        CriterionAssessment,
        default_user=user,
    )
    dossier.proposed_result = evaluate_dossier(dossier).result
    dossier.save(update_fields=["proposed_result", "updated_at"])
    return dossier


def _require_editable(*, dossier: Dossier, user) -> None:
    if not Dossier.objects.editable_by(user).filter(pk=dossier.pk).exists():
        raise PermissionDenied
    ensure_open(old=dossier)
    if dossier.status != DossierStatus.DRAFT:
        raise ValidationError(
            gettext("This dossier has been submitted and can no longer be changed."),
            code="not_draft",
        )


@dataclass
class AssessmentAnswer:
    """What the preparer says about one criterion of the dossier (by assessment id);
    ``attachment`` is a new file, False to remove the current one, or None to keep it."""

    assessment_id: int
    met: bool | None
    evidence: str = ""
    attachment: UploadedFile | bool | None = None


@transaction.atomic
def dossier_save_assessment(*, dossier: Dossier, user, answers: list[AssessmentAnswer]) -> Dossier:
    """Save the self-assessment and recompute the proposed result.

    Files replaced or removed are deleted from storage only once the transaction commits, so a
    failed save loses nothing.
    """
    dossier = _lock_dossier(dossier, None)
    _require_editable(dossier=dossier, user=user)
    stored = {a.pk: a for a in dossier.assessments.select_related("criterion")}
    obsolete: list[str] = []
    for answer in answers:
        assessment = stored.get(answer.assessment_id)
        if assessment is None:
            raise PermissionDenied
        # Computed criteria take their value from data, not from the preparer.
        assessment.met = None if assessment.criterion.is_computed else answer.met
        assessment.evidence = answer.evidence
        if answer.attachment is False or isinstance(answer.attachment, UploadedFile):
            if assessment.attachment:
                obsolete.append(assessment.attachment.name)
            assessment.attachment = ""
        if isinstance(answer.attachment, UploadedFile):
            validate_attachment(answer.attachment)
            assessment.attachment = answer.attachment
        assessment.save()
    dossier.proposed_result = evaluate_dossier(dossier).result
    dossier.version += 1
    dossier.save(update_fields=["proposed_result", "version", "updated_at"])
    if obsolete:
        storage = CriterionAssessment._meta.get_field("attachment").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in obsolete])
    return dossier


@transaction.atomic
def dossier_submit(*, dossier: Dossier, user) -> Dossier:
    """Send the dossier for decision once every yes/no criterion is answered."""
    dossier = _lock_dossier(dossier, None)
    _require_editable(dossier=dossier, user=user)
    evaluation = evaluate_dossier(dossier)
    if evaluation.unanswered:
        raise ValidationError(
            gettext("Assess every criterion before submitting (missing: %(codes)s).")
            % {"codes": ", ".join(o.criterion.code for o in evaluation.unanswered)},
            code="unanswered",
        )
    dossier.status = DossierStatus.SUBMITTED
    dossier.proposed_result = evaluation.result
    dossier.submitted_at = timezone.now()
    dossier.submitted_by = user
    dossier.return_note = ""
    dossier.version += 1
    dossier.save()
    notifications.dossier_submitted(dossier, actor=user)
    return dossier


def _require_decider(*, dossier: Dossier, user) -> None:
    visible = Dossier.objects.visible_to(user).filter(pk=dossier.pk)
    if not permissions.can_decide_dossiers(user) or not visible.exists():
        raise PermissionDenied
    ensure_open(old=dossier)
    if dossier.status != DossierStatus.SUBMITTED:
        raise ValidationError(
            gettext("Only a submitted dossier can be decided or returned."), code="not_submitted"
        )


@transaction.atomic
def dossier_decide(
    *,
    dossier: Dossier,
    user,
    result: str,
    decision_number: str,
    decision_date: datetime.date,
    issuing_body: str,
    certificate_number: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Record the recognition decision (approver only). "Đạt" needs every criterion met and a
    certificate number; the decision cannot predate the registration.

    The row is locked and its version checked, like a report's approval: of two approvers
    deciding the same dossier at once, the second is told it changed (:class:`DossierChanged`).
    """
    dossier = _lock_dossier(dossier, expected_version)
    _require_decider(dossier=dossier, user=user)
    errors: dict[str, list[ValidationError]] = {}
    if decision_date < dossier.registered_on:
        errors.setdefault("decision_date", []).append(
            ValidationError(
                gettext("The decision date cannot be before the registration date (%(date)s)."),
                code="decision_before_registration",
                params={"date": dossier.registered_on.strftime("%d/%m/%Y")},
            )
        )
    if decision_date > timezone.localdate():
        errors.setdefault("decision_date", []).append(
            ValidationError(
                gettext("The decision date cannot be in the future."), code="decision_in_future"
            )
        )
    evaluation = evaluate_dossier(dossier)
    if result == Result.MET:
        if evaluation.failing:
            errors.setdefault("result", []).append(
                ValidationError(
                    gettext(
                        "Cannot recognise the title: criteria %(codes)s are not met. Decide "
                        "“not met” or return the dossier for correction."
                    ),
                    code="criteria_not_met",
                    params={"codes": evaluation.failing_codes},
                )
            )
        if not certificate_number.strip():
            errors.setdefault("certificate_number", []).append(
                ValidationError(
                    gettext("A recognised title needs its certificate number."),
                    code="certificate_number_required",
                )
            )
    elif result != Result.NOT_MET:
        errors.setdefault("result", []).append(
            ValidationError(gettext("Choose met or not met."), code="invalid_result")
        )
    if errors:
        raise ValidationError(errors)
    dossier.status = DossierStatus.DECIDED
    dossier.result = result
    dossier.proposed_result = evaluation.result
    dossier.decision_number = decision_number.strip()
    dossier.decision_date = decision_date
    dossier.issuing_body = issuing_body.strip() or dossier.default_issuing_body()
    dossier.certificate_number = certificate_number.strip() if result == Result.MET else ""
    dossier.decided_at = timezone.now()
    dossier.decided_by = user
    dossier.version += 1
    dossier.save()
    # A submitted dossier held no title: the decision only adds (a "đạt" one).
    counts.apply(Counter(), counts.keys_of_dossier(dossier))
    figures.bump()  # the dashboard and API show these figures
    notifications.dossier_decided(dossier, actor=user)
    return dossier


@transaction.atomic
def dossier_return(
    *, dossier: Dossier, user, note: str, expected_version: int | None = None
) -> Dossier:
    """Send a submitted dossier back to its preparer with the reason (approver only)."""
    dossier = _lock_dossier(dossier, expected_version)
    _require_decider(dossier=dossier, user=user)
    if not note.strip():
        raise ValidationError(
            {"note": gettext("Say what needs correcting.")}, code="return_note_required"
        )
    dossier.status = DossierStatus.DRAFT
    dossier.return_note = note.strip()
    dossier.submitted_at = None
    dossier.version += 1
    dossier.save()
    notifications.dossier_returned(dossier, actor=user)
    return dossier


# --- movement classification -----------------------------------------------------------------


@transaction.atomic
def classification_create(*, user, holder, year: int) -> MovementClassification:
    """Open a scoring sheet for ``holder`` and ``year`` with the items of the sheet in force."""
    if not _holder_editable(user, holder):
        raise PermissionDenied
    check_open_for_work(holder=holder, year=year)
    closure.ensure_years_open(_holder_unit(holder), [year], field="year")
    holder_kind = holder_kind_of(holder)
    rule_set = RuleSet.objects.governing(RuleSet.Subject.MOVEMENT_CLASSIFICATION, year, holder_kind)
    if rule_set is None:
        raise ValidationError(
            gettext("No scoring sheet is in force for %(holder)s in %(year)s.")
            % {"holder": holder.name, "year": year},
            code="no_sheet",
        )
    items = list(ScoringItem.objects.filter(rule_set=rule_set, holder_kind=holder_kind))
    if not items:
        raise ValidationError(
            gettext("The scoring sheet has no items for this kind of holder yet."),
            code="no_items",
        )
    column = {
        "unit": "holder_unit",
        "residential_area": "residential_area",
        "organization": "organization",
    }[holder_type_of(holder)]
    if MovementClassification.objects.filter(**{column: holder}, year=year).exists():
        raise ValidationError(
            gettext("%(holder)s already has a scoring sheet for %(year)s.")
            % {"holder": holder.name, "year": year},
            code="duplicate_classification",
        )
    sheet = MovementClassification(year=year, rule_set=rule_set, created_by=user)
    sheet.set_holder(holder)
    sheet.save()
    bulk_create_with_history(
        [
            ClassificationScore(classification=sheet, item=item, max_points=item.max_points)
            for item in items
        ],
        ClassificationScore,
        default_user=user,
    )
    figures.bump()  # the dashboard and API show these figures
    return sheet


def _check_points(score: ClassificationScore, points: Decimal | None, field: str) -> None:
    if points is not None and not Decimal(0) <= points <= score.max_points:
        raise ValidationError(
            {
                field: ValidationError(
                    gettext("Item %(code)s: points must be between 0 and %(max)s."),
                    code="points_out_of_range",
                    params={"code": score.item.code, "max": score.max_points},
                )
            }
        )


@transaction.atomic
def classification_save_scores(
    *, sheet: MovementClassification, user, points: dict[int, tuple[Decimal | None, str]]
) -> MovementClassification:
    """Save points per score id: the preparer's own points while in draft, the approver's
    approved points once submitted."""
    approving = sheet.status == MovementClassification.Status.SUBMITTED
    if approving:
        if not permissions.can_approve_classifications(user) or not (
            MovementClassification.objects.visible_to(user).filter(pk=sheet.pk).exists()
        ):
            raise PermissionDenied
    elif sheet.status == MovementClassification.Status.DRAFT:
        if not MovementClassification.objects.editable_by(user).filter(pk=sheet.pk).exists():
            raise PermissionDenied
    else:
        raise ValidationError(gettext("This sheet is approved."), code="approved")
    ensure_open(old=sheet)
    field = "approved_points" if approving else "self_points"
    scores = {s.pk: s for s in sheet.scores.select_related("item")}
    for score_id, (value, note) in points.items():
        score = scores.get(score_id)
        if score is None:
            raise PermissionDenied
        _check_points(score, value, field)
        setattr(score, field, value)
        score.note = note
    bulk_update_with_history(
        list(scores.values()), ClassificationScore, [field, "note"], default_user=user
    )
    figures.bump()  # the dashboard and API show these figures
    return sheet


Points = dict[int, tuple[Decimal | None, str]]


@transaction.atomic
def classification_submit(
    *, sheet: MovementClassification, user, points: Points | None = None
) -> MovementClassification:
    """Send the sheet for approval; ``points`` (the page's, per score id) are saved first."""
    if not MovementClassification.objects.editable_by(user).filter(pk=sheet.pk).exists():
        raise PermissionDenied
    if points is not None:
        classification_save_scores(sheet=sheet, user=user, points=points)
    if sheet.status != MovementClassification.Status.DRAFT:
        raise ValidationError(gettext("This sheet was already submitted."), code="not_draft")
    ensure_open(old=sheet)
    if sheet.scores.filter(self_points__isnull=True).exists():
        raise ValidationError(
            gettext("Give points for every item before submitting."), code="unscored"
        )
    sheet.status = MovementClassification.Status.SUBMITTED
    sheet.save(update_fields=["status", "updated_at"])
    figures.bump()  # the dashboard and API show these figures
    return sheet


@transaction.atomic
def classification_approve(
    *, sheet: MovementClassification, user, points: Points | None = None
) -> MovementClassification:
    """Approve the sheet; ``points`` (the approver's, as on the page) are saved first, in the
    same transaction; items the approver left empty keep the self-assessed points."""
    if not permissions.can_approve_classifications(user) or not (
        MovementClassification.objects.visible_to(user).filter(pk=sheet.pk).exists()
    ):
        raise PermissionDenied
    if points is not None:
        classification_save_scores(sheet=sheet, user=user, points=points)
    if sheet.status != MovementClassification.Status.SUBMITTED:
        raise ValidationError(gettext("Only a submitted sheet can be approved."), code="state")
    ensure_open(old=sheet)
    # From the database, not a prefetched list: the points saved just above must count.
    scores = list(ClassificationScore.objects.filter(classification=sheet))
    for score in scores:
        if score.approved_points is None:
            score.approved_points = score.self_points
    bulk_update_with_history(scores, ClassificationScore, ["approved_points"], default_user=user)
    sheet.status = MovementClassification.Status.APPROVED
    sheet.approved_by = user
    sheet.approved_at = timezone.now()
    sheet.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    figures.bump()  # the dashboard and API show these figures
    notifications.classification_approved(sheet, actor=user)
    return sheet


# --- awards ------------------------------------------------------------------------------


def award_owning_unit(award: Award) -> AdministrativeUnit:
    """The unit whose users see the award: the recipient unit, or the recipient's unit."""
    recipient = award.recipient
    if recipient is None:
        raise ValidationError(gettext("Choose the recipient."), code="no_recipient")
    if award.recipient_type == Award.RecipientType.UNIT:
        return recipient
    return recipient.unit


@transaction.atomic
def award_save(*, award: Award, user) -> Award:
    """Record or correct an award (approver only); the medal goes to a person once."""
    if not permissions.can_manage_awards(user):
        raise PermissionDenied
    award.unit = award_owning_unit(award)
    ensure_open(old=stored(award), new=award, field="decision_date")
    if (
        award.form == AwardForm.COMMEMORATIVE_MEDAL
        and award.recipient_person_id
        and Award.objects.filter(
            form=AwardForm.COMMEMORATIVE_MEDAL, recipient_person_id=award.recipient_person_id
        )
        .exclude(pk=award.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "recipient_person": gettext(
                    "This person has already received the commemorative medal “Bảo vệ an "
                    "ninh Tổ quốc”; it is given only once."
                )
            },
            code="medal_once",
        )
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError as error:
        raise ValidationError(
            {"recipient_person": gettext("This person has already received the medal.")},
            code="medal_once",
        ) from error
    return award


@transaction.atomic
def person_create(*, person: Person, user) -> Person:
    """Add a person who may receive awards (approvers only)."""
    if not permissions.can_manage_awards(user):
        raise PermissionDenied
    person.save()
    return person


@transaction.atomic
def festival_save(
    *,
    festival: FestivalDay,
    user,
    showcase_areas: Iterable[ResidentialArea],
    showcase_sites: Iterable,
) -> FestivalDay:
    """Record or correct a unit's Ngày hội with its showcase areas and model sites."""
    if not can_edit_unit(user, festival.unit):
        raise PermissionDenied
    ensure_open(old=stored(festival), new=festival)
    festival.save()
    festival.showcase_areas.set(showcase_areas)
    festival.showcase_sites.set(showcase_sites)
    return festival


@transaction.atomic
def incident_record(*, incident: Incident, user) -> Incident:
    """Record an incident of an organisation the user may edit (it flags the title at risk)."""
    if not can_edit_unit(user, incident.organization.unit):
        raise PermissionDenied
    ensure_open(new=incident, field="year")
    incident.save()
    return incident
