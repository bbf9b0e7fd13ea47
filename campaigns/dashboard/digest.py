"""The leaders' weekly summary (``manage.py send_digest``): the dashboard's headline figures,
the open year's completeness and what changed in the last seven days, with a link back.

Each leader gets it as a notification (so it follows their e-mail preference, and a failed
e-mail is retried like any other); its key makes a second run in the same week send nothing.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from campaigns import selectors
from campaigns.dashboard.forms import PeriodForm
from campaigns.dashboard.reports import completeness_text
from campaigns.dashboard.selectors import summary
from campaigns.models import ReportTransition, TransitionAction
from wards.models import Notification, User
from wards.notifications import notify, site_language


@dataclass
class DigestResult:
    leaders: int = 0
    created: int = 0

    def __str__(self) -> str:
        return f"{self.created} weekly summaries for {self.leaders} leaders"


def _num(value) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}".replace(",", ".")


def summary_lines(leader: User, day: datetime.date) -> list[str]:
    """The digest's lines for one leader (their scope, as on the dashboard)."""
    lines = []
    form = PeriodForm({}, user=leader)
    if form.is_valid():
        query = form.query()
        figures = summary(query)
        lines += [
            gettext("Figures of %(scope)s, %(start)s–%(end)s (approved reports):")
            % {"scope": figures.scope_name, "start": query.year_from, "end": query.year_to},
            # As on the dashboard: which years lack expected reports, or that none do.
            completeness_text(figures),
            "- "
            + gettext("Offenders detected and handled: %(n)s")
            % {"n": _num(figures.offenders_handled)},
            "- " + gettext("Criminal cases: %(n)s") % {"n": _num(figures.criminal_cases)},
            "- "
            + gettext("Social-evil hotspots dismantled: %(n)s")
            % {"n": _num(figures.hotspots_dismantled)},
            "- "
            + gettext("Units with the ANTT title: %(n)s of %(total)s")
            % {"n": figures.units_antt_certified, "total": figures.units_total},
            "- "
            + gettext("Crime-prevention models: %(n)s (%(sites)s sites)")
            % {"n": figures.prevention_models, "sites": figures.prevention_model_sites},
        ]
    period = selectors.default_period(selectors.periods_for(leader), day)
    if period is not None:
        done = selectors.completeness(period, leader, day)
        lines += [
            "",
            gettext(
                "Reports %(year)s: %(submitted)s of %(expected)s submitted, %(approved)s "
                "approved, %(overdue)s overdue."
            )
            % {
                "year": period.year,
                "submitted": done.submitted,
                "expected": done.expected,
                "approved": done.approved,
                "overdue": done.overdue,
            },
        ]
    week_ago = day - datetime.timedelta(days=7)
    changes = list(
        ReportTransition.objects.visible_to(leader)
        .filter(created_at__date__gt=week_ago, created_at__date__lte=day)
        .select_related("report__unit", "report__period")
        .order_by("created_at", "pk")
    )
    lines += ["", gettext("In the last seven days:")]
    if not changes:
        lines.append("- " + gettext("no report was submitted, returned or approved."))
    labels = {
        TransitionAction.SUBMIT: gettext("submitted"),
        TransitionAction.RETURN: gettext("returned"),
        TransitionAction.APPROVE: gettext("approved"),
        TransitionAction.REOPEN: gettext("reopened"),
    }
    for change in changes:
        lines.append(
            f"- {change.created_at:%d/%m} {change.report.unit.name} "
            f"{change.report.period.year}: {labels.get(change.action, change.action)}"
        )
    return lines


def send_weekly_summaries(*, day: datetime.date) -> DigestResult:
    result = DigestResult()
    iso_year, iso_week, _weekday = day.isocalendar()
    leaders = User.objects.filter(role=User.Role.LEADER, is_active=True, unit__isnull=False)
    with site_language():
        for leader in leaders.select_related("unit"):
            result.leaders += 1
            with transaction.atomic():
                created = notify(
                    recipients=[leader],
                    kind=Notification.Kind.WEEKLY_SUMMARY,
                    text=gettext("Weekly summary of %(scope)s, week to %(day)s")
                    % {"scope": leader.unit.name, "day": day.strftime("%d/%m/%Y")},
                    details="\n".join(summary_lines(leader, day)),
                    url=reverse("dashboard:dashboard"),
                    key=f"weekly:{iso_year}-W{iso_week:02d}",
                )
            result.created += len(created)
    return result
