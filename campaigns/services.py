"""Every write to a yearly report: values, submission, return, approval, reopening, import.

Each service is keyword-only, checks who is acting, locks the report row
(``select_for_update``) inside ``transaction.atomic`` and writes the audit rows in the same
transaction, so that later work (aggregates) can join that transaction. Views never change a
report's status or values any other way.

Who may do what:

* values and submission: whoever may edit the report's unit (``wards.scoping``): the unit's
  official; for the city's own report, the city approver; an administrator anywhere. Only a
  draft while the period is open, or a report sent back, takes values.
* return, approve, reopen: the approvers of the report's approval step
  (:mod:`campaigns.approvals`: the levels of the report's year, e.g. the city police until
  2024, the provincial police from 2025) and administrators. A level may be followed by a
  second one: the report stays submitted until the last level approves. Nobody approves a
  report they submitted themselves: the city report filled by an approver is approved by
  another approver or an administrator.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from campaigns import aggregates, approvals, notifications, permissions, selectors
from campaigns.checks import Entry, Problem
from campaigns.models import (
    ApprovalLevel,
    ImportBatch,
    ReportingPeriod,
    ReportNudge,
    ReportStatus,
    ReportTransition,
    ReportValue,
    ReviewRemark,
    TransitionAction,
    UnitReport,
    ValueChange,
    ValueChangeSource,
)
from wards import closure, figures
from wards import services as ward_services
from wards.models import AdministrativeUnit
from wards.scoping import can_edit_unit, can_view_unit


class ReportError(Exception):
    """A refused action, with a message for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ReportLocked(ReportError):
    """The report does not take values in its status (or its period is closed)."""


class InvalidTransition(ReportError):
    """The report is not in a status that allows this action."""


class ConcurrentEdit(ReportError):
    """Someone saved the report after the version the form started from."""

    def __init__(self, message: str, *, current_version: int, conflicts: list[selectors.Conflict]):
        super().__init__(message)
        self.current_version = current_version
        self.conflicts = conflicts


class SubmissionBlocked(ReportError):
    """The report has problems that must be fixed before it can be submitted."""

    def __init__(self, message: str, *, problems: list[Problem]):
        super().__init__(message)
        self.problems = problems


def _today() -> datetime.date:
    return timezone.localdate()


# The report's unit and its ancestors, read with the report: the approval chain needs them.
_UNIT_CHAIN = ("unit", "unit__parent", "unit__parent__parent", "unit__parent__parent__parent")


def _lock(report: UnitReport) -> UnitReport:
    # of=("self",): lock the report row only, not the period or unit rows joined in; the unit
    # comes with its parents, which the aggregates and scope checks read.
    return (
        UnitReport.objects.select_for_update(of=("self",))
        .select_related("period", "period__campaign", *_UNIT_CHAIN)
        .get(pk=report.pk)
    )


def _check_version(report: UnitReport, expected_version: int | None) -> None:
    if expected_version is not None and report.version != expected_version:
        raise ConcurrentEdit(
            gettext(
                "Someone else changed this report after you opened it. Nothing was changed; "
                "reload the page to see the current report."
            ),
            current_version=report.version,
            conflicts=[],
        )


def _log(
    report: UnitReport,
    *,
    action: str,
    from_status: str,
    user,
    reason: str = "",
    update_aggregates: bool = True,
    values: Mapping[int, Decimal | None] | None = None,
) -> ReportTransition:
    """Write the transition's audit row and apply the report's delta to the aggregates.

    Every status change goes through here inside its transaction, so the aggregates of approved
    (and of submitted) figures change exactly when the status does, or not at all. A batch
    (bulk approval) passes ``update_aggregates=False`` and applies all its deltas at once;
    ``values`` (indicator id → value), when the caller holds them all, spares reading them.
    """
    if update_aggregates:
        aggregates.apply_status_changes(
            [(report, from_status)], values=None if values is None else {report.pk: values}
        )
    transition = ReportTransition.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=report.status,
        actor=user,
        reason=reason,
        version=report.version,
        created_at=timezone.now(),
    )
    if update_aggregates:  # a batch bumps once, after its aggregates
        figures.bump()  # cached pages see the change on their next request; last: it locks a row
    return transition


