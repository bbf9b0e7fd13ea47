"""Who may do what with the yearly reports (the shared questions are :mod:`wards.permissions`).

Which unit's report a user sees or fills is :mod:`wards.scoping`'s (``visible_to``,
``editable_by``, ``can_edit_unit``); which approval step a user decides is
:mod:`campaigns.approvals`' (``may_decide``, ``may_review``, ``may_reopen``), built on
:func:`can_review_reports`. The services check both again: a view asking first only chooses
what to show.
"""

from wards import permissions as shared


def reports_for_own_unit(user) -> bool:
    """An official with a unit: reports for that unit, whose campaigns are its own and its
    city's (the home page lists what is due)."""
    return shared.works_for_own_unit(user) and bool(user.unit_id)


def oversees_city_reports(user) -> bool:
    """An approver or a leader with a unit: follows the reports of the units below it (the home
    page's links to the city's progress)."""
    return shared.oversees_units_below(user) and bool(user.unit_id)


def sees_reporting_progress(user) -> bool:
    """The reporting progress over many units (the completeness page): approvers, leaders and
    administrators."""
    return shared.sees_city_views(user)


def acts_on_every_unit(user) -> bool:
    """An administrator: every campaign, every unit's report, every approval step, and the
    import page without a unit of its own."""
    return shared.acts_on_every_unit(user)


def can_review_reports(user) -> bool:
    """Approving, returning and reopening reports, and the worklist: the approvers and the
    administrators (the step is :func:`campaigns.approvals.may_decide`'s, the unit the scope's)."""
    return shared.has_approval_duties(user)


def can_remind_units(user) -> bool:
    """The reminder ("Nhắc nhở") to a unit whose report is late: the approvers."""
    return shared.has_approval_duties(user)


def imports_city_wide(user) -> bool:
    """The template and the upload of every unit of the city in one file: the approvers and the
    administrators (an official's file holds its own unit)."""
    return shared.has_approval_duties(user)
