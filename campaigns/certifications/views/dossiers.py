"""Dossiers: the list, the preparation board, opening, self-assessment, submission, the
decision or return, the certificate and the attached evidence."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from campaigns.certifications import permissions, selectors, services
from campaigns.certifications.forms import (
    AssessmentFormSet,
    DecisionForm,
    DossierCreateForm,
    DossierFilterForm,
    ReturnForm,
)
from campaigns.certifications.models import (
    CertificationKind,
    CriterionAssessment,
    Dossier,
    DossierStatus,
    HolderType,
    Incident,
)
from campaigns.certifications.models.choices import kind_applies_to
from campaigns.certifications.models.holders import HOLDER_RELATED
from campaigns.certifications.views._common import (
    HOLDER_SLUGS,
    PAGE_SIZE,
    SLUG_OF_HOLDER,
    closed_for_new_work,
    dossier_qs,
    editable_holder,
    preparer_years,
    require_preparer,
    this_year,
    visible_commune_units,
    year_param,
)
from wards.form_errors import add_service_errors
from wards.history import history_of
from wards.models import AdministrativeUnit
from wards.numbers import int_param
from wards.params import query_param
from wards.pdf import pdf_response
from wards.periods import ended_message, is_open_for_work, open_units, units_of_year


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    units = visible_commune_units(request.user)
    chosen_year = year_param(request, "year", 0)
    if chosen_year:
        units = units_of_year(chosen_year, qs=units)
    form = DossierFilterForm(request.GET or None, units=units)
    dossiers = dossier_qs(request.user)
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
    require_preparer(user)
    years = preparer_years(user)
    year = year_param(request, "year", years[0] if years else this_year(), old="nam")
    closed_message = ""
    if (
        permissions.prepares_for_own_unit(user)
        and user.unit_id
        and not is_open_for_work(user.unit, year)
    ):
        closed_message = ended_message(user.unit)
    unit_filter = int_param(query_param(request, "unit", "don-vi"))
    board = selectors.preparation_board(user, year=year, unit_id=unit_filter)
    # Each row with the slug its "open a dossier" link needs.
    rows = [(SLUG_OF_HOLDER[row.holder_type], row) for row in board]
    context = {
        "year": year,
        "years": years,
        "rows": rows,
        "closed_message": closed_message,
        "unit_choices": open_units(
            year, qs=AdministrativeUnit.objects.editable_by(user).commune_level()
        ).order_by("display_order", "name")
        if permissions.prepares_for_any_unit(user)
        else None,
        "unit_filter": unit_filter,
    }
    return render(request, "certifications/prepare.html", context)


@login_required
def dossier_create(request: HttpRequest, holder_slug: str, pk: int) -> HttpResponse:
    user = request.user
    require_preparer(user)
    holder = editable_holder(user, holder_slug, pk)
    if refused := closed_for_new_work(request, holder):
        return refused
    holder_type = HOLDER_SLUGS[holder_slug]
    year = year_param(request, "year", this_year(), old="nam")
    kind = query_param(request, "kind", "loai")
    if kind is None:
        kind = CertificationKind.ANTT_SAFE
    initial = {"year": year, "kind": kind, "registered_on": datetime.date(year, 1, 15)}
    form = DossierCreateForm(
        request.POST or None, initial=initial, holder=holder, holder_type=holder_type
    )
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_create(user=user, holder=holder, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
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
    dossier = get_object_or_404(dossier_qs(request.user), pk=pk)
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
    can_decide = dossier.status == DossierStatus.SUBMITTED and permissions.can_decide_dossiers(user)
    context = {
        "dossier": dossier,
        "evaluation": evaluation,
        "incidents": incidents,
        "can_edit": can_edit,
        "can_decide": can_decide,
        "return_form": ReturnForm() if can_decide else None,
        "history": history_of(dossier),
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
            _show_stored_attachments(formset)
        else:
            messages.success(request, gettext("Self-assessment saved."))
            if "submit" in request.POST:
                return redirect("certifications:dossier_detail", pk=dossier.pk)
            return redirect("certifications:dossier_assess", pk=dossier.pk)
    elif request.method == "POST":
        messages.error(request, gettext("Nothing was saved: correct the marked fields."))
        _show_stored_attachments(formset)
    context = {
        "dossier": dossier,
        "formset": formset,
        "evaluation": selectors.evaluate_dossier(dossier),
    }
    return render(request, "certifications/dossier_assess.html", context)


def _show_stored_attachments(formset) -> None:
    """After a refused save, show each row's file as stored: a file uploaded with the refused
    post was never saved, so no link may point at it (it would be a 404)."""
    stored = dict(
        CriterionAssessment.objects.filter(
            pk__in=[f.instance.pk for f in formset.forms if f.instance.pk]
        ).values_list("pk", "attachment")
    )
    for form in formset.forms:
        form.instance.attachment = stored.get(form.instance.pk, "")


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
    if not permissions.can_decide_dossiers(user):
        raise PermissionDenied
    dossier = get_object_or_404(dossier_qs(user), pk=pk)
    seen = int_param(request.POST.get("version")) if request.method == "POST" else None
    if seen is not None and seen != dossier.version:
        # Decided or returned by someone else since this page was opened: say so, change nothing.
        messages.error(request, services.DossierChanged().messages[0])
        return redirect(dossier)
    if dossier.status != DossierStatus.SUBMITTED:
        messages.warning(request, gettext("Only a submitted dossier can be decided."))
        return redirect(dossier)
    evaluation = selectors.evaluate_dossier(dossier)
    initial = {
        "result": evaluation.result,
        "issuing_body": dossier.default_issuing_body(),
        "version": dossier.version,
    }
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.dossier_decide(
                dossier=dossier, user=user, expected_version=data.pop("version"), **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Decision recorded."))
            return redirect(dossier)
    context = {"dossier": dossier, "form": form, "evaluation": evaluation}
    return render(request, "certifications/dossier_decide.html", context)


@login_required
@require_POST
def dossier_return(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_decide_dossiers(request.user):
        raise PermissionDenied
    dossier = get_object_or_404(dossier_qs(request.user), pk=pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.dossier_return(
                dossier=dossier,
                user=request.user,
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
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
    dossier = get_object_or_404(dossier_qs(request.user), pk=pk)
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
    if request.GET.get("format") == "pdf":
        stem = f"giay-chung-nhan-{dossier.year}-{dossier.pk}"
        return pdf_response(request, "certifications/certificate.html", context, stem)
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
