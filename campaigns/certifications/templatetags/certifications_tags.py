"""Hook fragments for pages other apps own: the home page and a unit's page.

Each tag runs a fixed number of queries whatever the amount of data.
"""

from django import template
from django.utils import timezone

from campaigns.certifications import permissions, selectors

register = template.Library()

UNIT_SECTION_YEARS = 6


@register.inclusion_tag("certifications/includes/unit_section.html", takes_context=True)
def certification_unit_section(context, unit) -> dict:
    """A unit's titles over its last years (the caller already checked it may see the unit)."""
    years = selectors.dossier_years(unit_ids=[unit.pk])[:UNIT_SECTION_YEARS]
    history = selectors.unit_history(unit_ids=[unit.pk], years=years)[unit.pk] if years else []
    return {"unit": unit, "history": history, "request": context.get("request")}


@register.inclusion_tag("certifications/includes/home.html", takes_context=True)
def certification_home(context) -> dict:
    """Officials: dossiers to prepare this year; approvers: dossiers awaiting a decision;
    city users: the latest year's figures."""
    user = context["user"]
    year = timezone.localdate().year
    data: dict = {"user": user, "year": year, "request": context.get("request")}
    if not user.is_authenticated:
        return data
    if (
        permissions.prepares_for_own_unit(user)
        and user.unit
        and not user.unit.is_valid_on(timezone.localdate())
    ):
        # A unit reorganised away (e.g. in 2025) prepares no new dossiers: its history stays.
        data["unit_gone"] = user.unit
    elif permissions.prepares_for_own_unit(user):
        data["drafts"] = selectors.dossiers_in_preparation(user)
        data["missing"] = selectors.holders_without_dossier(user, year=year)
        data["show_official"] = True
    if permissions.can_decide_dossiers(user):
        data["awaiting_count"], data["awaiting"] = selectors.dossiers_awaiting_decision(user)
        data["show_approver"] = True
    if permissions.sees_city_summary(user):
        data["summary"] = selectors.latest_city_summary(user)
    return data
