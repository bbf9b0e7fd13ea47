"""Pages of the certifications app: thin views over ``selectors`` and ``services``.

Every object is fetched through ``visible_to``/``editable_by`` so another unit's data is a 404;
actions that need a role (deciding, recording awards) answer 403 to everyone else.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from campaigns.certifications import selectors, services
from campaigns.certifications.forms import (
    AssessmentFormSet,
    AwardFilterForm,
    AwardRecordForm,
    ClassificationCreateForm,
    DecisionForm,
    DossierCreateForm,
    DossierFilterForm,
    FestivalDayForm,
    IncidentForm,
    OrganizationTitleFilterForm,
    PersonForm,
    ReturnForm,
    ScoreForm,
)
from campaigns.certifications.models import (
    Award,
    CertificationKind,
    ClassificationScore,
    CriterionAssessment,
    Dossier,
    DossierStatus,
    FestivalDay,
    HolderType,
    Incident,
    MovementClassification,
    RuleSet,
    holder_type_of,
)
from campaigns.certifications.models.choices import kind_applies_to
from campaigns.certifications.models.holders import HOLDER_RELATED
from wards.models import AdministrativeUnit, Organization, ResidentialArea
from wards.periods import (
    ended_message,
    is_open_for_work,
    open_units,
    reference_day,
    units_of_year,
    work_years,
)

HOLDER_SLUGS = {
    "don-vi": HolderType.UNIT,
    "khu-dan-cu": HolderType.RESIDENTIAL_AREA,
    "to-chuc": HolderType.ORGANIZATION,
}
SLUG_OF_HOLDER = {value: key for key, value in HOLDER_SLUGS.items()}
PAGE_SIZE = 50


def _this_year() -> int:
    return timezone.localdate().year


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    try:
        value = int(request.GET.get(name, default))
    except (TypeError, ValueError):
        return default
    return value if 2000 <= value <= 2100 else default


def _require_preparer(user) -> None:
    """Leaders read only; accounts without a role do nothing."""
    if user.role not in ("official", "approver", "admin") and not user.is_superuser:
        raise PermissionDenied


def _editable_holder(user, holder_slug: str, pk: int):
    holder_type = HOLDER_SLUGS.get(holder_slug)
    if holder_type == HolderType.UNIT:
        qs = AdministrativeUnit.objects.editable_by(user).commune_level()
    elif holder_type == HolderType.RESIDENTIAL_AREA:
        qs = ResidentialArea.objects.editable_by(user).select_related("unit")
    elif holder_type == HolderType.ORGANIZATION:
        qs = Organization.objects.editable_by(user).select_related("unit")
    else:
        raise Http404
    return get_object_or_404(qs, pk=pk)


def _closed_for_new_work(request: HttpRequest, holder) -> HttpResponse | None:
    """Refuse new work for a holder whose unit has ended: back to the board with the reason."""
    unit = holder if isinstance(holder, AdministrativeUnit) else holder.unit
    if unit.is_valid_on(timezone.localdate()):
        return None
    messages.error(request, ended_message(unit))
    return redirect("certifications:prepare")


def _preparer_years(user) -> list[int]:
    """Years offered for new work: an official's unit's own years; everyone else's all years."""
    if user.role == "official" and user.unit_id:
        return work_years(user.unit)
    return list(range(_this_year(), 2011, -1))


def _visible_commune_units(user):
    return (
        AdministrativeUnit.objects.visible_to(user)
        .commune_level()
        .order_by("display_order", "name")
    )


def _visible_unit_ids(user) -> list[int]:
    return list(AdministrativeUnit.objects.visible_to(user).values_list("pk", flat=True))


