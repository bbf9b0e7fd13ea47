"""Weekly: e-mail each leader a summary of their area, with a link to the dashboard."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.dashboard.digest import send_weekly_summaries
from wards.notifications import deliver_pending


class Command(BaseCommand):
    help = (
        "Send leaders the weekly summary of their area (dashboard figures, completeness of the "
        "open year, what changed in seven days). Once per ISO week: a second run sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to summarise up to, YYYY-MM-DD (default today)")

    def handle(self, *args, date: str | None = None, **options):
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from exc
        else:
            day = timezone.localdate()
        self.stdout.write(f"{day:%Y-%m-%d}: {send_weekly_summaries(day=day)}")
        delivery = deliver_pending()
        self.stdout.write(f"E-mails: {delivery}")
        if delivery.failed:
            raise SystemExit(1)
