import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django_ratelimit.core import is_ratelimited

from wards.forms import OrganizationFilterForm
from wards.models import AdministrativeUnit, Organization
from wards.selectors import predecessors_of

logger = logging.getLogger(__name__)


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
    return render(request, "wards/unit_detail.html", context)


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
        try:
            limited = [
                is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
                for group, key, rate in limits
            ]
        except Exception:  # noqa: BLE001 - the counters' cache (Redis) does not answer
            # Refuse rather than send unlimited e-mails (django-ratelimit's own choice when it
            # cannot count), and say it is for a moment.
            logger.warning("password reset refused: the rate-limit cache is unavailable")
            return self._refuse(
                gettext(
                    "Password reset is unavailable for a moment. Try again in a few minutes, "
                    "or ask the administrator."
                ),
                status=503,
            )
        if any(limited):
            return self._refuse(
                gettext(
                    "Too many password reset requests. Wait an hour, or ask the administrator."
                ),
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def _refuse(self, message: str, *, status: int) -> HttpResponse:
        form = self.get_form()
        form.is_valid()
        form.add_error(None, message)
        return self.render_to_response(self.get_context_data(form=form), status=status)
