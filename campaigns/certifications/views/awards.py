"""Awards (to units, organisations, persons and model sites) and the Ngày hội."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.certifications import permissions, services
from campaigns.certifications.forms import (
    AwardFilterForm,
    AwardRecordForm,
    FestivalDayForm,
    PersonForm,
)
from campaigns.certifications.models import Award, FestivalDay
from campaigns.certifications.views._common import PAGE_SIZE, require_preparer
from wards.form_errors import add_service_errors
from wards.history import history_of
from wards.models import AdministrativeUnit
from wards.numbers import int_param
from wards.params import query_param


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
    if not permissions.can_manage_awards(user):
        raise PermissionDenied
    award = get_object_or_404(Award.objects.visible_to(user), pk=pk) if pk else None
    initial = {}
    person_id = int_param(query_param(request, "person", "ca-nhan"))
    if award is None and person_id is not None:
        initial = {"recipient_type": "person", "recipient_person": person_id}
    form = AwardRecordForm(request.POST or None, instance=award, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.award_save(award=form.instance, user=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Award saved."))
            return redirect("certifications:award_list")
    context = {"form": form, "award": award, "history": history_of(award) if award else None}
    return render(request, "certifications/award_form.html", context)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage_awards(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(person=form.instance, user=request.user)
        messages.success(request, gettext("%(name)s added.") % {"name": person.full_name})
        return redirect(reverse("certifications:award_create") + f"?person={person.pk}")
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
    require_preparer(user)
    festival = get_object_or_404(FestivalDay.objects.editable_by(user), pk=pk) if pk else None
    form = FestivalDayForm(request.POST or None, instance=festival, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.festival_save(
                festival=form.instance,
                user=user,
                showcase_areas=form.cleaned_data["showcase_areas"],
                showcase_sites=form.cleaned_data["showcase_sites"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("Ngày hội saved."))
            return redirect("certifications:festival_list")
    context = {
        "form": form,
        "festival": festival,
        "history": history_of(festival) if festival else None,
    }
    return render(request, "certifications/festival_form.html", context)
