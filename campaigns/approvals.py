"""Who approves a yearly report: the chain of approval steps of its year, and who may act.

The chain comes from the :class:`~campaigns.models.ApprovalLevel` rows valid in the report's
year for its kind of report (wards and communes, or a city's own report), in step order; each
step is decided by the approvers of the unit of the level's tier above (or of) the reporting
unit. With no level kept for that year, the one step is the unit right above the reporting
unit (its own unit for a city's report), which is what the hierarchy of that year says: a
ward of 2024 sits under its city, a ward of 2026 under its province.

An approver decides a step when the step's unit is their own unit, or when that unit has
ended and lies on their ground (:func:`wards.scoping.ground_of`): the provincial police hold
the rights of the city police dissolved in 2025 over the old reports, so a 2024 report can
still be reopened with a reason.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from campaigns import permissions
from campaigns.models import TIER_KINDS, ApprovalLevel, Indicator, ReportStatus, UnitReport
from wards.models import AdministrativeUnit, User
from wards.scoping import ground_of, on_user_ground


@dataclass(frozen=True)
class ApprovalStep:
    number: int
    unit: AdministrativeUnit
    level: ApprovalLevel | None

    @property
    def name(self) -> str:
        """Who decides, in words: the police of the approving unit."""
        return gettext("Police of %(unit)s") % {"unit": self.unit.name}


def _ancestors(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The unit's parent, grandparent…: read through ``parent`` (select_related avoids queries)."""
    chain, current = [], unit.parent
    while current is not None and len(chain) < 4:
        chain.append(current)
        current = current.parent
    return chain


def reporter_of(unit: AdministrativeUnit) -> str:
    return Indicator.Reporter.COMMUNE_LEVEL if unit.is_commune_level else Indicator.Reporter.CITY


def chain_for(
    unit: AdministrativeUnit, year: int, levels: list[ApprovalLevel] | None = None
) -> list[ApprovalStep]:
    """The approval steps of ``unit``'s report of ``year`` (one query unless ``levels`` given).

    ``levels`` may be every level valid in the year, loaded once for many reports.
    """
    if levels is None:
        levels = list(ApprovalLevel.objects.valid_in(year))
    reporter = reporter_of(unit)
    mine = sorted(
        (
            level
            for level in levels
            if level.reporter == reporter
            and level.valid_from_year <= year
            and (level.valid_to_year is None or year <= level.valid_to_year)
        ),
        key=lambda level: level.step,
    )
    candidates = ([] if unit.is_commune_level else [unit]) + _ancestors(unit)
    steps = []
    for level in mine:
        kinds = TIER_KINDS[level.tier]
        approving = next((u for u in candidates if u.kind in kinds), None)
        if approving is not None:
            steps.append(ApprovalStep(number=len(steps) + 1, unit=approving, level=level))
    if not steps:
        fallback = candidates[0] if candidates else unit
        steps.append(ApprovalStep(number=1, unit=fallback, level=None))
    return steps


def chain_of(report: UnitReport, levels: list[ApprovalLevel] | None = None) -> list[ApprovalStep]:
    """The report's approval steps, kept on the instance: a report's unit and year never
    change, so a request that asks twice (a submission notifies the step's approvers, then
    its message names them) reads the levels once."""
    chain = getattr(report, "_approval_chain", None)
    if chain is None:
        chain = report._approval_chain = chain_for(report.unit, report.period.year, levels)
    return chain


def pending_step(report: UnitReport, chain: list[ApprovalStep]) -> ApprovalStep | None:
    """The step that decides the report next: only a submitted report has one."""
    if report.status != ReportStatus.SUBMITTED:
        return None
    return chain[min(report.approval_step, len(chain) - 1)]


def may_decide(user, step: ApprovalStep, today: datetime.date | None = None) -> bool:
    """Whether ``user`` approves (or returns) at ``step``."""
    if not permissions.can_review_reports(user):
        return False
    if permissions.acts_on_every_unit(user):
        return True
    if user.unit_id == step.unit.pk:
        return True
    today = today or timezone.localdate()
    return not step.unit.is_valid_on(today) and on_user_ground(user, step.unit)


def may_review(user, report: UnitReport, levels: list[ApprovalLevel] | None = None) -> bool:
    """May ``user`` approve or return ``report`` now (it must be submitted)."""
    step = pending_step(report, chain_of(report, levels))
    return step is not None and may_decide(user, step)


def may_reopen(user, report: UnitReport) -> bool:
    """Reopening an approved report belongs to the last level of its chain."""
    if report.status != ReportStatus.APPROVED:
        return False
    return may_decide(user, chain_of(report)[-1])


def approvers_for(report: UnitReport) -> list[User]:
    """The active approvers who decide the report's pending step (e.g. to tell them)."""
    step = pending_step(report, chain_of(report))
    if step is None:
        return []
    return step_approvers(step)


def step_approvers(step: ApprovalStep) -> list[User]:
    """The active approvers who decide ``step``."""
    candidates = User.objects.filter(role=User.Role.APPROVER, is_active=True).exclude(
        unit__isnull=True
    )
    if step.unit.is_valid_on(timezone.localdate()):
        return list(candidates.filter(unit=step.unit))
    grounds: dict[int, object] = {}
    result = []
    for user in candidates:
        if user.unit_id not in grounds:
            grounds[user.unit_id] = ground_of(user.unit_id)
        ground = grounds[user.unit_id]
        on_ground = AdministrativeUnit.objects.filter(ground.unit_q(), pk=step.unit.pk).exists()
        if on_ground:
            result.append(user)
    return result
