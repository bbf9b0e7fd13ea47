from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from wards import services
from wards.forms import OrganizationFilterForm, YearReopenForm
from wards.models import AdministrativeUnit, Organization, User, YearReopening
from wards.selectors import predecessors_of


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    units = (
        AdministrativeUnit.objects.visible_to(request.user)
        .commune_level()
        .select_related("parent")
        .annotate(
            residential_area_count=Count("residential_areas", distinct=True),
            organization_count=Count(
                "organizations", filter=Q(organizations__is_active=True), distinct=True
            ),
        )
        .order_by("display_order", "name")
    )
    return render(request, "wards/unit_list.html", {"units": units})


@login_required
def unit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_object_or_404(
        AdministrativeUnit.objects.visible_to(request.user).select_related("parent"), slug=slug
    )
    context = {
        "unit": unit,
        "residential_areas": unit.residential_areas.order_by("name"),
        "organizations": unit.organizations.filter(is_active=True).order_by("kind", "name"),
        "predecessors": predecessors_of(unit),
        "changes": unit.changes_as_predecessor.prefetch_related("successors").order_by(
            "effective_date"
        ),
        "unit_page_sections": settings.UNIT_PAGE_SECTIONS,
    }
    if request.user.can_approve:
        # Approvers see the reopened years of the unit and may reopen one (one query).
        context["reopenings"] = unit.year_reopenings.select_related(
            "reopened_by", "closed_again_by"
        ).order_by("-reopened_at")
        context["reopen_form"] = YearReopenForm()
    return render(request, "wards/unit_detail.html", context)


@login_required
@require_POST
def year_reopen(request: HttpRequest, slug: str) -> HttpResponse:
    """An approver reopens a closed year for the unit, with a reason (audited)."""
    unit = get_object_or_404(AdministrativeUnit.objects.visible_to(request.user), slug=slug)
    if not request.user.can_approve:
        raise PermissionDenied
    form = YearReopenForm(request.POST)
    if form.is_valid():
        years = form.years()
        try:
            services.years_reopen(
                unit=unit, years=years, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            shown = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
            messages.success(
                request,
                gettext("%(year)s is reopened for %(unit)s: its data may be corrected.")
                % {"year": shown, "unit": unit.name},
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(unit)


@login_required
@require_POST
def year_close_again(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    unit = get_object_or_404(AdministrativeUnit.objects.visible_to(request.user), slug=slug)
    reopening = get_object_or_404(YearReopening, unit=unit, pk=pk)
    if not request.user.can_approve:
        raise PermissionDenied
    try:
        services.year_close_again(reopening=reopening, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext("%(year)s is closed again.") % {"year": reopening.year})
    return redirect(unit)


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    visible_units = AdministrativeUnit.objects.visible_to(request.user).commune_level()
    form = OrganizationFilterForm(request.GET or None, units=visible_units)
    organizations = Organization.objects.visible_to(request.user).select_related("unit")
    if form.is_valid():
        organizations = form.filter(organizations)
    page = Paginator(organizations.order_by("unit__name", "kind", "name"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "wards/organization_list.html", {"form": form, "page": page})


def _client_address(group: str, request: HttpRequest) -> str:
    # The same address django-axes sees (it knows how many proxies are in front).
    return get_client_ip_address(request) or ""


def _email_asked(group: str, request: HttpRequest) -> str:
    return request.POST.get("email", "").strip().casefold()


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per client address and per e-mail address.

    Over the limit the form comes back with a 429 and no e-mail is sent; the answer is the
    same whether the address belongs to an account or not.
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        limits = [
            ("password-reset-address", _client_address, settings.PASSWORD_RESET_RATE_PER_ADDRESS),
            ("password-reset-email", _email_asked, settings.PASSWORD_RESET_RATE_PER_EMAIL),
        ]
        # Every counter counts this request, so no short-circuit.
        limited = [
            is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
            for group, key, rate in limits
        ]
        if any(limited):
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None,
                gettext(
                    "Too many password reset requests. Wait an hour, or ask the administrator."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


@login_required
def help_page(request: HttpRequest, role: str | None = None) -> HttpResponse:
    """How to use the app, one page per role; opens on the reader's own role."""
    role = role or request.user.role or User.Role.OFFICIAL
    if role not in User.Role.values:
        raise Http404
    roles = [(value, label) for value, label in User.Role.choices]
    return render(
        request,
        "wards/help.html",
        {"role": role, "role_label": User.Role(role).label, "roles": roles},
    )
