"""Dashboard, indicator drill-down and period review pages (and their XLSX/CSV exports)."""

import datetime
from abc import ABC, abstractmethod
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from campaigns.dashboard import reports
from campaigns.dashboard.exports import CSV_LAYOUTS, to_csv, to_xlsx
from campaigns.dashboard.forms import PeriodForm, ReviewForm
from campaigns.dashboard.permissions import scope_units, viewer_key
from campaigns.dashboard.selectors import MAX_LISTED_UNITS, scope_of
from wards import figures
from wards.documents import document_context, issuing_unit
from wards.pdf import pdf_response


def _period_form(request: HttpRequest, form_class: type[PeriodForm] = PeriodForm) -> PeriodForm:
    # The version first (read once per request): the scope check then takes the user's ground
    # from the figures cache.
    figures.current()
    form = form_class(request.GET, user=request.user)
    form.is_valid()
    if form.forbidden:
        raise PermissionDenied(_("You may not see the figures of this unit."))
    return form


def _units_for_picker(user, form: PeriodForm, version: int) -> list:
    """A short list to pick a scope from: the user's top units, the chosen unit's ancestors,
    the chosen unit and the units right below it (never every unit of the country). Cached:
    units change only in the admin, which bumps the figures version."""
    chosen = form.cleaned_data.get("unit") if form.is_valid() else None
    viewer = (*viewer_key(user), getattr(chosen, "pk", None))
    return figures.cached(
        "picker",
        viewer,
        lambda: _picker_units(user, chosen),
        version=version,
    )


def _picker_units(user, chosen) -> list:
    allowed = scope_units(user)
    roots = allowed.filter(pk=user.unit_id) if user.unit_id else allowed.filter(parent__isnull=True)
    picked = list(roots.order_by("display_order", "name"))
    if chosen is not None:
        chain = [chosen.parent_id, chosen.pk]
        picked += list(allowed.filter(pk__in=[pk for pk in chain if pk]).order_by("kind"))
        picked += list(allowed.filter(parent=chosen).order_by("display_order", "name"))
    seen: set[int] = set()
    return [u for u in picked if not (u.pk in seen or seen.add(u.pk))]


# The parameters a figures page reads; a request with any other is answered but not stored
# (the pages repeat the parameters in their links and forms, and junk must not fill the cache).
DASHBOARD_PARAMS = frozenset({"from", "to", "unit", "as_of", "submitted", "indicator"})
REVIEW_PARAMS = frozenset({"from", "to", "unit", "as_of", "submitted", "format", "table", "layout"})


def _page_key(request: HttpRequest, today: datetime.date, params: frozenset) -> tuple | None:
    """What a figures page's content depends on besides the figures version: what the viewer
    may see (:func:`viewer_key`), the parameters as sent, the language and the day. None when
    the request carries a parameter the page does not read."""
    if not request.GET.keys() <= params:
        return None
    return (*viewer_key(request.user), request.GET.urlencode(), get_language(), today.isoformat())


def _stored(name: str, key: tuple | None, build: Callable[[], str], version: int) -> str:
    return build() if key is None else figures.cached(name, key, build, version=version)


def _page(request: HttpRequest, template: str, html: str) -> HttpResponse:
    return render(request, template, {"page_html": mark_safe(html)})  # noqa: S308 - our own template's output


