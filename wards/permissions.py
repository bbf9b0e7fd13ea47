"""Who may do what, asked by what they may do rather than by their role.

The role predicates (``User.is_official``, ``is_approver``, ``is_leader``, ``is_city_role``,
``is_admin_role``, ``can_approve``) are read only in :mod:`wards.models`, :mod:`wards.scoping`
and the ``permissions`` modules: this one for what every app shares, and one per app for its
own actions (``models_registry.permissions``, ``campaigns.permissions``,
``campaigns.certifications.permissions``, ``campaigns.dashboard.permissions``). Views,
templatetags, forms, selectors and services ask these functions; which unit a user sees or
edits stays with :mod:`wards.scoping`. ``tests/test_architecture.py`` keeps the predicates out of
the rest of the code.

Deny by default: an anonymous user (who has no role) may do nothing here.
"""

from wards.models import User


def is_signed_in(user) -> bool:
    """An authenticated account: every other function is False for anyone else."""
    return user is not None and user.is_authenticated


def works_for_own_unit(user) -> bool:
    """An official: works on the data of its own ward or commune (the menu's "My unit")."""
    return is_signed_in(user) and user.is_official


def oversees_units_below(user) -> bool:
    """An approver or a leader: sees its own unit (a city, a province) and every unit below it."""
    return is_signed_in(user) and user.is_city_role


def acts_on_every_unit(user) -> bool:
    """An administrator (or a superuser): no scope, every unit."""
    return is_signed_in(user) and user.is_admin_role


def sees_city_views(user) -> bool:
    """The pages over many units (the list of wards and communes, the reporting progress):
    approvers, leaders and administrators."""
    return oversees_units_below(user) or acts_on_every_unit(user)


def has_approval_duties(user) -> bool:
    """An active approver or an administrator: approves, decides and confirms for the units it
    sees. Each app names its own actions after this (``campaigns.permissions`` and the others)."""
    return is_signed_in(user) and user.can_approve


def can_reopen_years(user) -> bool:
    """Reopening a closed year of a unit, and closing it again: the approvers. The service also
    asks :func:`wards.scoping.can_view_unit` for the unit."""
    return has_approval_duties(user)


def role_of(user) -> str:
    """The account's role ("" without one): for what is shown per role (the help page opens on
    the reader's own), never for a decision."""
    return user.role if is_signed_in(user) else ""


def menu_role(user) -> str | None:
    """The role the menu is drawn for: the account's, an administrator's for a superuser
    without one, else None."""
    if not is_signed_in(user):
        return None
    return user.role or (User.Role.ADMIN if user.is_superuser else None)