def _dossier_qs(user):
    return Dossier.objects.visible_to(user).select_related(*HOLDER_RELATED, "rule_set")


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- overview and histories ------------------------------------------------------------


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Titles earned per year across the units the user may see (x/y figures)."""
    unit_ids = _visible_unit_ids(request.user)
    years = selectors.dossier_years(unit_ids=unit_ids)
    rows = selectors.certification_overview(unit_ids=unit_ids, years=years)
    selected = _int_param(request, "year", 0)
    return render(request, "certifications/overview.html", {"rows": rows, "selected": selected})


@login_required
def unit_history(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(
        AdministrativeUnit.objects.visible_to(request.user).select_related("parent"), slug=slug
    )
    years = selectors.dossier_years(unit_ids=[unit.pk]) or [_this_year()]
    history = selectors.unit_history(unit_ids=[unit.pk], years=years)[unit.pk]
    areas = list(unit.residential_areas.order_by("name"))
    area_years = years[:6]
    cells = {
        (area_id, year): selectors.TitleCell(dossier_id=pk, status=status, result=result)
        for area_id, year, pk, status, result in Dossier.objects.filter(
            residential_area__unit=unit,
            kind=CertificationKind.ANTT_SAFE,
            year__in=area_years,
        ).values_list("residential_area_id", "year", "pk", "status", "result")
    }
    area_rows = [(area, [cells.get((area.pk, y)) for y in area_years]) for area in areas]
    context = {
        "unit": unit,
        "history": history,
        "area_years": area_years,
        "area_rows": area_rows,
        "can_prepare": request.user.role == "official"
        and request.user.unit_id == unit.pk
        and unit.is_valid_on(timezone.localdate()),
    }
    return render(request, "certifications/unit_history.html", context)


@login_required
def organization_titles(request: HttpRequest) -> HttpResponse:
    """Organisations with their ANTT results by year, filtered, with the at-risk flag."""
    data = request.GET.copy()
    data.setdefault("year", str(_this_year() - 1))
    units = units_of_year(
        _int_param(request, "year", _this_year() - 1), qs=_visible_commune_units(request.user)
    )
    form = OrganizationTitleFilterForm(data, units=units)
    year = _this_year() - 1
    filters: dict = {}
    if form.is_valid():
        year = form.cleaned_data["year"]
        filters = {
            "org_kind": form.cleaned_data["kind"],
            "unit_id": form.cleaned_data["unit"].pk if form.cleaned_data["unit"] else None,
            "result": form.cleaned_data["result"],
            "at_risk_only": form.cleaned_data["at_risk"],
        }
    years = list(range(year, year - 6, -1))
    # The organisations of the units of that year (a unit's organisations end with it).
    year_unit_ids = units_of_year(
        year, qs=AdministrativeUnit.objects.visible_to(request.user)
    ).values_list("pk", flat=True)
    rows = selectors.organization_titles(unit_ids=year_unit_ids, years=years, year=year, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row.aligned = [(y, row.cell(y), row.at_risk(y)) for y in years]
        row.risk_kinds = row.incident_years.get(year, [])
    context = {
        "form": form,
        "page": page,
        "year": year,
        "years": years,
        "total": len(rows),
        "met_count": sum(1 for r in rows if r.cell(year) and r.cell(year).is_met),
        "at_risk_count": sum(1 for r in rows if r.at_risk(year)),
    }
    return render(request, "certifications/organization_titles.html", context)


# --- dossiers ---------------------------------------------------------------------------


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    units = _visible_commune_units(request.user)
    chosen_year = _int_param(request, "year", 0)
    if chosen_year:
        units = units_of_year(chosen_year, qs=units)
    form = DossierFilterForm(request.GET or None, units=units)
    dossiers = _dossier_qs(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["year"]:
            dossiers = dossiers.filter(year=data["year"])
        for field in ("kind", "holder_type", "status"):
            if data[field]:
                dossiers = dossiers.filter(**{field: data[field]})
        if data["unit"]:
            dossiers = dossiers.filter(unit=data["unit"])
    page = Paginator(
        dossiers.order_by("-year", "unit__display_order", "holder_type", "kind", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "certifications/dossier_list.html", {"form": form, "page": page})


@login_required
def prepare(request: HttpRequest) -> HttpResponse:
    """The holders the user prepares dossiers for, with this year's status or eligibility."""
    user = request.user
    _require_preparer(user)
    years = _preparer_years(user)
    year = _int_param(request, "nam", years[0] if years else _this_year())
    closed_message = ""
    if user.role == "official" and user.unit_id and not is_open_for_work(user.unit, year):
        closed_message = ended_message(user.unit)
    # Only holders of units valid in the year that still exist today (wards.periods).
    day = reference_day(year)
    current = open_units(year)
    units = open_units(year, qs=AdministrativeUnit.objects.editable_by(user).commune_level())
    areas = (
        ResidentialArea.objects.editable_by(user)
        .filter(unit__in=current)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("unit")
    )
    organizations = (
        Organization.objects.editable_by(user).filter(unit__in=current).select_related("unit")
    )
    unit_filter = request.GET.get("don-vi", "")
    if unit_filter.isdigit():
        units = units.filter(pk=unit_filter)
        areas = areas.filter(unit_id=unit_filter)
        organizations = organizations.filter(unit_id=unit_filter)
    holders = [
        *units.order_by("display_order", "name"),
        *areas.order_by("unit__display_order", "name"),
        *organizations.filter(is_active=True).order_by("unit__display_order", "kind", "name"),
    ]
    existing = {
        (d.holder_type, d.holder_unit_id or d.residential_area_id or d.organization_id, d.kind): d
        for d in Dossier.objects.editable_by(user).filter(year=year)
    }
    rule_sets = list(
        RuleSet.objects.in_force_on(datetime.date(year, 11, 15)).prefetch_related("exclusions")
    )
    rows = []
    for holder in holders:
        holder_type = holder_type_of(holder)
        entries = []
        for kind, label in CertificationKind.choices:
            unit_kind = holder.kind if holder_type == HolderType.UNIT else None
            if not kind_applies_to(kind, holder_type, unit_kind):
                continue
            dossier = existing.get((holder_type, holder.pk, kind))
            found = None
            if dossier is None:
                found = selectors.eligibility(
                    holder=holder, kind=kind, year=year, rule_sets=rule_sets
                )
            entries.append({"kind": kind, "label": label, "dossier": dossier, "found": found})
        rows.append(
            {
                "holder": holder,
                "holder_type": holder_type,
                "slug": SLUG_OF_HOLDER[holder_type],
                "entries": entries,
            }
        )
    context = {
        "year": year,
        "years": years,
        "rows": rows,
        "closed_message": closed_message,
        "unit_choices": open_units(
            year, qs=AdministrativeUnit.objects.editable_by(user).commune_level()
        ).order_by("display_order", "name")
        if user.is_admin_role
        else None,
        "unit_filter": unit_filter,
    }
    return render(request, "certifications/prepare.html", context)


