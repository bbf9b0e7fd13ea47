"""Lifecycle of the registry: register, replicate, review (propose and confirm grades), retire.

Each service is keyword-only, checks who may act, validates, then saves inside one transaction.
Refusals are :class:`~django.core.exceptions.ValidationError` (bad data, keyed by the argument
name when one argument is at fault) or :class:`~django.core.exceptions.PermissionDenied`.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext

from models_registry.models import (
    ModelSite,
    PreventionModel,
    SiteEvaluation,
    can_read_registry,
)
from wards import figures
from wards.models import AdministrativeUnit, ResidentialArea
from wards.scoping import can_view_unit


def _d(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _field_error(field: str, message: str, code: str) -> ValidationError:
    """A refusal shown next to ``field`` of the form (the argument of the same name)."""
    return ValidationError({field: ValidationError(message, code=code)})


def vietnamese_slug(text: str) -> str:
    """A readable ASCII slug for a Vietnamese name ("Tổ tự quản đường phố" → to-tu-quan-duong-pho).

    ``slugify`` drops "đ" (it has no decomposition), so it is mapped first.
    """
    return slugify(text.replace("đ", "d").replace("Đ", "D"))[:80].strip("-")


# --- who may act -------------------------------------------------------------------------------


def can_register_models(user) -> bool:
    """The approver (city police, standing office) and administrators register and retire models."""
    return bool(can_read_registry(user) and user.can_approve)


def can_add_site(user, unit: AdministrativeUnit) -> bool:
    """An official adds sites in their own unit; the approver in any ward or commune they see."""
    if not can_read_registry(user) or not unit.is_commune_level:
        return False
    if user.role == "official":
        return user.unit_id == unit.pk
    return user.can_approve and can_view_unit(user, unit)


def can_retire_site(user, site: ModelSite) -> bool:
    """The site's own unit (official) or the approver may retire it."""
    if not can_read_registry(user):
        return False
    if user.can_approve:
        return ModelSite.objects.visible_to(user).filter(pk=site.pk).exists()
    return ModelSite.objects.editable_by(user).filter(pk=site.pk).exists()


# --- register and replicate -----------------------------------------------------------------------


@transaction.atomic
def register_model(
    *,
    user,
    name: str,
    category: str,
    lead_organisation: str,
    origin_unit: AdministrativeUnit,
    start_date: datetime.date,
    description: str = "",
    slug: str = "",
) -> PreventionModel:
    """Register a new model and its first site, in the unit where it started.

    The approver only. The slug defaults to the name without diacritics.
    """
    if not can_register_models(user):
        raise PermissionDenied(gettext("Only the city approver registers new models."))
    if not origin_unit.is_commune_level:
        raise _field_error(
            "origin_unit",
            gettext("A model starts in a ward or commune."),
            "not_commune",
        )
    model = PreventionModel(
        name=name.strip(),
        slug=slug or vietnamese_slug(name),
        category=category,
        lead_organisation=lead_organisation,
        origin_unit=origin_unit,
        start_date=start_date,
        description=description,
    )
    model.full_clean()
    model.save()
    _create_site(model=model, unit=origin_unit, start_date=start_date)
    figures.bump()  # the dashboard and API show these figures
    return model


def _existing_site_error(
    model: PreventionModel, unit: AdministrativeUnit, since
) -> ValidationError:
    return _field_error(
        "unit",
        gettext(
            "%(unit)s already has a site of the model “%(model)s” (since %(since)s). "
            "A unit has one site per model; edit that site instead, or retire it first."
        )
        % {"unit": unit.name, "model": model.name, "since": _d(since) if since else "…"},
        "already_replicated",
    )


def _create_site(*, model: PreventionModel, unit: AdministrativeUnit, **fields) -> ModelSite:
    site = ModelSite(model=model, unit=unit, **fields)
    site.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError as exc:  # another request created it meanwhile: same answer as above
        raise _existing_site_error(model, unit, None) from exc
    return site


