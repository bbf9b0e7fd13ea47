"""Who may do what in the registry of crime-prevention models (see :mod:`wards.permissions`).

Reading is city-wide: every signed-in, active account with a role reads the models and their
sites. Writing follows the unit's scope (:mod:`wards.scoping`): an official works on its own
unit's sites; the approver (the city police, the standing office) and administrators register,
retire and replicate models and confirm the grades.
"""

from wards import periods
from wards.models import AdministrativeUnit
from wards.scoping import can_view_unit


def can_read_registry(user) -> bool:
    """Every signed-in, active account with a role (or an administrator) reads the registry."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "role", ""))
    )


def can_register_models(user) -> bool:
    """The approver (city police, standing office) and administrators register and retire models."""
    return bool(can_read_registry(user) and user.can_approve)


def can_confirm_grades(user) -> bool:
    """The approver and administrators confirm (or correct) the grades the units propose."""
    return bool(can_read_registry(user) and user.can_approve)


def can_propose_grades(user) -> bool:
    """An official (for its own unit's sites) or an administrator proposes a year's grade; the
    site itself must be editable by the user (``ModelSite.objects.editable_by``)."""
    return bool(can_read_registry(user) and (user.is_official or user.is_admin_role))


def manages_own_unit_sites(user) -> bool:
    """An official: registers and grades the sites of its own unit only (no unit to choose)."""
    return bool(can_read_registry(user) and user.is_official)


def sees_registry_overview(user) -> bool:
    """The city's overview on the home page (grades awaiting confirmation, the model count):
    approvers, administrators and leaders."""
    return bool(can_read_registry(user) and (user.can_approve or user.is_leader))


def can_add_site_in_scope(user, unit: AdministrativeUnit) -> bool:
    """Whether ``user`` may add a site in ``unit`` by role and scope, the unit's end left aside
    (the service refuses an ended unit with its own message): an official in its own unit, the
    approver in any ward or commune it sees."""
    if not can_read_registry(user) or not unit.is_commune_level:
        return False
    if user.is_official:
        return user.unit_id == unit.pk
    return user.can_approve and can_view_unit(user, unit)


def can_add_site(user, unit: AdministrativeUnit) -> bool:
    """An official adds sites in their own unit; the approver in any ward or commune they see.
    Never in a unit that has ended (its successors take the work)."""
    return can_add_site_in_scope(user, unit) and unit.is_valid_on(periods.today())


def can_retire_site(user, site) -> bool:
    """The site's own unit (official) or the approver may retire it."""
    # models.py reads can_read_registry from here, so the model is imported when asked.
    from models_registry.models import ModelSite

    if not can_read_registry(user):
        return False
    if user.can_approve:
        return ModelSite.objects.visible_to(user).filter(pk=site.pk).exists()
    return ModelSite.objects.editable_by(user).filter(pk=site.pk).exists()
