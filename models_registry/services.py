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

from models_registry import counts
from models_registry.models import (
    ExemplaryYear,
    ModelSite,
    PreventionModel,
    SiteEvaluation,
)
from models_registry.permissions import (
    can_add_site_in_scope,
    can_confirm_grades,
    can_propose_grades,
    can_register_models,
    can_retire_site,
)
from wards import closure, figures, periods
from wards.models import AdministrativeUnit, ResidentialArea, UnitChange
from wards.periods import ended_message


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


# --- closed years ------------------------------------------------------------------------------
# What a change alters, as unit → years (see wards.closure): the registry's figures of a closed
# year (sites counted, cameras, funding, grades) never move unless the year is reopened.

# Facts that no figure reads: correcting them touches no year.
_LABEL_FIELDS = {"name", "slug", "description", "note", "decision_number", "decision_date"}
_RETIRE_FIELDS = {"status", "retired_on", "retire_reason"}
SITE_FIELDS = [
    "model_id",
    "unit_id",
    "residential_area_id",
    "decision_number",
    "decision_date",
    "start_date",
    "households",
    "members",
    "teams",
    "cameras",
    "funding_state",
    "funding_socialized",
    "note",
    "status",
    "retired_on",
    "retire_reason",
]
MODEL_FIELDS = [
    "name",
    "slug",
    "category",
    "lead_organisation",
    "origin_unit_id",
    "start_date",
    "description",
    "status",
    "retired_on",
    "retire_reason",
]


def _span(start: datetime.date | None, retired_on: datetime.date | None) -> range:
    """The years a site or model counts in: from its start until it stopped (or today)."""
    return closure.years_between(start, retired_on)


def _retirement_years(old, new) -> range:
    """A retirement (or its correction) alters the years from the earliest date involved on."""
    dates = [d for d in (old.retired_on, new.retired_on) if d is not None]
    return closure.years_between(min(dates), None) if dates else range(0)


def _footprint(old, new, fields: list[str], units) -> closure.Touched:
    touched: closure.Touched = {}
    if old is None or new is None:
        row = new or old
        for unit in units(row):
            closure.touch(touched, unit, _span(row.start_date, row.retired_on))
        return touched
    changed = closure.changed_fields(old, new, fields)
    if not changed - _LABEL_FIELDS:
        return touched
    if not changed - _LABEL_FIELDS - _RETIRE_FIELDS:
        for unit in units(old) | units(new):
            closure.touch(touched, unit, _retirement_years(old, new))
        return touched
    for row in (old, new):
        for unit in units(row):
            closure.touch(touched, unit, _span(row.start_date, row.retired_on))
    return touched


def site_footprint(old: ModelSite | None, new: ModelSite | None) -> closure.Touched:
    """Unit → years a change of a site alters (``old``/``new`` None for a creation/deletion)."""
    return _footprint(old, new, SITE_FIELDS, lambda site: {site.unit})


def model_footprint(old: PreventionModel | None, new: PreventionModel | None) -> closure.Touched:
    """Unit → years a change of a model alters: its category and lead count in every unit
    where one of its sites ran, over the years it ran there."""
    touched = _footprint(old, new, MODEL_FIELDS, lambda model: {model.origin_unit})
    if old is not None and new is not None:
        changed = closure.changed_fields(old, new, MODEL_FIELDS) - _LABEL_FIELDS - _RETIRE_FIELDS
        if changed:
            for site in old.sites.select_related("unit"):
                closure.touch(touched, site.unit, _span(site.start_date, site.retired_on))
    return touched


def evaluation_footprint(old: SiteEvaluation | None, new: SiteEvaluation | None) -> closure.Touched:
    """Unit → year a grade counts in."""
    touched: closure.Touched = {}
    for row in (old, new):
        if row is not None:
            closure.touch(touched, row.site.unit, [row.year])
    return touched


def _stored(row):
    """The row as stored before this change (None for a new one)."""
    return type(row).objects.filter(pk=row.pk).first() if row.pk else None


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
    if not origin_unit.is_valid_on(periods.today()):
        raise _field_error("origin_unit", ended_message(origin_unit), "unit_closed")
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
    closure.ensure_footprint_open(model_footprint(None, model), field="start_date")
    model.save()
    _create_site(model=model, unit=origin_unit, start_date=start_date)
    figures.bump()  # the dashboard and API show these figures
    return model