@transaction.atomic
def replicate_model(
    *,
    user,
    model: PreventionModel,
    unit: AdministrativeUnit,
    start_date: datetime.date,
    residential_area: ResidentialArea | None = None,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    households: int = 0,
    members: int = 0,
    teams: int = 0,
    cameras: int = 0,
    funding_state: int = 0,
    funding_socialized: int = 0,
    note: str = "",
) -> ModelSite:
    """Replicate ``model`` to ``unit``: create a site there ("đăng ký điểm", "nhân rộng").

    Refused when the unit already has an active site of the model (a unique constraint backs
    this), when the model is retired, and when a retired site of the model in that unit was still
    running on ``start_date``.
    """
    if not can_add_site(user, unit):
        raise PermissionDenied(gettext("You may not add a site in this unit."))
    if model.retired_on and model.retired_on <= start_date:
        raise _field_error(
            "start_date",
            gettext("The model “%(model)s” was retired on %(day)s.")
            % {"model": model.name, "day": _d(model.retired_on)},
            "model_retired",
        )
    existing = list(
        ModelSite.objects.select_for_update().filter(model=model, unit=unit).order_by("start_date")
    )
    active = next((s for s in existing if s.status == ModelSite.Status.ACTIVE), None)
    if active:
        raise _existing_site_error(model, unit, active.start_date)
    overlapping = next((s for s in existing if s.retired_on and s.retired_on > start_date), None)
    if overlapping:
        raise _field_error(
            "start_date",
            gettext(
                "The earlier site in this unit ran until %(day)s; a new site starts on or "
                "after that day."
            )
            % {"day": _d(overlapping.retired_on)},
            "overlaps_retired_site",
        )
    figures.bump()  # the dashboard and API show these figures
    return _create_site(
        model=model,
        unit=unit,
        start_date=start_date,
        residential_area=residential_area,
        decision_number=decision_number,
        decision_date=decision_date,
        households=households,
        members=members,
        teams=teams,
        cameras=cameras,
        funding_state=funding_state,
        funding_socialized=funding_socialized,
        note=note,
    )


# --- review: propose and confirm yearly grades ------------------------------------------------


@transaction.atomic
def propose_evaluation(
    *,
    user,
    site: ModelSite,
    year: int,
    grade: str,
    tip_offs: int = 0,
    cases_solved: int = 0,
    mediations: int = 0,
    patrols: int = 0,
    notes: str = "",
    today: datetime.date | None = None,
) -> SiteEvaluation:
    """The site's unit proposes (or revises its proposal of) the grade and results of a year.

    Officials of the site's own unit (and administrators) only. A confirmed evaluation can no
    longer be changed by the unit.
    """
    if not ModelSite.objects.editable_by(user).filter(pk=site.pk).exists() or not (
        user.role == "official" or user.is_admin_role
    ):
        raise PermissionDenied(gettext("Only the site's own unit proposes its evaluation."))
    today = today or timezone.localdate()
    allowed = site.evaluation_years(today)
    if year not in allowed:
        raise _field_error(
            "year",
            gettext(
                "The site can be graded for %(first)s–%(last)s only (while it ran and its "
                "unit existed)."
            )
            % {"first": allowed[0], "last": allowed[-1]}
            if allowed
            else gettext("The site cannot be graded yet."),
            "year_out_of_range",
        )
    evaluation = (
        SiteEvaluation.objects.select_for_update().filter(site=site, year=year).first()
    ) or SiteEvaluation(site=site, year=year)
    if evaluation.is_confirmed:
        raise _field_error(
            "year",
            gettext(
                "The evaluation of %(year)s was already confirmed by the city; it can no "
                "longer be changed."
            )
            % {"year": year},
            "already_confirmed",
        )
    evaluation.grade = grade
    evaluation.tip_offs = tip_offs
    evaluation.cases_solved = cases_solved
    evaluation.mediations = mediations
    evaluation.patrols = patrols
    evaluation.notes = notes
    evaluation.status = SiteEvaluation.Status.PROPOSED
    evaluation.proposed_by = user
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def confirm_evaluation(
    *, user, evaluation: SiteEvaluation, grade: str | None = None
) -> SiteEvaluation:
    """The approver confirms a proposed evaluation, optionally with a different grade."""
    if not can_register_models(user):
        raise PermissionDenied(gettext("Only the city approver confirms grades."))
    evaluation = (
        SiteEvaluation.objects.visible_to(user)
        # The scope filter joins the unit's parents: lock the evaluation row only.
        .select_for_update(of=("self",))
        .filter(pk=evaluation.pk)
        .first()
    )
    if evaluation is None:
        raise PermissionDenied(gettext("This evaluation is outside your scope."))
    if evaluation.is_confirmed:
        raise ValidationError(
            gettext("This evaluation was already confirmed."), code="already_confirmed"
        )
    if grade:
        evaluation.grade = grade
    evaluation.status = SiteEvaluation.Status.CONFIRMED
    evaluation.confirmed_by = user
    evaluation.confirmed_at = timezone.now()
    evaluation.full_clean()
    evaluation.save()
    return evaluation


