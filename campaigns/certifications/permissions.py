"""Who may do what with titles, dossiers, classification and awards (the shared questions are
:mod:`wards.permissions`).

Which holder a user prepares for, and which dossier or scoring sheet it sees, is
:mod:`wards.scoping`'s (the querysets' ``visible_to`` and ``editable_by``). Leaders read only.
"""

from wards import permissions as shared


def can_prepare_dossiers(user) -> bool:
    """Opening and filling dossiers, scoring sheets and festival days for the holders it may
    edit: officials, approvers and administrators (leaders read only; an account without a
    role does nothing)."""
    return shared.is_signed_in(user) and (
        user.is_official or user.is_approver or user.is_admin_role
    )


def prepares_for_own_unit(user) -> bool:
    """An official: prepares for its own unit's holders only, in the years its unit exists (the
    home page lists its drafts and the holders still without a dossier)."""
    return shared.works_for_own_unit(user)


def prepares_for_any_unit(user) -> bool:
    """An administrator: the preparation board offers every unit to choose from."""
    return shared.acts_on_every_unit(user)


def can_open_scoring_sheets(user) -> bool:
    """The classification list offers the wards and communes still without a scoring sheet to
    officials (their own) and administrators."""
    return shared.works_for_own_unit(user) or shared.acts_on_every_unit(user)


def can_decide_dossiers(user) -> bool:
    """Deciding a submitted dossier (a title or not) or returning it: the approvers and the
    administrators, for the dossiers they see."""
    return shared.has_approval_duties(user)


def can_approve_classifications(user) -> bool:
    """Approving a submitted scoring sheet, with the approved points: the approvers and the
    administrators, for the sheets they see."""
    return shared.has_approval_duties(user)


def can_manage_awards(user) -> bool:
    """Recording and correcting awards, and adding the persons who receive them: the approvers
    and the administrators."""
    return shared.has_approval_duties(user)


def sees_city_summary(user) -> bool:
    """The home page's figures of the latest year over the city: approvers and leaders."""
    return shared.oversees_units_below(user)