@transaction.atomic
def update_model(*, user, model: PreventionModel, **changes) -> PreventionModel:
    """Correct a model's description (approver only). Its category and lead count in every
    closed year one of its sites ran in: those changes are refused there."""
    if not can_register_models(user):
        raise PermissionDenied(gettext("Only the city approver edits models."))
    old = PreventionModel.objects.select_for_update().get(pk=model.pk)
    for name, value in changes.items():
        setattr(model, name, value)
    model.full_clean()
    closure.ensure_footprint_open(model_footprint(old, model))
    with counts.kept(model_ids=[model.pk]):  # its start date decides when its sites count
        model.save()
    figures.bump()  # the period review names the exemplary models
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
    closure.ensure_footprint_open(site_footprint(None, site), field="start_date")
    with counts.kept() as tracked:
        try:
            with transaction.atomic():
                site.save()
        except IntegrityError as exc:  # another request created it meanwhile: as above
            raise _existing_site_error(model, unit, None) from exc
        tracked.add(site)
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
    if not can_add_site_in_scope(user, unit):
        raise PermissionDenied(gettext("You may not add a site in this unit."))
    if not unit.is_valid_on(periods.today()):
        raise _field_error("unit", ended_message(unit), "unit_closed")
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


@transaction.atomic
def update_site(*, user, site: ModelSite, **changes) -> ModelSite:
    """Correct a site's facts (its own unit, or the approver). Facts count in every year the
    site ran: a change reaching a closed year is refused unless the year is reopened."""
    old = (
        ModelSite.objects.editable_by(user).select_for_update(of=("self",)).filter(pk=site.pk)
    ).first()
    if old is None:
        raise PermissionDenied(gettext("You may not change this site."))
    for name, value in changes.items():
        setattr(site, name, value)
    site.full_clean(validate_constraints=False)
    closure.ensure_footprint_open(site_footprint(old, site))
    with counts.kept(site_ids=[site.pk]):
        site.save()
    figures.bump()  # the dashboard and API count the sites and their figures
    return site


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
    editable = ModelSite.objects.editable_by(user).filter(pk=site.pk).exists()
    if not editable or not can_propose_grades(user):
        raise PermissionDenied(gettext("Only the site's own unit proposes its evaluation."))
    if not site.unit.is_valid_on(today or timezone.localdate()):
        raise PermissionDenied(ended_message(site.unit))
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
    closure.ensure_years_open(site.unit, [year], field="year", today=today)
    evaluation = (
        SiteEvaluation.objects.select_for_update().filter(site=site, year=year).first()
    ) or SiteEvaluation(site=site, year=year)
    if evaluation.is_confirmed:
        raise _field_error(
            "year",
            gettext(
                "The evaluation of %(year)s was already confirmed by the police above; it can no "
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
    if not can_confirm_grades(user):
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
    closure.ensure_footprint_open(evaluation_footprint(None, evaluation))
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
    old = _stored(site)
    site.status = ModelSite.Status.RETIRED
    site.retired_on = retired_on
    site.retire_reason = reason.strip()
    site.full_clean()
    closure.ensure_footprint_open(site_footprint(old, site), field="retired_on")
    with counts.kept(site_ids=[site.pk]):
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
    old = _stored(model)
    model.status = PreventionModel.Status.RETIRED
    model.retired_on = retired_on
    model.retire_reason = reason.strip()
    model.full_clean()
    closure.ensure_footprint_open(model_footprint(old, model), field="retired_on")
    site_reason = gettext("The model was retired: %(reason)s") % {"reason": model.retire_reason}
    with counts.kept(model_ids=[model.pk]):
        model.save()
        for site in sites:
            old_site = _stored(site)
            site.status = ModelSite.Status.RETIRED
            site.retired_on = retired_on
            site.retire_reason = site_reason
            closure.ensure_footprint_open(site_footprint(old_site, site), field="retired_on")
            site.save()
    figures.bump()  # the dashboard and API show these figures
    return model


# --- exemplary models -----------------------------------------------------------------------


def exemplary_years(model: PreventionModel, today: datetime.date) -> list[int]:
    """Years a model may be named exemplary in: from its start, while it ran, up to this year."""
    last = today.year
    if model.retired_on:
        last = min(last, model.retired_on.year)
    return list(range(model.start_date.year, last + 1))


def designate_exemplary(
    *, user, model: PreventionModel, year: int, decision: str = "", reason: str = ""
) -> ExemplaryYear:
    """Name ``model`` exemplary ("tiêu biểu") for ``year``, recording who decided (approver)."""
    if not can_register_models(user):
        raise PermissionDenied(gettext("Only the approver names exemplary models."))
    allowed = exemplary_years(model, timezone.localdate())
    if year not in allowed:
        raise _field_error(
            "year",
            gettext("The model did not run in %(year)s (it ran %(first)s–%(last)s).")
            % {
                "year": year,
                "first": allowed[0] if allowed else "…",
                "last": allowed[-1] if allowed else "…",
            },
            "year_outside_model",
        )
    with transaction.atomic():
        if ExemplaryYear.objects.filter(model=model, year=year).exists():
            raise _field_error(
                "year",
                gettext("This model is already exemplary for this year."),
                "already_exemplary",
            )
        try:
            with transaction.atomic():
                exemplary = ExemplaryYear.objects.create(
                    model=model,
                    year=year,
                    decided_by=user,
                    decision=decision.strip(),
                    reason=reason.strip(),
                )
        except IntegrityError as exc:  # a second approver at the same moment
            raise _field_error(
                "year",
                gettext("This model is already exemplary for this year."),
                "already_exemplary",
            ) from exc
        figures.bump()  # the period review names the exemplary models
        return exemplary


# --- reorganisations -----------------------------------------------------------------------------

CARRIED_FIGURES = (
    "households",
    "members",
    "teams",
    "cameras",
    "funding_state",
    "funding_socialized",
)


@transaction.atomic
def carry_over_sites(*, user, change: UnitChange) -> list[ModelSite]:
    """Follow a recorded reorganisation (:class:`wards.models.UnitChange`) in the registry.

    Every site still running in a predecessor unit that ends with the change is retired from
    the change's effective date (the first day it no longer runs there), and the successor unit
    runs the model from that date: one site per model, created with the predecessors' households,
    members, teams, cameras and funding added up, or topped up if the successor already runs
    it. Grades stay with the old sites (history); the new site is graded from its first year.
    The approver or an administrator only. Running it again finds nothing left to carry.
    """
    if not can_register_models(user):
        raise PermissionDenied(gettext("Only the city approver registers new models."))
    effective = change.effective_date
    successors = [u for u in change.successors.all() if u.is_commune_level]
    ending = [u for u in change.predecessors.all() if u.is_commune_level and u not in successors]
    if not ending or not successors:
        return []  # not a change of wards/communes (e.g. a province merger)
    if len(successors) != 1:
        raise ValidationError(
            gettext(
                "The sites of a unit split between several successors are carried over one by "
                "one: replicate the model in each successor and retire the old site."
            ),
            code="split_not_supported",
        )
    successor = successors[0]
    running = list(
        ModelSite.objects.select_for_update()
        .filter(unit__in=ending, status=ModelSite.Status.ACTIVE, start_date__lt=effective)
        .select_related("model", "unit")
        .order_by("model_id", "unit__display_order", "pk")
    )
    by_model: dict[int, list[ModelSite]] = {}
    for site in running:
        by_model.setdefault(site.model_id, []).append(site)
    carried = []
    with counts.kept(model_ids=list(by_model)) as tracked:
        for old_sites in by_model.values():
            carried.append(_carry_over(old_sites, successor, effective))
            tracked.add(carried[-1])
    if carried:
        figures.bump()  # the dashboard and API count the sites
    return carried


def _carry_over(
    old_sites: list[ModelSite], successor: AdministrativeUnit, effective: datetime.date
) -> ModelSite:
    """One model's running sites of the ending units continue in ``successor``."""
    model = old_sites[0].model
    origin = ", ".join(f"{s.unit.name} ({s.start_date.year})" for s in old_sites)
    target = (
        ModelSite.objects.select_for_update()
        .filter(model=model, unit=successor, status=ModelSite.Status.ACTIVE)
        .first()
    )
    if target is None:
        target = ModelSite(model=model, unit=successor, start_date=effective)
    for name in CARRIED_FIGURES:
        setattr(target, name, getattr(target, name) + sum(getattr(s, name) for s in old_sites))
    note = gettext("Carried over on %(day)s from the sites of %(units)s.") % {
        "day": _d(effective),
        "units": origin,
    }
    target.note = f"{target.note}\n{note}".strip()
    target.full_clean(validate_constraints=False)
    target.save()
    reason = gettext("%(unit)s was reorganised on %(day)s; the site continues in %(to)s.")
    for site in old_sites:
        site.status = ModelSite.Status.RETIRED
        site.retired_on = effective
        site.retire_reason = reason % {
            "unit": site.unit.name,
            "day": _d(effective),
            "to": successor.name,
        }
        site.save()
    return target
