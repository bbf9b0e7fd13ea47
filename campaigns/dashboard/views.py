"""Dashboard, indicator drill-down and period review pages (and their XLSX/CSV exports)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.dashboard import reports
from campaigns.dashboard.exports import CSV_LAYOUTS, to_csv, to_xlsx
from campaigns.dashboard.forms import PeriodForm, scope_units
from campaigns.dashboard.selectors import indicator_catalogue
from wards.documents import document_context
from wards.pdf import pdf_response


def _period_form(request: HttpRequest) -> PeriodForm:
    form = PeriodForm(request.GET, user=request.user)
    form.is_valid()
    if form.forbidden:
        raise PermissionDenied(_("You may not see the figures of this unit."))
    return form


def _units_for_picker(user, form: PeriodForm) -> list:
    """A short list to pick a scope from: the user's top units, the chosen unit's ancestors,
    the chosen unit and the units right below it (never every unit of the country)."""
    allowed = scope_units(user)
    chosen = form.cleaned_data.get("unit") if form.is_valid() else None
    roots = allowed.filter(pk=user.unit_id) if user.unit_id else allowed.filter(parent__isnull=True)
    picked = list(roots.order_by("display_order", "name"))
    if chosen is not None:
        chain = [chosen.parent_id, chosen.pk]
        picked += list(allowed.filter(pk__in=[pk for pk in chain if pk]).order_by("kind"))
        picked += list(allowed.filter(parent=chosen).order_by("display_order", "name"))
    seen: set[int] = set()
    return [u for u in picked if not (u.pk in seen or seen.add(u.pk))]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = _period_form(request)
    context = {
        "form": form,
        "units": _units_for_picker(request.user, form),
        "map_id": "unit-map-data",
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    if form.is_valid():
        context.update(
            reports.dashboard_context(
                form.query(),
                request.user,
                timezone.localdate(),
                map_indicator=request.GET.get("indicator"),
            )
        )
    return render(
        request, "dashboard/dashboard.html", context, status=200 if form.is_valid() else 400
    )


@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    form = _period_form(request)
    catalogue = indicator_catalogue()
    context = {"form": form, "units": _units_for_picker(request.user, form)}
    if code not in catalogue:
        return render(request, "404.html", status=404)
    if form.is_valid():
        context.update(reports.indicator_context(form.query(), catalogue, code))
    return render(
        request, "dashboard/indicator_detail.html", context, status=200 if form.is_valid() else 400
    )


@login_required
def period_report(request: HttpRequest) -> HttpResponse:
    form = _period_form(request)
    context = {"form": form, "units": _units_for_picker(request.user, form)}
    if not form.is_valid():
        return render(request, "dashboard/period_report.html", context, status=400)
    review = reports.period_review(form.query())
    export = request.GET.get("format")
    if export in ("xlsx", "csv"):
        return _export(review, export, request.GET.get("table"), request.GET.get("layout"))
    context.update({"review": review, **_review_document(review)})
    if export == "pdf":
        query = review.query
        stem = f"so-ket-{review.summary.scope.unit.slug}-{query.year_from}-{query.year_to}"
        return pdf_response(request, "dashboard/period_report.html", context, stem)
    return render(request, "dashboard/period_report.html", context)


def _review_document(review: "reports.PeriodReview") -> dict:
    return document_context(
        unit=review.query.unit,
        issuer=_("Steering committee of the movement"),
        number="……/BC-BCĐ",
        signer_on_behalf=_("On behalf of the steering committee"),
        signer_title=_("Head of the committee"),
        recipients=[_("Provincial police"), _("Members of the steering committee")],
    )


def _export(
    review: "reports.PeriodReview", fmt: str, table_key: str | None, layout: str | None
) -> HttpResponse:
    stem = (
        f"so-ket-{review.summary.scope.unit.slug}-{review.query.year_from}-{review.query.year_to}"
    )
    if fmt == "xlsx":
        response = HttpResponse(
            to_xlsx(review.tables()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return response
    tables = {t.key: t for t in review.tables()}
    table = tables.get(table_key or "", next(iter(tables.values())))
    layout = layout if layout in CSV_LAYOUTS else "plain"
    suffix = "-excel-vn" if layout == "vi" else ""
    response = HttpResponse(to_csv(table, layout), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{table.key}{suffix}.csv"'
    return response
