"""``manage.py load_demo``: the demonstration data and accounts that ``make run`` serves.

Idempotent. Demo accounts are created here and nowhere else. Each app's ``demo.load(units)``
adds its part, in dependency order.
"""

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from wards import demo as wards_demo
from wards import figures

# Each loader takes the demo units by slug and returns a line for the summary.
APP_LOADERS: list[str] = [
    "models_registry.demo.load",
    "campaigns.demo.load",
    "campaigns.certifications.demo.load",
    # Last: the loaders above write reports in bulk, so the aggregates are recomputed once.
    "campaigns.dashboard.demo.load",
]


class Command(BaseCommand):
    help = "Load (or refresh) the demonstration data and the demo accounts."

    def handle(self, *args, **options):
        units, accounts = wards_demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo units: {len(units)}"))
        for dotted in APP_LOADERS:
            summary = import_string(dotted)(units)
            self.stdout.write(self.style.SUCCESS(summary))
        figures.bump()  # pages cached before (in Redis) must not outlive the old data
        self.stdout.write("")
        self.stdout.write("Tài khoản demo / demo accounts (http://127.0.0.1:8000/):")
        for username, description in accounts:
            self.stdout.write(f"  {username:<14} {description}")
        self.stdout.write(f"Mật khẩu chung / password for all: {wards_demo.DEMO_PASSWORD}")
