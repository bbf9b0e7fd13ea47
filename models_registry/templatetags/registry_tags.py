"""Template tags for the registry's hooks (unit page section, home card) and money display."""

from django import template
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import number_format

from models_registry import permissions, selectors
from models_registry.models import ModelSite, SiteEvaluation
from wards.scoping import can_view_unit

register = template.Library()

HOME_LIST_LENGTH = 5


@register.filter
def vnd(value) -> str:
    """An amount in đồng as vi-VN writes it: 15.000.000 ₫ (grouping follows the language)."""
    if value in (None, ""):
        return "—"
    return f"{number_format(value, decimal_pos=0, force_grouping=True)}\u00a0₫"


@register.simple_tag
def registry_unit_sites(unit, user) -> dict:
    """The unit page section: the unit's sites of every model, with the latest readable grade.

    Two queries whatever the number of sites: the sites (with the latest confirmed grade, or
    the latest grade of any status for readers within the unit's scope, as subqueries) and the
    scope check.
    """
    if not permissions.can_read_registry(user):
        return {"sites": [], "visible": False}
    in_scope = can_view_unit(user, unit)
    evaluations = SiteEvaluation.objects.filter(site=OuterRef("pk"))
    if not in_scope:
        evaluations = evaluations.confirmed()
    latest = evaluations.order_by("-year")
    sites = (
        ModelSite.objects.readable_by(user)
        .filter(unit=unit)
        .select_related("model", "residential_area")
        .annotate(
            latest_year=Subquery(latest.values("year")[:1]),
            latest_grade=Subquery(latest.values("grade")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
        )
        .order_by("status", "model__name", "start_date")
    )
    return {
        "sites": list(sites),
        "visible": True,
        "can_add": permissions.manages_own_unit_sites(user) and user.unit_id == unit.pk,
    }


@register.simple_tag
def registry_home(user) -> dict:
    """The home card: an official's sites and what to propose this year; the approver's queue."""
    if not permissions.can_read_registry(user):
        return {}
    today = timezone.localdate()
    card: dict = {"year": today.year}
    if permissions.manages_own_unit_sites(user) and user.unit_id:
        graded = SiteEvaluation.objects.filter(site=OuterRef("pk"), year=today.year)
        sites = list(
            ModelSite.objects.filter(unit_id=user.unit_id)
            .active_on(today)
            .select_related("model", "unit")
            .annotate(graded_this_year=Exists(graded))
            .order_by("model__name")
        )
        # Nothing is due for a unit that no longer exists this year.
        due = [
            s for s in sites if not s.graded_this_year and today.year in s.evaluation_years(today)
        ]
        card.update(
            {
                "view": "unit",
                "site_count": len(sites),
                "due": due[:HOME_LIST_LENGTH],
                "due_count": len(due),
                "pending_count": SiteEvaluation.objects.visible_to(user)
                .awaiting_confirmation()
                .count(),
            }
        )
    elif permissions.sees_registry_overview(user):
        pending = (
            SiteEvaluation.objects.visible_to(user)
            .awaiting_confirmation()
            .select_related("site__model", "site__unit")
            .order_by("-year", "site__unit__display_order", "site__model__name")
        )
        years = selectors.registry_years(today)
        card.update(
            {
                "view": "overview",
                "can_confirm": permissions.can_confirm_grades(user),
                "pending": list(pending[:HOME_LIST_LENGTH]),
                "pending_count": pending.count(),
                "as_of": selectors.as_of_for_year(years.default, today),
            }
        )
        card["model_count"] = selectors.count_models(card["as_of"])
    return card


GRADE_CLASSES = {
    "good": "text-bg-success",
    "average": "text-bg-warning",
    "weak": "text-bg-danger",
    "unclassified": "text-bg-secondary",
}


@register.filter
def grade_class(grade: str) -> str:
    """Bootstrap badge colours for a grade."""
    return GRADE_CLASSES.get(grade, "text-bg-light")


@register.filter
def grade_label(grade: str) -> str:
    """The label of a grade value (for rows annotated with the raw value)."""
    return SiteEvaluation.Grade(grade).label if grade in SiteEvaluation.Grade.values else ""
