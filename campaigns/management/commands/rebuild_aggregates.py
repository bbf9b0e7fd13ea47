"""``manage.py rebuild_aggregates [--check]``: recompute the dashboard aggregates from scratch.

Not needed in normal operation (every status change keeps them exact); use it after a bulk
load, or with ``--check`` to verify that the kept rows equal a fresh recomputation.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaigns.aggregates import compute_all, rebuild, stored_all
from wards import figures


class Command(BaseCommand):
    help = "Recompute the dashboard aggregates (or --check them against a recomputation)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare; change nothing.")

    def handle(self, *args, check=False, **options):
        if check:
            fresh, kept = compute_all(), stored_all()
            if fresh != kept:
                differing = {k for k in fresh.keys() | kept.keys() if fresh.get(k) != kept.get(k)}
                raise CommandError(f"{len(differing)} aggregate rows differ from a recomputation")
            self.stdout.write(self.style.SUCCESS(f"{len(kept)} aggregate rows are exact"))
            return
        with transaction.atomic():
            rows = rebuild()
            figures.bump()  # cached pages computed from the old rows must not be read again
        self.stdout.write(self.style.SUCCESS(f"{rows} aggregate rows rebuilt"))
