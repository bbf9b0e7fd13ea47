"""Titles: the overview by year, a unit's history, organisations with their titles, and the
incidents that put an organisation's title at risk."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.certifications import permissions, selectors, services
from campaigns.certifications.forms import IncidentForm, OrganizationTitleFilterForm
from campaigns.certifications.models import CertificationKind, Dossier, Incident
from campaigns.certifications.views._common import (
    PAGE_SIZE,
    require_preparer,
    this_year,
    visible_commune_units,
    visible_unit_ids,
    year_param,
)
from wards.form_errors import add_service_errors
from wards.models import AdministrativeUnit, Organization
from wards.periods import units_of_year


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Titles earned per year across the units the user may see (x/y figures)."""
    unit_ids = visible_unit_ids(request.user)
    years = selectors.dossier_years(unit_ids=unit_ids)
    rows = selectors.certification_overview(unit_ids=unit_ids, years=years)
    selected = year_param(request, "year", 0)
    return render(request, "certifications/overview.html", {"rows": rows, "selected": selected})


@login_required
def unit_history(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(
        AdministrativeUnit.objects.visible_to(request.user).select_related("parent"), slug=slug
    )
    years = selectors.dossier_years(unit_ids=[unit.pk]) or [this_year()]
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
        "can_prepare": permissions.prepares_for_own_unit(request.user)
        and request.user.unit_id == unit.pk
        and unit.is_valid_on(timezone.localdate()),
    }
    return render(request, "certifications/unit_history.html", context)


@login_required
def organization_titles(request: HttpRequest) -> HttpResponse:
    """Organisations with their ANTT results by year, filtered, with the at-risk flag."""
    data = request.GET.copy()
    data.setdefault("year", str(this_year() - 1))
    units = units_of_year(
        year_param(request, "year", this_year() - 1), qs=visible_commune_units(request.user)
    )
    form = OrganizationTitleFilterForm(data, units=units)
    year = this_year() - 1
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


# --- incidents -----------------------------------------------------------------------------


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
    require_preparer(request.user)
    form = IncidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_record(incident=form.instance, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return render(request, "certifications/incident_form.html", {"form": form})
        messages.success(
            request, gettext("Incident recorded; the organisation is flagged at risk.")
        )
        return redirect("certifications:incident_list")
    return render(request, "certifications/incident_form.html", {"form": form})