def _ensure_year_open(report: UnitReport) -> None:
    """A report of a closed year takes no transition (submit, return, approve, reopen) unless
    an approver reopened that year for its unit (wards.closure). A report whose own period has
    not closed is open without asking (no query on the save, submit and approve paths)."""
    if report.period.closes_on >= _today():
        return
    try:
        closure.ensure_years_open(report.unit, [report.period.year], today=_today())
    except closure.YearClosed as exc:
        raise ReportLocked(exc.messages[0]) from exc


def _require_editor(user, unit: AdministrativeUnit) -> None:
    if not can_edit_unit(user, unit):
        raise PermissionDenied(gettext("You may not change this unit's report."))


def _require_reviewer(user, report: UnitReport) -> None:
    if not permissions.can_review_reports(user) or not can_view_unit(user, report.unit):
        raise PermissionDenied(gettext("Only the approvers of this report can review it."))


def _require_step(user, report: UnitReport, levels: list[ApprovalLevel] | None = None) -> None:
    """The (locked, submitted) report's pending approval step is the user's to decide."""
    step = approvals.pending_step(report, approvals.chain_of(report, levels))
    if step is None or not approvals.may_decide(user, step, _today()):
        raise PermissionDenied(
            gettext("This report is approved at another level: %(level)s.")
            % {"level": step.name if step else "—"}
        )


# --- periods -------------------------------------------------------------------------------


def open_reporting_year(*, today: datetime.date) -> list[ReportingPeriod]:
    """Create the period of ``today``'s year for every campaign that runs that year and whose
    organising unit exists on the due date, by the campaign's calendar. Idempotent: returns
    the periods it created (none on a second run)."""
    from campaigns.models import Campaign

    created = []
    for campaign in Campaign.objects.select_related("city"):
        if not campaign.runs_in(today.year):
            continue
        opens, due, closes = campaign.period_dates(today.year)
        if not campaign.city.is_valid_on(due):
            continue
        period, was_created = ReportingPeriod.objects.get_or_create(
            campaign=campaign,
            year=today.year,
            defaults={"opens_on": opens, "due_on": due, "closes_on": closes},
        )
        if was_created:
            created.append(period)
    if created:
        # A new year changes the pages' periods and the expected reports (completeness).
        figures.bump()
    return created


# --- values --------------------------------------------------------------------------------


@dataclass
class SaveResult:
    report: UnitReport
    changed: int
    entries: dict[int, Entry] = field(default_factory=dict)  # every value after the save
    context: selectors.EntryContext | None = None

    @property
    def blocking_problems(self) -> list[Problem]:
        """What would block the report's submission, on the values as saved (no query when
        the entry page already loaded its context)."""
        if self.context is None:
            return [p for p in selectors.problems_of(self.report) if p.blocks]
        return [p for p in self.context.problems(self.entries) if p.blocks]


def report_save_values(
    *,
    period: ReportingPeriod,
    unit: AdministrativeUnit,
    user,
    entries: Mapping[int, Entry],
    expected_version: int,
    source: str = ValueChangeSource.FORM,
    context: selectors.EntryContext | None = None,
) -> SaveResult:
    """Save values and comments (by indicator id) into the unit's report of the period.

    Creates the report (as a draft) on its first save. Refuses, changing nothing:
    a user who may not edit the unit (PermissionDenied); a report that does not take values
    (ReportLocked); a save that started from an older version than the stored one
    (ConcurrentEdit, listing what changed meanwhile); a value the indicator cannot take
    (ValidationError). Indicators absent from ``entries`` keep their values. Every changed
    value is written to the audit with the new version. ``context`` is what the entry page
    already loaded for its form (the indicators…), so it is not loaded twice.
    """
    context = _entry_context(user, period, unit, context)
    entries = _clean_entries(entries, context)
    with transaction.atomic():
        report = _lock_for_values(period, unit, user, expected_version, entries, context)
        result = _write_values(report, user, entries, source)
        if result.changed or report.version == 0:
            report.version = result.version
            report.save(update_fields=["version", "updated_at"])
    return SaveResult(
        report=report, changed=result.changed, entries=result.entries, context=context
    )