# --- retire --------------------------------------------------------------------------------------


def _check_retirement(
    *, retired_on: datetime.date | None, reason: str, start_date: datetime.date
) -> None:
    errors = {}
    if retired_on is None:
        errors["retired_on"] = ValidationError(
            gettext("Enter the date it stopped running."), code="required"
        )
    elif retired_on < start_date:
        errors["retired_on"] = ValidationError(
            gettext("The retirement date cannot be before the start date (%(start)s).")
            % {"start": _d(start_date)},
            code="before_start",
        )
    if not reason.strip():
        errors["reason"] = ValidationError(gettext("Say why it is retired."), code="required")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def retire_site(*, user, site: ModelSite, retired_on: datetime.date, reason: str) -> ModelSite:
    """Retire a site ("thanh loại") from ``retired_on``, the first day it no longer runs."""
    if not can_retire_site(user, site):
        raise PermissionDenied(gettext("You may not retire this site."))
    site = ModelSite.objects.select_for_update().get(pk=site.pk)
    if site.status == ModelSite.Status.RETIRED:
        raise _field_error(
            "retired_on",
            gettext("This site was already retired on %(day)s.") % {"day": _d(site.retired_on)},
            "already_retired",
        )
    _check_retirement(retired_on=retired_on, reason=reason, start_date=site.start_date)
    later = site.evaluations.filter(year__gt=retired_on.year).order_by("year").first()
    if later:
        raise _field_error(
            "retired_on",
            gettext(
                "The site has an evaluation for %(year)s; it cannot be retired before that year."
            )
            % {"year": later.year},
            "graded_after_retirement",
        )
    site.status = ModelSite.Status.RETIRED
    site.retired_on = retired_on
    site.retire_reason = reason.strip()
    site.full_clean()
    site.save()
    figures.bump()  # the dashboard and API show these figures
    return site


@transaction.atomic
def retire_model(
    *, user, model: PreventionModel, retired_on: datetime.date, reason: str
) -> PreventionModel:
    """Retire a model and, from the same day, every site of it still running (approver only)."""
    if not can_register_models(user):
        raise PermissionDenied(gettext("Only the city approver retires models."))
    model = PreventionModel.objects.select_for_update().get(pk=model.pk)
    if model.status == PreventionModel.Status.RETIRED:
        raise _field_error(
            "retired_on",
            gettext("This model was already retired on %(day)s.") % {"day": _d(model.retired_on)},
            "already_retired",
        )
    _check_retirement(retired_on=retired_on, reason=reason, start_date=model.start_date)
    sites = list(model.sites.select_for_update().filter(status=ModelSite.Status.ACTIVE))
    late = [s for s in sites if s.start_date > retired_on]
    if late:
        raise _field_error(
            "retired_on",
            gettext(
                "%(unit)s started its site on %(day)s, after this date; retire the model on "
                "or after that day."
            )
            % {"unit": late[0].unit.name, "day": _d(late[0].start_date)},
            "site_starts_later",
        )
    model.status = PreventionModel.Status.RETIRED
    model.retired_on = retired_on
    model.retire_reason = reason.strip()
    model.full_clean()
    model.save()
    site_reason = gettext("The model was retired: %(reason)s") % {"reason": model.retire_reason}
    for site in sites:
        site.status = ModelSite.Status.RETIRED
        site.retired_on = retired_on
        site.retire_reason = site_reason
        site.save()
    figures.bump()  # the dashboard and API show these figures
    return model
