"""Pages of the registry. Reads go through the querysets' ``readable_by``/``visible_to``/
``editable_by`` and the counting rule through :mod:`models_registry.selectors`; writes through
:mod:`models_registry.services`."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from models_registry import permissions, selectors, services
from models_registry.forms import (
    ConfirmForm,
    EvaluationForm,
    ExemplaryForm,
    PreventionModelEditForm,
    PreventionModelForm,
    RegistryFilterForm,
    RetireForm,
    SiteEditForm,
    SiteForm,
    YearForm,
)
from models_registry.models import ModelSite, PreventionModel, SiteEvaluation
from wards.form_errors import add_service_errors
from wards.history import history_of
from wards.numbers import int_param
from wards.scoping import can_view_unit

PAGE_SIZE = 50


def registry_reader(view):
    """Signed in (else to the login page) and allowed to read the registry (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.can_read_registry(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- reading ------------------------------------------------------------------------------------


@registry_reader
def registry(request: HttpRequest) -> HttpResponse:
    """Every model, filtered; the headline counts them by the one rule, as of a year."""
    user = request.user
    today = timezone.localdate()
    years = selectors.registry_years(today)
    form = RegistryFilterForm(request.GET or None, years=years)
    filters = form.filters()
    as_of = selectors.as_of_for_year(filters.year, today)
    snap = selectors.snapshot(as_of)

    ordered = selectors.registry_models(user, filters=filters, snap=snap)
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    page_ids = [m.pk for m in page]
    coverage = snap.coverage_by_model(page_ids)
    grades = selectors.grade_counts(page_ids, filters.year)
    rows = [
        {
            "model": m,
            "coverage": coverage[m.pk],
            "cameras": snap.totals(m.pk).cameras,
            "grades": [(g, grades.get(m.pk, {}).get(g.value, 0)) for g in SiteEvaluation.Grade],
        }
        for m in page
    ]
    totals = snap.totals()
    context = {
        "form": form,
        "filters": filters,
        "as_of": as_of,
        "page": page,
        "rows": rows,
        "model_count": selectors.count_models(as_of),
        "totals": totals,
        "units_covered": len({u for s in snap.sites for u in s.unit_ids}),
        "unit_total": snap.unit_total,
        "counting_rule": selectors.COUNTING_RULE,
        "can_register": permissions.can_register_models(user),
    }
    return render(request, "models_registry/registry.html", context)


@registry_reader
def model_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A model: its sites, coverage, cameras and funding, and its grades over the years."""
    user = request.user
    model = get_object_or_404(
        PreventionModel.objects.readable_by(user).select_related("origin_unit"), slug=slug
    )
    today = timezone.localdate()
    year_form = YearForm(request.GET or None, years=selectors.registry_years(today))
    year = year_form.selected_year()
    as_of = selectors.as_of_for_year(year, today)
    snap = selectors.snapshot(as_of, models=[model.pk])
    sites = list(
        model.sites.select_related("unit", "residential_area").order_by(
            "unit__display_order", "unit__name", "start_date"
        )
    )
    evaluations = SiteEvaluation.objects.readable_by(user).filter(site__model=model)
    years, grade_rows = selectors.grade_matrix(sites, evaluations, year)
    own_site = next(
        (s for s in sites if s.unit_id == user.unit_id and s.status == ModelSite.Status.ACTIVE),
        None,
    )
    context = {
        "model": model,
        "year_form": year_form,
        "as_of": as_of,
        "coverage": snap.coverage(model.pk),
        "totals": snap.totals(model.pk),
        "sites": [(s, s.is_active_on(as_of)) for s in sites],
        "years": years,
        "grade_rows": grade_rows,
        "counting_rule": selectors.COUNTING_RULE,
        "own_site": own_site,
        "can_add_own_site": permissions.manages_own_unit_sites(user)
        and own_site is None
        and model.status == PreventionModel.Status.ACTIVE
        and permissions.can_add_site(user, user.unit),
        "can_manage": permissions.can_register_models(user),
        "viewer_sees_unit_pages": not permissions.manages_own_unit_sites(user),
        "exemplary": list(model.exemplary_years.select_related("decided_by").order_by("-year")),
    }
    return render(request, "models_registry/model_detail.html", context)


@registry_reader
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A site's facts (city-wide) and its evaluations (proposals only within the unit's scope)."""
    user = request.user
    site = get_object_or_404(
        ModelSite.objects.readable_by(user).select_related("model", "unit", "residential_area"),
        pk=pk,
    )
    can_edit = ModelSite.objects.editable_by(user).filter(pk=site.pk).exists()
    context = {
        "site": site,
        "evaluations": site.evaluations.readable_by(user)
        .select_related("proposed_by", "confirmed_by")
        .order_by("-year"),
        "show_notes": can_view_unit(user, site.unit),
        "can_edit": can_edit,
        "can_propose": can_edit
        and permissions.can_propose_grades(user)
        and site.status == ModelSite.Status.ACTIVE
        and site.unit.is_valid_on(timezone.localdate()),
        "can_retire": site.status == ModelSite.Status.ACTIVE
        and permissions.can_retire_site(user, site),
        "can_confirm": permissions.can_confirm_grades(user),
        "history": history_of(site) if can_edit or permissions.can_confirm_grades(user) else None,
    }
    return render(request, "models_registry/site_detail.html", context)


@registry_reader
def camera_totals(request: HttpRequest) -> HttpResponse:
    """Cameras and their funding per ward and commune, as of a year."""
    today = timezone.localdate()
    year_form = YearForm(request.GET or None, years=selectors.registry_years(today))
    as_of = selectors.as_of_for_year(year_form.selected_year(), today)
    snap = selectors.snapshot(as_of)
    rows = snap.per_unit()
    context = {
        "year_form": year_form,
        "as_of": as_of,
        "rows": rows,
        "totals": snap.totals(),
        "counting_rule": selectors.COUNTING_RULE,
    }
    return render(request, "models_registry/camera_totals.html", context)


@registry_reader
def evaluation_queue(request: HttpRequest) -> HttpResponse:
    """Proposed evaluations waiting for the city's confirmation, within the reader's scope."""
    pending = (
        SiteEvaluation.objects.visible_to(request.user)
        .awaiting_confirmation()
        .select_related("site__model", "site__unit", "proposed_by")
        .order_by("-year", "site__unit__display_order", "site__model__name")
    )
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "models_registry/evaluation_queue.html",
        {"page": page, "can_confirm": permissions.can_confirm_grades(request.user)},
    )


# --- the approver's actions on models -----------------------------------------------------------


@registry_reader
def model_register(request: HttpRequest) -> HttpResponse:
    if not permissions.can_register_models(request.user):
        raise PermissionDenied
    form = PreventionModelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            model = services.register_model(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The model “%(model)s” was registered with its first site in %(unit)s.")
                % {"model": model.name, "unit": model.origin_unit.name},
            )
            return redirect(model)
    return render(request, "models_registry/model_form.html", {"form": form})


@registry_reader
def model_edit(request: HttpRequest, slug: str) -> HttpResponse:
    if not permissions.can_register_models(request.user):
        raise PermissionDenied
    model = get_object_or_404(PreventionModel.objects.readable_by(request.user), slug=slug)
    form = PreventionModelEditForm(request.POST or None, instance=model)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_model(user=request.user, model=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The model was updated."))
            return redirect(model)
    return render(request, "models_registry/model_form.html", {"form": form, "model": model})


@registry_reader
def model_retire(request: HttpRequest, slug: str) -> HttpResponse:
    if not permissions.can_register_models(request.user):
        raise PermissionDenied
    model = get_object_or_404(PreventionModel.objects.readable_by(request.user), slug=slug)
    form = RetireForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            services.retire_model(user=request.user, model=model, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The model and its running sites were retired."))
            return redirect(model)
    return render(
        request, "models_registry/retire_form.html", {"form": form, "model": model, "site": None}
    )


@registry_reader
def model_exemplary(request: HttpRequest, slug: str) -> HttpResponse:
    """The approver names the model exemplary ("tiêu biểu") for a year."""
    if not permissions.can_register_models(request.user):
        raise PermissionDenied
    model = get_object_or_404(PreventionModel.objects.readable_by(request.user), slug=slug)
    years = services.exemplary_years(model, timezone.localdate())
    form = ExemplaryForm(request.POST or None, years=years)
    if request.method == "POST" and form.is_valid():
        try:
            services.designate_exemplary(user=request.user, model=model, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(model)s is named exemplary for %(year)s.")
                % {"model": model.name, "year": form.cleaned_data["year"]},
            )
            return redirect(model)
    return render(request, "models_registry/exemplary_form.html", {"form": form, "model": model})


# --- sites --------------------------------------------------------------------------------------


@registry_reader
def site_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Register a site of the model: an official in their own unit, the approver in any unit."""
    user = request.user
    model = get_object_or_404(PreventionModel.objects.readable_by(user), slug=slug)
    choose_unit = not permissions.manages_own_unit_sites(user)
    if choose_unit and not permissions.can_register_models(user):
        raise PermissionDenied
    if not choose_unit and not permissions.can_add_site(user, user.unit):
        raise PermissionDenied
    instance = ModelSite(model=model, unit=None if choose_unit else user.unit)
    form = SiteForm(request.POST or None, instance=instance, choose_unit=choose_unit)
    if request.method == "POST" and form.is_valid():
        try:
            site = services.replicate_model(user=user, model=model, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("A site of “%(model)s” was registered in %(unit)s.")
                % {"model": model.name, "unit": site.unit.name},
            )
            return redirect(site)
    return render(request, "models_registry/site_form.html", {"form": form, "model": model})


@registry_reader
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(
        ModelSite.objects.editable_by(request.user).select_related("model", "unit"), pk=pk
    )
    form = SiteEditForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_site(user=request.user, site=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The site was updated."))
            return redirect(site)
    return render(
        request, "models_registry/site_form.html", {"form": form, "model": site.model, "site": site}
    )


@registry_reader
def site_retire(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(
        ModelSite.objects.visible_to(request.user).select_related("model", "unit"), pk=pk
    )
    if not permissions.can_retire_site(request.user, site):
        raise PermissionDenied
    form = RetireForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            services.retire_site(user=request.user, site=site, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The site was retired."))
            return redirect(site)
    return render(
        request,
        "models_registry/retire_form.html",
        {"form": form, "model": site.model, "site": site},
    )


# --- evaluations --------------------------------------------------------------------------------


@registry_reader
def evaluation_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The site's unit proposes a year's grade and results (or revises its proposal)."""
    user = request.user
    site = get_object_or_404(
        ModelSite.objects.editable_by(user).select_related("model", "unit"), pk=pk
    )
    if not permissions.can_propose_grades(user):
        raise PermissionDenied
    if not site.unit.is_valid_on(timezone.localdate()):
        # The unit has ended: its successors grade their own sites (wards.periods).
        raise PermissionDenied
    years = site.evaluation_years(timezone.localdate())
    existing = {e.year: e for e in site.evaluations.all()}
    year = request.POST.get("year") or request.GET.get("year")
    year = int_param(year)
    if year is None:
        missing = [y for y in years if y not in existing]
        year = (missing or years or [None])[-1]
    instance = existing.get(year) if year in existing else SiteEvaluation(site=site)
    if instance.pk and instance.is_confirmed and request.method == "POST":
        instance = SiteEvaluation(site=site)  # the service refuses it, with its message
    form = EvaluationForm(
        request.POST or None, instance=instance, years=years, initial={"year": year}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_evaluation(user=user, site=site, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The evaluation of %(year)s was sent to the police above for confirmation.")
                % {"year": form.cleaned_data["year"]},
            )
            return redirect(site)
    return render(
        request,
        "models_registry/evaluation_form.html",
        {"form": form, "site": site, "existing": existing, "years": years},
    )


@registry_reader
def evaluation_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not permissions.can_confirm_grades(user):
        raise PermissionDenied
    evaluation = get_object_or_404(
        SiteEvaluation.objects.visible_to(user).select_related(
            "site__model", "site__unit", "proposed_by"
        ),
        pk=pk,
    )
    form = ConfirmForm(request.POST or None, initial={"grade": evaluation.grade})
    if evaluation.is_confirmed:
        messages.info(request, _("This evaluation was already confirmed."))
        return redirect(evaluation.site)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_evaluation(
                user=user, evaluation=evaluation, grade=form.cleaned_data["grade"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The %(year)s grade of %(site)s was confirmed.")
                % {"year": evaluation.year, "site": evaluation.site},
            )
            return redirect("models_registry:evaluation_queue")
    return render(
        request,
        "models_registry/evaluation_confirm.html",
        {"form": form, "evaluation": evaluation},
    )
