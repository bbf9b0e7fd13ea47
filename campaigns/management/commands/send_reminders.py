"""Daily: remind officials of reports not submitted, tell approvers which units are overdue."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.reminders import send_reminders
from wards.notifications import deliver_pending


class Command(BaseCommand):
    help = (
        "Create the reminders due on a day (default today) for every open reporting period and "
        "e-mail them. Safe to run twice: each person gets each reminder once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to act for, YYYY-MM-DD (default: today)")

    def handle(self, *args, date: str | None = None, **options):
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from exc
        else:
            day = timezone.localdate()
        result = send_reminders(day=day)
        self.stdout.write(f"{day:%Y-%m-%d}: {result}")
        delivery = deliver_pending()
        self.stdout.write(f"E-mails: {delivery}")
        if delivery.failed:
            raise SystemExit(1)