@login_required
def dossier_create(request: HttpRequest, holder_slug: str, pk: int) -> HttpResponse:
    user = request.user
    _require_preparer(user)
    holder = _editable_holder(user, holder_slug, pk)
    if refused := _closed_for_new_work(request, holder):
        return refused
    holder_type = HOLDER_SLUGS[holder_slug]
    year = _int_param(request, "nam", _this_year())
    kind = request.GET.get("loai", CertificationKind.ANTT_SAFE)
    initial = {"year": year, "kind": kind, "registered_on": datetime.date(year, 1, 15)}
    form = DossierCreateForm(
        request.POST or None, initial=initial, holder=holder, holder_type=holder_type
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_create(user=user, holder=holder, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Dossier opened under %(rules)s. Now assess each criterion.")
                % {"rules": dossier.rule_set.legal_basis},
            )
            return redirect("certifications:dossier_assess", pk=dossier.pk)
    if form.is_bound and form.is_valid():
        year, kind = form.cleaned_data["year"], form.cleaned_data["kind"]
    found = None
    if kind in CertificationKind.values and kind_applies_to(
        kind, holder_type, holder.kind if holder_type == HolderType.UNIT else None
    ):
        found = selectors.eligibility(holder=holder, kind=kind, year=year)
    context = {"form": form, "holder": holder, "found": found, "year": year}
    return render(request, "certifications/dossier_create.html", context)


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = get_object_or_404(_dossier_qs(request.user), pk=pk)
    evaluation = selectors.evaluate_dossier(dossier)
    incidents = []
    if dossier.organization_id:
        incidents = list(
            Incident.objects.filter(organization_id=dossier.organization_id, year=dossier.year)
        )
    user = request.user
    can_edit = (
        dossier.is_editable and Dossier.objects.editable_by(user).filter(pk=dossier.pk).exists()
    )
    can_decide = dossier.status == DossierStatus.SUBMITTED and user.can_approve
    context = {
        "dossier": dossier,
        "evaluation": evaluation,
        "incidents": incidents,
        "can_edit": can_edit,
        "can_decide": can_decide,
        "return_form": ReturnForm() if can_decide else None,
    }
    return render(request, "certifications/dossier_detail.html", context)


@login_required
def dossier_assess(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    dossier = get_object_or_404(
        Dossier.objects.editable_by(user).select_related(*HOLDER_RELATED, "rule_set"), pk=pk
    )
    if not dossier.is_editable:
        messages.warning(request, gettext("This dossier has been submitted and is read-only."))
        return redirect(dossier)
    queryset = dossier.assessments.select_related("criterion").order_by(
        "criterion__order", "criterion__code"
    )
    formset = AssessmentFormSet(
        request.POST or None, request.FILES or None, queryset=queryset, prefix="a"
    )
    if request.method == "POST" and formset.is_valid():
        answers = [
            services.AssessmentAnswer(
                assessment_id=form.instance.pk,
                met=form.cleaned_data.get("met"),
                evidence=form.cleaned_data.get("evidence", ""),
                attachment=form.cleaned_data.get("attachment"),
            )
            for form in formset.forms
        ]
        try:
            services.dossier_save_assessment(dossier=dossier, user=user, answers=answers)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, gettext("Self-assessment saved."))
            if "submit" in request.POST:
                return redirect("certifications:dossier_detail", pk=dossier.pk)
            return redirect("certifications:dossier_assess", pk=dossier.pk)
    elif request.method == "POST":
        messages.error(request, gettext("Nothing was saved: correct the marked fields."))
    context = {
        "dossier": dossier,
        "formset": formset,
        "evaluation": selectors.evaluate_dossier(dossier),
    }
    return render(request, "certifications/dossier_assess.html", context)


@login_required
@require_POST
def dossier_submit(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = get_object_or_404(Dossier.objects.editable_by(request.user), pk=pk)
    try:
        services.dossier_submit(dossier=dossier, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Dossier submitted for decision."))
    return redirect(dossier)


@login_required
def dossier_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not user.can_approve:
        raise PermissionDenied
    dossier = get_object_or_404(_dossier_qs(user), pk=pk)
    if dossier.status != DossierStatus.SUBMITTED:
        messages.warning(request, gettext("Only a submitted dossier can be decided."))
        return redirect(dossier)
    evaluation = selectors.evaluate_dossier(dossier)
    initial = {
        "result": evaluation.result,
        "issuing_body": dossier.default_issuing_body(),
    }
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.dossier_decide(dossier=dossier, user=user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, gettext("Decision recorded."))
            return redirect(dossier)
    context = {"dossier": dossier, "form": form, "evaluation": evaluation}
    return render(request, "certifications/dossier_decide.html", context)


@login_required
@require_POST
def dossier_return(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.can_approve:
        raise PermissionDenied
    dossier = get_object_or_404(_dossier_qs(request.user), pk=pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.dossier_return(
                dossier=dossier, user=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("Dossier returned to its preparer."))
    else:
        messages.error(request, gettext("Say what needs correcting."))
    return redirect(dossier)


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 certificate of a recognised title, to print."""
    dossier = get_object_or_404(_dossier_qs(request.user), pk=pk)
    if not dossier.is_certified:
        raise Http404
    city = dossier.unit if not dossier.unit.is_commune_level else dossier.unit.parent
    if city is not None and city.kind == AdministrativeUnit.Kind.PROVINCE:
        # Since 2025 a ward sits right under the province: it names the place itself.
        city = dossier.unit
    place = city.name if city else ""
    for prefix in ("TP. ", "Thành phố ", "Phường ", "Xã "):
        place = place.removeprefix(prefix)
    context = {"dossier": dossier, "place": place}
    return render(request, "certifications/certificate.html", context)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """Attached evidence, served only to users who may see the dossier."""
    assessment = get_object_or_404(
        CriterionAssessment.objects.visible_to(request.user).exclude(attachment=""), pk=pk
    )
    return FileResponse(
        assessment.attachment.open("rb"),
        as_attachment=True,
        filename=assessment.attachment_name,
    )


# --- movement classification ----------------------------------------------------------


@login_required
def classification_list(request: HttpRequest) -> HttpResponse:
    year = _int_param(request, "nam", _this_year() - 1)
    sheets = list(
        MovementClassification.objects.visible_to(request.user)
        .filter(year=year)
        .select_related(*HOLDER_RELATED, "rule_set")
        .prefetch_related("scores", "rule_set__thresholds")
        .order_by("unit__display_order", "holder_type", "pk")
    )
    preparable = []
    if request.user.role in ("official", "admin") or request.user.is_superuser:
        have = {s.holder_unit_id for s in sheets if s.holder_unit_id}
        preparable = [
            u
            for u in open_units(
                year, qs=AdministrativeUnit.objects.editable_by(request.user).commune_level()
            )
            if u.pk not in have
        ]
    context = {
        "year": year,
        "years": list(range(_this_year(), 2011, -1)),
        "sheets": sheets,
        "preparable": preparable,
        "levels": _level_counts(sheets),
    }
    return render(request, "certifications/classification_list.html", context)


def _level_counts(sheets) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for sheet in sheets:
        label = sheet.get_level_display()
        if label:
            counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda kv: -kv[1])


@login_required
def classification_create(request: HttpRequest, holder_slug: str, pk: int) -> HttpResponse:
    _require_preparer(request.user)
    holder = _editable_holder(request.user, holder_slug, pk)
    if refused := _closed_for_new_work(request, holder):
        return refused
    form = ClassificationCreateForm(
        request.POST or None, initial={"year": _int_param(request, "nam", _this_year())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.classification_create(
                user=request.user, holder=holder, year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, gettext("Scoring sheet opened."))
            return redirect(sheet)
    return render(
        request, "certifications/classification_create.html", {"form": form, "holder": holder}
    )


@login_required
def classification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    sheet = get_object_or_404(
        MovementClassification.objects.visible_to(user)
        .select_related(*HOLDER_RELATED, "rule_set")
        .prefetch_related(
            "rule_set__thresholds",
            Prefetch(
                "scores",
                queryset=ClassificationScore.objects.select_related("item").order_by(
                    "item__order", "item__code"
                ),
            ),
        ),
        pk=pk,
    )
    approving = sheet.status == MovementClassification.Status.SUBMITTED
    can_edit = (
        sheet.status == MovementClassification.Status.DRAFT
        and MovementClassification.objects.editable_by(user).filter(pk=sheet.pk).exists()
    ) or (approving and user.can_approve)
    scores = list(sheet.scores.all())
    forms = None
    if can_edit:
        field = "approved_points" if approving else "self_points"
        forms = [
            ScoreForm(
                request.POST or None,
                prefix=f"s{score.pk}",
                score=score,
                initial={"points": getattr(score, field), "note": score.note},
            )
            for score in scores
        ]
        if request.method == "POST" and all(f.is_valid() for f in forms):
            points = {f.score.pk: (f.cleaned_data["points"], f.cleaned_data["note"]) for f in forms}
            try:
                services.classification_save_scores(sheet=sheet, user=user, points=points)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, gettext("Points saved."))
                return redirect(sheet)
        elif request.method == "POST":
            messages.error(request, gettext("Nothing was saved: correct the marked fields."))
    elif request.method == "POST":
        raise PermissionDenied
    own, approved = sheet.totals()
    context = {
        "sheet": sheet,
        "rows": list(zip(scores, forms or [None] * len(scores), strict=True)),
        "can_edit": can_edit,
        "approving": approving,
        "own_total": own,
        "approved_total": approved,
        "max_total": sum(s.max_points for s in scores),
        "thresholds": sorted(sheet.rule_set.thresholds.all(), key=lambda t: -t.min_points),
        "can_submit": sheet.status == MovementClassification.Status.DRAFT and can_edit,
        "can_approve": approving and user.can_approve,
    }
    return render(request, "certifications/classification_detail.html", context)


@login_required
@require_POST
def classification_submit(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = get_object_or_404(MovementClassification.objects.editable_by(request.user), pk=pk)
    try:
        services.classification_submit(sheet=sheet, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Scoring sheet submitted for approval."))
    return redirect(sheet)


@login_required
@require_POST
def classification_approve(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.can_approve:
        raise PermissionDenied
    sheet = get_object_or_404(MovementClassification.objects.visible_to(request.user), pk=pk)
    try:
        services.classification_approve(sheet=sheet, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Scoring sheet approved."))
    return redirect(sheet)


# --- awards, Ngày hội, incidents ---------------------------------------------------------


@login_required
def award_list(request: HttpRequest) -> HttpResponse:
    form = AwardFilterForm(request.GET or None)
    awards = Award.objects.visible_to(request.user).select_related(
        "recipient_unit",
        "recipient_organization__unit",
        "recipient_person__unit",
        "recipient_model_site__model",
        "recipient_model_site__unit",
        "festival_day",
    )
    if form.is_valid():
        if form.cleaned_data["year"]:
            awards = awards.filter(decision_date__year=form.cleaned_data["year"])
        if form.cleaned_data["form"]:
            awards = awards.filter(form=form.cleaned_data["form"])
    page = Paginator(awards.order_by("-decision_date", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "certifications/award_list.html", {"form": form, "page": page})


@login_required
def award_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    if not user.can_approve:
        raise PermissionDenied
    award = get_object_or_404(Award.objects.visible_to(user), pk=pk) if pk else None
    initial = {}
    if award is None and request.GET.get("ca-nhan", "").isdigit():
        initial = {"recipient_type": "person", "recipient_person": int(request.GET["ca-nhan"])}
    form = AwardRecordForm(request.POST or None, instance=award, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_save(award=form.instance, user=user)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, gettext("Award saved."))
            return redirect("certifications:award_list")
    return render(request, "certifications/award_form.html", {"form": form, "award": award})


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not request.user.can_approve:
        raise PermissionDenied
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, gettext("%(name)s added.") % {"name": person.full_name})
        return redirect(reverse("certifications:award_create") + f"?ca-nhan={person.pk}")
    return render(request, "certifications/person_form.html", {"form": form})


@login_required
def festival_list(request: HttpRequest) -> HttpResponse:
    festivals = (
        FestivalDay.objects.visible_to(request.user)
        .select_related("unit")
        .prefetch_related("showcase_areas__unit", "showcase_sites__model", "showcase_sites__unit")
        .order_by("-year", "unit__display_order", "unit__name")
    )
    page = Paginator(festivals, PAGE_SIZE).get_page(request.GET.get("page"))
    can_add = (
        AdministrativeUnit.objects.editable_by(request.user).valid_on(timezone.localdate()).exists()
    )
    return render(request, "certifications/festival_list.html", {"page": page, "can_add": can_add})


@login_required
def festival_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    _require_preparer(user)
    festival = get_object_or_404(FestivalDay.objects.editable_by(user), pk=pk) if pk else None
    form = FestivalDayForm(request.POST or None, instance=festival, user=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Ngày hội saved."))
        return redirect("certifications:festival_list")
    return render(
        request, "certifications/festival_form.html", {"form": form, "festival": festival}
    )


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = (
        Incident.objects.visible_to(request.user)
        .select_related("organization__unit")
        .order_by("-year", "-occurred_on", "pk")
    )
    page = Paginator(incidents, PAGE_SIZE).get_page(request.GET.get("page"))
    can_add = (
        Organization.objects.editable_by(request.user)
        .filter(unit__in=AdministrativeUnit.objects.valid_on(timezone.localdate()))
        .exists()
    )
    return render(request, "certifications/incident_list.html", {"page": page, "can_add": can_add})


@login_required
def incident_create(request: HttpRequest) -> HttpResponse:
    _require_preparer(request.user)
    form = IncidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, gettext("Incident recorded; the organisation is flagged at risk.")
        )
        return redirect("certifications:incident_list")
    return render(request, "certifications/incident_form.html", {"form": form})