def _entry_context(
    user, period: ReportingPeriod, unit: AdministrativeUnit, context
) -> selectors.EntryContext:
    """Check who saves into which period (no query when the entry page loaded the unit with
    its parents and the period with its campaign) and return the checking context."""
    _require_editor(user, unit)
    year = period.year
    existed = unit.valid_from.year <= year and (unit.valid_to is None or unit.valid_to.year >= year)
    # The campaign is the unit's city's, or the city's own (selectors.period_for_unit, without
    # its query), and the unit exists on the due date (selectors.reports_in).
    if (
        not existed
        or period.campaign.city_id not in (unit.pk, unit.parent_id)
        or not selectors.reports_in(unit, period)
    ):
        raise ReportLocked(
            gettext("%(unit)s does not report in this period.") % {"unit": unit.name}
        )
    if context is None or not context.matches(unit, period):
        context = selectors.EntryContext(unit=unit, period=period)
    return context


def _clean_entries(
    entries: Mapping[int, Entry], context: selectors.EntryContext
) -> dict[int, Entry]:
    entries = {k: Entry(_as_decimal(e.value), e.comment.strip()) for k, e in entries.items()}
    indicators = {i.pk: i for i in context.indicators}
    errors = {}
    for indicator_id, entry in entries.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            raise ValidationError(
                gettext("An indicator is not on this report."), code="unknown_indicator"
            )
        try:
            indicator.clean_value(entry.value)
        except ValidationError as exc:
            errors[indicator.code] = exc.messages
    if errors:
        raise ValidationError(errors)
    return entries


def _lock_for_values(
    period: ReportingPeriod,
    unit: AdministrativeUnit,
    user,
    expected_version: int,
    entries: Mapping[int, Entry],
    context: selectors.EntryContext,
) -> UnitReport:
    """The unit's report of the period, locked, at ``expected_version`` and taking values.

    One query for a report that exists; on the first save the draft is inserted (a concurrent
    first save makes the insert do nothing) and then locked."""
    report = _select_locked(period, unit)
    if report is None:
        UnitReport.objects.bulk_create(
            [UnitReport(period=period, unit=unit, created_by=user)], ignore_conflicts=True
        )
        report = _select_locked(period, unit)
    if report.version != expected_version:
        raise ConcurrentEdit(
            gettext(
                "Someone else saved this report after you opened it. Nothing you typed was "
                "saved yet: compare the figures below, then save again to keep yours."
            ),
            current_version=report.version,
            conflicts=_conflicts(
                report, expected_version, entries, {i.pk: i for i in context.indicators}
            ),
        )
    if not report.accepts_values_on(_today()):
        raise ReportLocked(locked_message(report))
    return report


def _select_locked(period: ReportingPeriod, unit: AdministrativeUnit) -> UnitReport | None:
    # of=("self",): lock the report row only; its unit comes with the parents the aggregates
    # and the scope checks read.
    report = (
        UnitReport.objects.select_for_update(of=("self",))
        .select_related("unit__parent__parent__parent")
        .filter(period=period, unit=unit)
        .first()
    )
    if report is not None:
        report.period = period
    return report


@dataclass
class _Written:
    changed: int
    version: int
    entries: dict[int, Entry]  # every value and comment of the report after the save


