"""``manage.py rebuild_aggregates [--check]``: recompute the kept aggregates from scratch.

Four kinds are kept: the indicator aggregates and report counts of the reports
(:mod:`campaigns.aggregates`), the title counts of the dossiers
(:mod:`campaigns.certifications.counts`) and the counted sites of the registry
(:mod:`models_registry.counts`). Not needed in normal operation (every status change
and decision keeps them exact, and so does an edit of a unit's parent, kind or dates in the admin:
:mod:`campaigns.dashboard.restructure`); use it after a bulk load or a structure edit made
outside the admin, or with ``--check`` to verify that the kept rows equal a fresh
recomputation. Lives in the dashboard app, the one that may import every app.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaigns import aggregates
from campaigns.certifications import counts as title_counts
from models_registry import counts as site_counts
from wards import figures

KEPT = {
    "aggregate": (aggregates.compute_all, aggregates.stored_all),
    "report count": (aggregates.compute_report_counts, aggregates.stored_report_counts),
    "title count": (title_counts.compute_all, title_counts.stored_all),
    "site count": (site_counts.compute_all, site_counts.stored_all),
}


class Command(BaseCommand):
    help = "Recompute the dashboard aggregates (or --check them against a recomputation)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare; change nothing.")

    def handle(self, *args, check=False, **options):
        if check:
            problems, exact = [], []
            for name, (compute, stored) in KEPT.items():
                fresh, kept = compute(), stored()
                differing = {k for k in fresh.keys() | kept.keys() if fresh.get(k) != kept.get(k)}
                if differing:
                    problems.append(f"{len(differing)} {name} rows differ from a recomputation")
                exact.append(f"{len(kept)} {name} rows are exact")
            if problems:
                raise CommandError("; ".join(problems))
            self.stdout.write(self.style.SUCCESS("; ".join(exact)))
            return
        with transaction.atomic():
            rows = aggregates.rebuild()
            titles = title_counts.rebuild() + site_counts.rebuild()
            figures.bump()  # cached pages computed from the old rows must not be read again
        done = f"{rows} aggregate rows, {titles} title and site counts rebuilt"
        self.stdout.write(self.style.SUCCESS(done))
