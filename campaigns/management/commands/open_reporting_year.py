"""``manage.py open_reporting_year [--date YYYY-MM-DD]``: open this year's reporting periods.

Run daily (deploy/ has the timer): on the first run of a new year (in Asia/Ho_Chi_Minh) it
creates each running campaign's period by its calendar; other days it changes nothing.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.services import open_reporting_year


class Command(BaseCommand):
    help = "Create the reporting period of the current year for every running campaign."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were this day (YYYY-MM-DD)")

    def handle(self, *args, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from exc
        created = open_reporting_year(today=today)
        if not created:
            self.stdout.write(f"{today.year}: every running campaign already has its period.")
        for period in created:
            self.stdout.write(
                f"{period.campaign}: {period.year} opened, due {period.due_on:%d/%m/%Y}, "
                f"closes {period.closes_on:%d/%m/%Y}"
            )
