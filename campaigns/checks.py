"""What stands between a report and its submission, computed from values already in memory.

Pure functions over plain dictionaries so that the data-entry form (before anything is saved),
the submission service, the worklist (for every unit at once) and the demo loader share exactly
one definition. Nothing here touches the database.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext

from campaigns.models import Indicator, RuleSeverity, ValidationRule

BLOCK = RuleSeverity.BLOCK
WARN = RuleSeverity.WARN


@dataclass(frozen=True)
class Entry:
    """A value and its comment as typed or stored; ``value`` None means "not reported"."""

    value: Decimal | None
    comment: str = ""


@dataclass(frozen=True)
class Problem:
    """One thing to fix (``severity`` block) or to look at (warn)."""

    severity: str
    kind: str  # "required", "rule" or "change"
    indicator_id: int
    field: str  # which input it belongs to: "value" or "comment"
    message: str

    @property
    def blocks(self) -> bool:
        return self.severity == BLOCK


def change_percent(current: Decimal | None, last: Decimal | None) -> Decimal | None:
    """Change from last year in %, or None when either year is blank or last year was zero."""
    if current is None or last is None or last == 0:
        return None
    return (current - last) / abs(last) * 100


def needs_explanation(indicator: Indicator, current: Decimal | None, last: Decimal | None) -> bool:
    """A change larger than the indicator's threshold needs a comment before submission."""
    if indicator.change_alert_percent is None:
        return False
    change = change_percent(current, last)
    return change is not None and abs(change) > indicator.change_alert_percent


def report_problems(
    *,
    indicators: Iterable[Indicator],
    entries: Mapping[int, Entry],
    last_year: Mapping[int, Decimal],
    rules: Iterable[ValidationRule],
) -> list[Problem]:
    """Every problem of one report: required blanks, broken rules, unexplained big changes.

    ``entries`` and ``last_year`` are keyed by indicator id; ``rules`` should be the active
    rules (both indicators are looked up in ``indicators``, rules about other indicators are
    skipped, e.g. a rule on a city-level indicator for a ward's report).
    """
    indicators = list(indicators)
    by_id = {indicator.pk: indicator for indicator in indicators}
    problems: list[Problem] = []
    blank = Entry(None)
    for indicator in indicators:
        entry = entries.get(indicator.pk, blank)
        if indicator.is_required and entry.value is None:
            problems.append(
                Problem(
                    BLOCK,
                    "required",
                    indicator.pk,
                    "value",
                    gettext("Required: enter a figure (0 if there were none)."),
                )
            )
        last = last_year.get(indicator.pk)
        if needs_explanation(indicator, entry.value, last) and not entry.comment.strip():
            problems.append(
                Problem(
                    BLOCK,
                    "change",
                    indicator.pk,
                    "comment",
                    gettext(
                        "Changed by %(change)s%% from last year (more than %(limit)s%%): "
                        "explain why in the comment."
                    )
                    % {
                        "change": _format_percent(change_percent(entry.value, last)),
                        "limit": indicator.change_alert_percent,
                    },
                )
            )
    for rule in rules:
        if rule.left_id not in by_id or rule.right_id not in by_id:
            continue
        left = entries.get(rule.left_id, blank).value
        right = entries.get(rule.right_id, blank).value
        if not rule.holds(left, right):
            problems.append(Problem(rule.severity, "rule", rule.left_id, "value", rule.message))
    return problems


def _format_percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    # The app's one percent format: a true minus sign (−12,5%), as the report pages show it.
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return sign + number_format(abs(value), decimal_pos=1)