def _write_values(report: UnitReport, user, entries: Mapping[int, Entry], source: str) -> _Written:
    """Write the changed values (one upsert) and their audit (one insert); the caller saves the
    report's new version. A report at version 0 has no values yet: nothing is read then."""
    stored = (
        {v.indicator_id: v for v in ReportValue.objects.filter(report=report)}
        if report.version
        else {}
    )
    now = timezone.now()
    new_version = report.version + 1
    to_write, audit = [], []
    for indicator_id, entry in entries.items():
        current = stored.get(indicator_id)
        old_value = current.value if current else None
        old_comment = current.comment if current else ""
        if current is not None and old_value == entry.value and old_comment == entry.comment:
            continue
        if current is None and entry.value is None and not entry.comment:
            continue
        to_write.append(
            ReportValue(
                report=report,
                indicator_id=indicator_id,
                value=entry.value,
                comment=entry.comment,
                updated_at=now,
            )
        )
        audit.append(
            ValueChange(
                report=report,
                indicator_id=indicator_id,
                version=new_version,
                old_value=old_value,
                new_value=entry.value,
                old_comment=old_comment,
                new_comment=entry.comment,
                changed_by=user,
                source=source,
                created_at=now,
            )
        )
    if audit:
        ReportValue.objects.bulk_create(
            to_write,
            update_conflicts=True,
            unique_fields=["report", "indicator"],
            update_fields=["value", "comment", "updated_at"],
        )
        ValueChange.objects.bulk_create(audit)
    after = {k: Entry(v.value, v.comment) for k, v in stored.items()}
    after.update({v.indicator_id: Entry(v.value, v.comment) for v in to_write})
    # A first save makes version 1 even when nothing was typed: the report exists from now on.
    bumped = audit or report.version == 0
    return _Written(
        changed=len(audit), version=new_version if bumped else report.version, entries=after
    )


def _as_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(str(value))


def _conflicts(
    report: UnitReport,
    expected_version: int,
    entries: Mapping[int, Entry],
    indicators: Mapping[int, object],
) -> list[selectors.Conflict]:
    conflicts = []
    for indicator_id, change in selectors.changes_since(report, expected_version).items():
        if indicator_id not in indicators:
            continue
        yours = entries.get(indicator_id, Entry(None))
        conflicts.append(
            selectors.Conflict(
                indicator=change.indicator,
                their_value=change.new_value,
                their_comment=change.new_comment,
                your_value=yours.value,
                your_comment=yours.comment.strip(),
                changed_by=change.changed_by,
                changed_at=change.created_at,
            )
        )
    conflicts.sort(key=lambda c: (c.indicator.section.order, c.indicator.order))
    return conflicts


def locked_message(report: UnitReport) -> str:
    if report.status == ReportStatus.SUBMITTED:
        return gettext(
            "This report has been submitted and waits for review: its figures cannot be changed."
        )
    if report.status == ReportStatus.APPROVED:
        return gettext("This report has been approved and is locked.")
    return gettext("Data entry for %(year)s is closed.") % {"year": report.period.year}


# --- transitions ---------------------------------------------------------------------------


def report_submit(*, report: UnitReport, user, expected_version: int | None = None) -> UnitReport:
    """Send a draft (or a returned report) to the city for review.

    Refused while any blocking problem remains (required blanks, blocking rules, big changes
    without a comment): SubmissionBlocked lists them. Warnings do not stop it.
    """
    _require_editor(user, report.unit)
    if not report.is_started:
        raise InvalidTransition(gettext("Save the report before submitting it."))
    with transaction.atomic():
        report = _lock(report)
        _check_version(report, expected_version)
        context = selectors.EntryContext(unit=report.unit, period=report.period)
        entries = selectors.entries_of(report)
        from_status = _submit_locked(report, user, context, entries)
        report.save()
        _log(
            report,
            action=TransitionAction.SUBMIT,
            from_status=from_status,
            user=user,
            values={k: e.value for k, e in entries.items()},
        )
        notifications.report_submitted(report, actor=user)
        return report


def _submit_locked(
    report: UnitReport, user, context: selectors.EntryContext, entries: Mapping[int, Entry]
) -> str:
    """Check and mark a locked report submitted; returns the status it left (the caller saves
    the report and logs the change)."""
    if report.status not in UnitReport.EDITABLE_STATUSES:
        raise InvalidTransition(locked_message(report))
    _ensure_year_open(report)
    if not report.accepts_values_on(_today()):
        raise ReportLocked(locked_message(report))
    blocking = [p for p in context.problems(dict(entries)) if p.blocks]
    if blocking:
        raise SubmissionBlocked(
            gettext("The report was not submitted: fix the problems listed."),
            problems=blocking,
        )
    now = timezone.now()
    from_status = report.status
    report.status = ReportStatus.SUBMITTED
    report.approval_step = 0
    report.submitted_at, report.submitted_by = now, user
    report.first_submitted_at = report.first_submitted_at or now
    report.version += 1
    return from_status