class FiguresPage(LoginRequiredMixin, View, ABC):
    """A page of figures whose whole content is stored (the dashboard, the review).

    Only a page that passed the checks (the scope: 403; the form: 400) is stored, under what
    decides them (the viewer's scope and the parameters, :func:`_page_key`), so a stored page
    is served before them, as it is. The content is stored once per viewer, parameters,
    language, day and figures version: a stored page renders only the frame around it."""

    form_class = PeriodForm
    template_name: str  # the frame
    content_template: str
    cache_name: str
    params: frozenset  # the parameters the page reads

    def get(self, request: HttpRequest) -> HttpResponse:
        version, today = figures.current(), timezone.localdate()
        key = _page_key(request, today, self.params)
        html = None if key is None else figures.peek(self.cache_name, key, version=version)
        if html is None:
            form = _period_form(request, self.form_class)
            if not form.is_valid():
                context = {"form": form, "units": _units_for_picker(request.user, form, version)}
                return render(request, self.template_name, context, status=400)
            response = self.file_response(form, version)
            if response is not None:
                return response
            html = _stored(
                self.cache_name,
                key,
                lambda: render_to_string(
                    self.content_template,
                    self.content(form, today, version, store=key is not None),
                    request=request,
                ),
                version,
            )
        return _page(request, self.template_name, html)

    def file_response(self, form: PeriodForm, version: int) -> HttpResponse | None:
        """A file asked for instead of the page (never stored with the pages)."""
        return None

    @abstractmethod
    def content(self, form: PeriodForm, today, version: int, *, store: bool) -> dict:
        """The context of the stored content (``store``: whether its parts may be cached)."""


class DashboardPage(FiguresPage):
    template_name = "dashboard/dashboard.html"
    content_template = "dashboard/includes/page.html"
    cache_name = "dashboard-page"
    params = DASHBOARD_PARAMS

    def content(self, form, today, version, *, store):
        return _dashboard_context(self.request, form, today, version, store=store)


dashboard = DashboardPage.as_view()


def _dashboard_context(
    request: HttpRequest, form: PeriodForm, today, version: int, *, store: bool = True
) -> dict:
    query = form.query()
    context = {
        "form": form,
        "units": _units_for_picker(request.user, form, version),
        "map_id": "unit-map-data",
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        **reports.dashboard_frame(query, request.user, today, version),
    }
    map_indicator = request.GET.get("indicator")

    # The figures hold nothing of the viewer: cached once for all who may see them. The map's
    # form repeats the page's other parameters: they are part of the key.
    def figures_context() -> dict:
        scope = context["scope"]
        return {**context, **reports.dashboard_context(query, map_indicator, version, scope)}

    if store:
        context["figures_html"] = _cached_html(
            "dashboard-html",
            query,
            "dashboard/includes/figures.html",
            figures_context,
            version=version,
            extra=(map_indicator or "", request.GET.urlencode()),
        )
    else:
        html = render_to_string("dashboard/includes/figures.html", figures_context())
        context["figures_html"] = mark_safe(html)  # noqa: S308 - our own template's output
    return context


@login_required
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    form = _period_form(request)
    version = figures.current()
    catalogue = reports.cached_catalogue(version)
    context = {"form": form, "units": _units_for_picker(request.user, form, version)}
    if code not in catalogue:
        return render(request, "404.html", status=404)
    if form.is_valid():
        query = form.query()
        # Cached like the figures: it changes only with the units (which bump the version).
        # The scope is lazy; the rows below share it, so its succession is read once.
        scope = scope_of(query.unit, query.as_of)
        listed = figures.cached(
            "listed-count",
            (query.unit.pk, query.as_of.isoformat()),
            scope.listed_count,
            version=version,
        )
        if listed > MAX_LISTED_UNITS:
            # One row per ward/commune: a whole country is no page to read (nor to compute
            # while the browser waits). Say how to narrow it.
            context["too_large"] = _(
                "%(unit)s has %(n)s wards and communes; this table lists at most %(max)s. "
                "Choose a province or a district."
            ) % {"unit": query.unit.name, "n": listed, "max": MAX_LISTED_UNITS}
            return render(request, "dashboard/indicator_detail.html", context, status=413)
        context.update(reports.indicator_context(query, catalogue, code, version, scope=scope))
    return render(
        request, "dashboard/indicator_detail.html", context, status=200 if form.is_valid() else 400
    )


