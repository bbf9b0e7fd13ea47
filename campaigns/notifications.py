"""Who is told what when a report, dossier or classification sheet moves on.

The services call these functions inside their transactions: the notifications
(:mod:`wards.notifications`) commit or roll back with the event. Texts are written in the
site's language; each links to the page where the recipient acts.
"""

import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext, ngettext

from campaigns import approvals
from wards.models import AdministrativeUnit, Notification, User
from wards.notifications import notify, site_language
from wards.scoping import can_view_unit

Kind = Notification.Kind


def report_approvers(report) -> list[User]:
    """Who approves this report: the one place notifications ask it.

    A submitted report: the approvers of its pending step (:func:`campaigns.approvals.
    approvers_for`: the city police until 2024, the provincial police from 2025, or the next
    level of a longer chain). A report not submitted yet (the overdue notices): the approvers
    of its first step.
    """
    if report.status == "submitted":
        return approvals.approvers_for(report)
    return approvals.step_approvers(approvals.chain_of(report)[0])


def unit_approvers(unit: AdministrativeUnit) -> list[User]:
    """Approvers who may see ``unit`` (``wards.scoping``): who decides its dossiers."""
    candidates = User.objects.filter(role=User.Role.APPROVER, is_active=True, unit__isnull=False)
    return [user for user in candidates.select_related("unit") if can_view_unit(user, unit)]


def unit_editors(unit: AdministrativeUnit) -> QuerySet[User]:
    """Who fills in ``unit``'s reports: its officials (for a city, its approvers)."""
    return User.objects.filter(
        unit=unit, is_active=True, role__in=[User.Role.OFFICIAL, User.Role.APPROVER]
    )


def due_phrase(due_on: datetime.date, today: datetime.date) -> str:
    """ "còn N ngày" / "hạn hôm nay" / "quá hạn N ngày" for a report not submitted yet."""
    days = (due_on - today).days
    if days > 0:
        return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
    if days == 0:
        return gettext("due today")
    return ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {"days": -days}


# --- reports ---------------------------------------------------------------------------------


def report_submitted(report, *, actor: User) -> None:
    with site_language():
        notify(
            recipients=report_approvers(report),
            exclude=actor,
            kind=Kind.REPORT_SUBMITTED,
            text=gettext("%(unit)s submitted its %(year)s report for review.")
            % {"unit": report.unit.name, "year": report.period.year},
            url=report.get_absolute_url(),
        )


def report_step_approved(report, *, actor: User, level: str) -> None:
    """An intermediate level approved: the next level's approvers now decide."""
    with site_language():
        notify(
            recipients=report_approvers(report),
            exclude=actor,
            kind=Kind.REPORT_SUBMITTED,
            text=gettext(
                "The %(year)s report of %(unit)s was approved by %(level)s and waits for yours."
            )
            % {"year": report.period.year, "unit": report.unit.name, "level": level},
            url=report.get_absolute_url(),
        )


def report_returned(report, *, actor: User, reason: str, remarks: int) -> None:
    with site_language():
        details = ""
        if remarks:
            details = ngettext(
                "%(count)s remark on a single figure: see it beside the field.",
                "%(count)s remarks on single figures: see them beside the fields.",
                remarks,
            ) % {"count": remarks}
        text = gettext("The %(year)s report of %(unit)s was returned: %(reason)s") % {
            "year": report.period.year,
            "unit": report.unit.name,
            "reason": reason,
        }
        if len(text) > 500:  # the text is cut there: the whole reason goes in the details
            details = "\n".join(filter(None, [reason, details]))
        notify(
            recipients=unit_editors(report.unit),
            exclude=actor,
            kind=Kind.REPORT_RETURNED,
            text=text,
            details=details,
            url=report.get_entry_url(),
        )


def report_approved(report, *, actor: User) -> None:
    with site_language():
        notify(
            recipients=unit_editors(report.unit),
            exclude=actor,
            kind=Kind.REPORT_APPROVED,
            text=gettext("The %(year)s report of %(unit)s was approved.")
            % {"year": report.period.year, "unit": report.unit.name},
            url=report.get_absolute_url(),
        )


def report_reopened(report, *, actor: User, reason: str) -> None:
    with site_language():
        notify(
            recipients=unit_editors(report.unit),
            exclude=actor,
            kind=Kind.REPORT_REOPENED,
            text=gettext("The approved %(year)s report of %(unit)s was reopened: %(reason)s")
            % {"year": report.period.year, "unit": report.unit.name, "reason": reason},
            url=report.get_entry_url(),
        )


def report_nudged(report, *, actor: User, today: datetime.date) -> list[Notification]:
    with site_language():
        return notify(
            recipients=unit_editors(report.unit),
            exclude=actor,
            kind=Kind.REMINDER,
            text=gettext(
                "%(by)s reminds you: the %(year)s report of %(unit)s is not submitted (%(due)s)."
            )
            % {
                "by": actor.get_full_name() or actor.username,
                "year": report.period.year,
                "unit": report.unit.name,
                "due": due_phrase(report.period.due_on, today),
            },
            url=report.get_entry_url(),
        )


# --- certification dossiers and classification sheets --------------------------------------


def dossier_submitted(dossier, *, actor: User) -> None:
    with site_language():
        notify(
            recipients=unit_approvers(dossier.unit),
            exclude=actor,
            kind=Kind.DOSSIER_SUBMITTED,
            text=gettext("Dossier submitted for decision: %(dossier)s.") % {"dossier": dossier},
            url=dossier.get_absolute_url(),
        )


def _dossier_side(dossier) -> list[User]:
    people = list(unit_editors(dossier.unit))
    if dossier.submitted_by_id and dossier.submitted_by_id not in {u.pk for u in people}:
        people.append(dossier.submitted_by)
    return people


def dossier_decided(dossier, *, actor: User) -> None:
    with site_language():
        notify(
            recipients=_dossier_side(dossier),
            exclude=actor,
            kind=Kind.DOSSIER_DECIDED,
            text=gettext("Dossier decided: %(dossier)s — %(result)s.")
            % {"dossier": dossier, "result": dossier.get_result_display()},
            url=dossier.get_absolute_url(),
        )


def dossier_returned(dossier, *, actor: User) -> None:
    with site_language():
        notify(
            recipients=_dossier_side(dossier),
            exclude=actor,
            kind=Kind.DOSSIER_RETURNED,
            text=gettext("Dossier returned for correction: %(dossier)s — %(note)s")
            % {"dossier": dossier, "note": dossier.return_note},
            url=dossier.get_absolute_url(),
        )


def classification_approved(sheet, *, actor: User) -> None:
    with site_language():
        notify(
            recipients=unit_editors(sheet.unit),
            exclude=actor,
            kind=Kind.CLASSIFICATION_APPROVED,
            text=gettext("Movement classification approved: %(sheet)s — %(level)s.")
            % {"sheet": sheet, "level": sheet.get_level_display() or "—"},
            url=sheet.get_absolute_url(),
        )
