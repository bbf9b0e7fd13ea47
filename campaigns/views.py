from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wards.models import AdministrativeUnit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page, by role: an official's unit and what is due; city links; admin links."""
    user = request.user
    context: dict = {}
    if user.role == "official" and user.unit_id:
        unit = AdministrativeUnit.objects.select_related("parent").get(pk=user.unit_id)
        context["unit"] = unit
        context["residential_area_count"] = unit.residential_areas.count()
        context["organization_count"] = unit.organizations.filter(is_active=True).count()
        context["due_items"] = []
    elif user.role in ("approver", "leader") and user.unit_id:
        context["city"] = user.unit
        context["unit_count"] = (
            AdministrativeUnit.objects.visible_to(user)
            .commune_level()
            .filter(valid_to__isnull=True)
            .count()
        )
    return render(request, "campaigns/home.html", context)