class ReviewPage(FiguresPage):
    form_class = ReviewForm
    template_name = "dashboard/period_report.html"
    content_template = "dashboard/includes/review_page.html"
    cache_name = "review-page"
    params = REVIEW_PARAMS

    def file_response(self, form, version):
        export, request = form.cleaned_data["export_format"], self.request
        if export in ("xlsx", "csv"):
            table, layout = request.GET.get("table"), request.GET.get("layout")
            return _export(form.query(), export, table, layout, version)
        if export == "pdf":
            context = _review_context(request, form, version)
            query = context["review"].query
            stem = f"so-ket-{query.unit.slug}-{query.year_from}-{query.year_to}"
            return pdf_response(request, self.template_name, context, stem)
        return None

    def content(self, form, today, version, *, store):
        # The review's own figures are cached by query (``_review_context``); ``today`` is in
        # the page key as the document's date.
        return _review_context(self.request, form, version)


period_report = ReviewPage.as_view()


def _review_context(request: HttpRequest, form: PeriodForm, version: int) -> dict:
    query = form.query()
    review = reports.period_review(query, version)
    context = {
        "form": form,
        "units": _units_for_picker(request.user, form, version),
        "review": review,
        "figures_version": version,
        **_review_document(review),
    }
    context["review_html"] = _cached_html(
        "review-html",
        query,
        "dashboard/includes/review_body.html",
        {"review": review, **context},
        version=version,
    )
    return context


def _review_document(review: "reports.PeriodReview") -> dict:
    # Issued by the unit that held the ground at the period's end (or today, for a period still
    # running): a review of 2025–2026 over TP. Mỹ Tho, which ended in 2025, is the province's.
    query = review.query
    day = min(datetime.date(query.year_to, 12, 31), timezone.localdate())
    unit = query.unit
    if not unit.is_valid_on(day):
        unit = issuing_unit(unit, day, review.summary.scope.members)
    return document_context(
        unit=unit,
        issuer=_("Steering committee of the movement"),
        number="……/BC-BCĐ",
        signer_on_behalf=_("On behalf of the steering committee"),
        signer_title=_("Head of the committee"),
        recipients=[_("Provincial police"), _("Members of the steering committee")],
    )


def _cached_html(
    name: str,
    query,
    template: str,
    context: dict | Callable[[], dict],
    *,
    version: int,
    extra: tuple = (),
) -> str:
    """The figures part of a page, rendered once per figures version, query and language
    (rendering the tables costs more than reading the figures). It holds nothing of the user.
    ``context`` may be a function: then it runs only when the HTML is not cached."""
    html = figures.cached(
        name,
        (*reports.query_key(query), get_language(), *extra),
        lambda: render_to_string(template, context() if callable(context) else context),
        version=version,
    )
    return mark_safe(html)  # noqa: S308 - our own template's output, cached as it was


def _export(
    query, fmt: str, table_key: str | None, layout: str | None, version: int
) -> HttpResponse:
    """The review as XLSX or one table as CSV (in a layout); the file is cached like the
    figures, its title rows (basis, completeness) with it."""
    layout = layout if layout in CSV_LAYOUTS else "plain"

    def build() -> tuple[bytes, str, str]:
        review = reports.period_review(query, version)
        stem = f"so-ket-{review.summary.scope.unit.slug}-{query.year_from}-{query.year_to}"
        if fmt == "xlsx":
            return (
                to_xlsx(review.tables()),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                f"{stem}.xlsx",
            )
        tables = {t.key: t for t in review.tables()}
        table = tables.get(table_key or "", next(iter(tables.values())))
        suffix = "-excel-vn" if layout == "vi" else ""
        return (
            to_csv(table, layout),
            "text/csv; charset=utf-8",
            f"{stem}-{table.key}{suffix}.csv",
        )

    parts = (*reports.query_key(query), fmt, table_key or "", layout, get_language())
    content, content_type, filename = figures.cached("export", parts, build, version=version)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