def report_save_and_submit(
    *,
    period: ReportingPeriod,
    unit: AdministrativeUnit,
    user,
    entries: Mapping[int, Entry],
    expected_version: int,
    context: selectors.EntryContext | None = None,
) -> UnitReport:
    """Save the form's values and submit, as one step: if submission is refused, nothing of
    the save is kept either (the form still holds what the person typed). The report row is
    locked and written once for both steps, and the problems are checked on the values in
    hand, with the indicators, last year's figures and rules loaded once."""
    context = _entry_context(user, period, unit, context)
    entries = _clean_entries(entries, context)
    with transaction.atomic():
        report = _lock_for_values(period, unit, user, expected_version, entries, context)
        written = _write_values(report, user, entries, ValueChangeSource.FORM)
        report.version = written.version
        from_status = _submit_locked(report, user, context, written.entries)
        report.save()
        _log(
            report,
            action=TransitionAction.SUBMIT,
            from_status=from_status,
            user=user,
            values={k: e.value for k, e in written.entries.items()},
        )
        notifications.report_submitted(report, actor=user)
        return report


def report_return(
    *,
    report: UnitReport,
    user,
    reason: str,
    expected_version: int | None = None,
    remarks: Mapping[int, str] | None = None,
) -> UnitReport:
    """Send a submitted report back to its unit with a reason it will see, and optionally a
    remark on single figures (by indicator id) that the unit sees beside each field."""
    _require_reviewer(user, report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": gettext("Say why the report goes back, so the unit knows what to fix.")}
        )
    remarks = {k: v.strip() for k, v in (remarks or {}).items() if v and v.strip()}
    if remarks:
        on_form = {i.pk for i in selectors.indicators_for(report.unit, report.period.year)}
        if not set(remarks) <= on_form:
            raise ValidationError(
                gettext("A remark is on an indicator that is not on this report."),
                code="unknown_indicator",
            )
    with transaction.atomic():
        report = _lock(report)
        _check_version(report, expected_version)
        if report.status != ReportStatus.SUBMITTED:
            raise InvalidTransition(gettext("Only a submitted report can be returned."))
        _require_step(user, report)
        _ensure_year_open(report)
        report.status = ReportStatus.RETURNED
        report.approval_step = 0
        report.return_reason = reason
        report.version += 1
        report.save()
        transition = _log(
            report,
            action=TransitionAction.RETURN,
            from_status=ReportStatus.SUBMITTED,
            user=user,
            reason=reason,
        )
        ReviewRemark.objects.bulk_create(
            ReviewRemark(
                report=report,
                transition=transition,
                indicator_id=indicator_id,
                text=text,
                created_by=user,
                created_at=transition.created_at,
            )
            for indicator_id, text in remarks.items()
        )
        notifications.report_returned(report, actor=user, reason=reason, remarks=len(remarks))
        return report


def _approve_locked(
    report: UnitReport,
    user,
    now: datetime.datetime,
    levels: list[ApprovalLevel] | None = None,
    *,
    update_aggregates: bool = True,
) -> UnitReport:
    """Approve at the pending step; the last step makes the report approved (and, unless a
    batch applies them, brings its values into the approved aggregates)."""
    if report.status != ReportStatus.SUBMITTED:
        raise InvalidTransition(gettext("Only a submitted report can be approved."))
    if levels is None:  # read once for the step check and the chain below
        levels = list(ApprovalLevel.objects.valid_in(report.period.year))
    _require_step(user, report, levels)
    _ensure_year_open(report)
    if report.submitted_by_id == user.pk:
        raise InvalidTransition(
            gettext(
                "You submitted this report yourself: another approver or an administrator "
                "approves it."
            )
        )
    chain = approvals.chain_of(report, levels)
    report.version += 1
    if report.approval_step + 1 < len(chain):
        step = chain[report.approval_step]
        report.approval_step += 1
        report.save()
        _log(
            report,
            action=TransitionAction.APPROVE_STEP,
            from_status=ReportStatus.SUBMITTED,
            user=user,
            reason=gettext("Approved by %(level)s; waits for %(next)s.")
            % {"level": step.name, "next": chain[report.approval_step].name},
        )
        notifications.report_step_approved(report, actor=user, level=step.name)
        return report
    report.approval_step = len(chain)
    report.status = ReportStatus.APPROVED
    report.approved_at, report.approved_by = now, user
    report.return_reason = ""
    report.save()
    _log(
        report,
        action=TransitionAction.APPROVE,
        from_status=ReportStatus.SUBMITTED,
        user=user,
        update_aggregates=update_aggregates,
    )
    notifications.report_approved(report, actor=user)
    return report


