import logging

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
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from wards import notifications, permissions, services
from wards.forms import OrganizationFilterForm, ProfileForm, YearReopenForm
from wards.models import AdministrativeUnit, Notification, Organization, User, YearReopening
from wards.params import query_param
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
    if permissions.can_reopen_years(request.user):
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
    if not permissions.can_reopen_years(request.user):
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
    if not permissions.can_reopen_years(request.user):
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


@login_required
def help_page(request: HttpRequest, role: str | None = None) -> HttpResponse:
    """How to use the app, one page per role; opens on the reader's own role."""
    role = role or permissions.role_of(request.user) or User.Role.OFFICIAL
    if role not in User.Role.values:
        raise Http404
    roles = [(value, label) for value, label in User.Role.choices]
    return render(
        request,
        "wards/help.html",
        {"role": role, "role_label": User.Role(role).label, "roles": roles},
    )


# --- notifications and profile -------------------------------------------------------------


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, 50 a page."""
    rows = Notification.objects.filter(recipient=request.user)
    shown = "unread" if query_param(request, "unread", "chua-doc") == "1" else "all"
    if shown == "unread":
        rows = rows.unread()
    page = Paginator(rows.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "wards/notifications.html", {"page": page, "shown": shown})


def _own_notification(request: HttpRequest, pk: int) -> Notification:
    # Someone else's notification is a 404, as if it did not exist.
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about."""
    notification = _own_notification(request, pk)
    if notification.read_at is None:
        notifications.mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("wards:notifications")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notifications.mark_read(user=request.user, notification=_own_notification(request, pk))
    return redirect(_back(request))


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked read.", "%(count)s notifications marked read.", count
        )
        % {"count": count},
    )
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("wards:notifications")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The user's e-mail address and how notifications reach them."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        notifications.save_settings(user=request.user, profile=form.instance)
        messages.success(request, gettext("Your notification settings were saved."))
        return redirect("wards:profile")
    return render(request, "wards/profile.html", {"form": form})