def report_approve(*, report: UnitReport, user, expected_version: int | None = None) -> UnitReport:
    """Approve a submitted report: its figures become official and the report is locked."""
    _require_reviewer(user, report)
    with transaction.atomic():
        report = _lock(report)
        _check_version(report, expected_version)
        return _approve_locked(report, user, timezone.now())


def report_reopen(*, report: UnitReport, user, reason: str) -> UnitReport:
    """Unlock an approved report: it goes back to its unit as returned, with the reason."""
    _require_reviewer(user, report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why the approved report is reopened.")})
    with transaction.atomic():
        report = _lock(report)
        if report.status != ReportStatus.APPROVED:
            raise InvalidTransition(gettext("Only an approved report can be reopened."))
        if not approvals.may_reopen(user, report):
            raise PermissionDenied(
                gettext("Only the last approval level of this report can reopen it.")
            )
        if closure.is_year_closed(report.unit, report.period.year, today=_today()):
            # Reopening the report of a closed year reopens that year for its unit, with the
            # same reason and audit (wards.closure); the approver closes it again when done.
            ward_services.year_reopen(
                unit=report.unit, year=report.period.year, user=user, reason=reason
            )
        report.status = ReportStatus.RETURNED
        report.approval_step = 0
        report.return_reason = reason
        report.approved_at = report.approved_by = None
        report.version += 1
        report.save()
        _log(
            report,
            action=TransitionAction.REOPEN,
            from_status=ReportStatus.APPROVED,
            user=user,
            reason=reason,
        )
        notifications.report_reopened(report, actor=user, reason=reason)
        return report


class AlreadyNudged(ReportError):
    """The unit was already reminded today."""


def report_nudge(
    *, period: ReportingPeriod, unit: AdministrativeUnit, user, today: datetime.date | None = None
) -> int:
    """An approver's "Nhắc nhở" to a unit whose report is overdue: its officials are notified
    (and e-mailed, by their preference). At most once a day per unit; returns how many people
    were reached."""
    today = today or _today()
    if not permissions.can_remind_units(user) or not can_view_unit(user, unit):
        raise PermissionDenied(gettext("Only the city approver can remind units."))
    report = selectors.report_or_blank(period, unit)
    if report.first_submitted_at is not None and report.status != ReportStatus.RETURNED:
        raise InvalidTransition(gettext("This unit has already submitted its report."))
    if today <= period.due_on:
        raise InvalidTransition(gettext("The report is not overdue yet."))
    with transaction.atomic():
        _nudge, created = ReportNudge.objects.get_or_create(
            period=period,
            unit=unit,
            sent_on=today,
            defaults={"sent_by": user, "created_at": timezone.now()},
        )
        if not created:
            raise AlreadyNudged(
                gettext("%(unit)s was already reminded today.") % {"unit": unit.name}
            )
        return len(notifications.report_nudged(report, actor=user, today=today))


@dataclass
class BulkApproveResult:
    approved: list[UnitReport] = field(default_factory=list)
    skipped: list[tuple[UnitReport, str]] = field(default_factory=list)


def reports_bulk_approve(
    *, period: ReportingPeriod, user, selection: Mapping[int, int]
) -> BulkApproveResult:
    """Approve, in one transaction, the selected reports (id → version seen) that are clean:
    submitted, unchanged since the worklist showed them, with no warning or problem at all.
    The others are skipped with the reason."""
    if not permissions.can_review_reports(user):
        raise PermissionDenied(gettext("Only the approvers of this report can review it."))
    result = BulkApproveResult()
    levels = list(ApprovalLevel.objects.valid_in(period.year))
    with transaction.atomic():
        reports = list(
            UnitReport.objects.visible_to(user)
            .select_for_update(of=("self",))
            .filter(period=period, pk__in=list(selection))
            .select_related(*_UNIT_CHAIN)
            .order_by("pk")
        )
        rows = {
            row.unit.pk: row
            for row in selectors.period_rows(period, user, _today())
            if row.report is not None
        }
        now = timezone.now()
        for report in reports:
            row = rows.get(report.unit_id)
            if report.version != selection[report.pk]:
                result.skipped.append((report, gettext("changed since you opened the list")))
            elif report.status != ReportStatus.SUBMITTED:
                result.skipped.append((report, gettext("not waiting for approval")))
            elif row is None or row.problems:
                result.skipped.append((report, gettext("has warnings: open it and decide")))
            elif report.submitted_by_id == user.pk:
                result.skipped.append((report, gettext("submitted by you")))
            elif closure.is_year_closed(report.unit, period.year, today=_today()):
                result.skipped.append((report, gettext("its year is closed")))
            else:
                report.period = period
                if not approvals.may_review(user, report, levels):
                    result.skipped.append((report, gettext("approved at another level")))
                    continue
                result.approved.append(
                    _approve_locked(report, user, now, levels, update_aggregates=False)
                )
        # One batch for the aggregates of every report approved (at its last step).
        aggregates.apply_status_changes([(r, ReportStatus.SUBMITTED) for r in result.approved])
        if result.approved:
            figures.bump()  # once for the batch, last: it locks a row
    return result


# --- import --------------------------------------------------------------------------------


class ImportRefused(ReportError):
    """The staged import can no longer be applied; nothing was written."""


def import_apply(*, batch: ImportBatch, user) -> int:
    """Write a previewed import, all or nothing; returns the number of values changed.

    Runs the same checks as the data-entry form for every unit in the file, refuses if any
    report changed since the preview (its version moved on), and writes the audit with the
    source "import".
    """
    if batch.created_by_id != user.pk:
        raise PermissionDenied
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ImportRefused(gettext("This file has already been imported."))
    if batch.error_count:
        raise ImportRefused(gettext("The file has errors: fix them and upload it again."))
    by_unit: dict[int, dict[int, Entry]] = {}
    for row in batch.rows:
        if not row.get("changed"):
            continue
        value = Decimal(row["value"]) if row["value"] is not None else None
        by_unit.setdefault(row["unit_id"], {})[row["indicator_id"]] = Entry(value, row["comment"])
    units = AdministrativeUnit.objects.in_bulk(list(by_unit))
    changed = 0
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.status != ImportBatch.Status.PREVIEW:
                raise ImportRefused(gettext("This file has already been imported."))
            for unit_id, entries in by_unit.items():
                result = report_save_values(
                    period=batch.period,
                    unit=units[unit_id],
                    user=user,
                    entries=entries,
                    expected_version=batch.versions.get(str(unit_id), 0),
                    source=ValueChangeSource.IMPORT,
                )
                changed += result.changed
            batch.status = ImportBatch.Status.APPLIED
            batch.applied_at = timezone.now()
            batch.save(update_fields=["status", "applied_at", "updated_at"])
    except ConcurrentEdit as exc:
        raise ImportRefused(
            gettext(
                "A report in the file was changed after your preview. Nothing was imported: "
                "upload the file again to see the current figures."
            )
        ) from exc
    except (ReportLocked, PermissionDenied, ValidationError) as exc:
        raise ImportRefused(
            gettext("Nothing was imported: %(reason)s")
            % {"reason": getattr(exc, "message", None) or "; ".join(_messages(exc))}
        ) from exc
    return changed


def _messages(exc: Exception) -> Iterable[str]:
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc) or gettext("you may not change this unit's report")]
