"""``manage.py load_demo``: the demonstration data and accounts that ``make run`` serves.

Idempotent. Demo accounts are created here and nowhere else. Each app's ``demo.load(units)``
adds its part, in dependency order.
"""

from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from wards import demo as wards_demo

# Each loader takes the demo units by slug and returns a line for the summary.
APP_LOADERS: list[str] = [
    "models_registry.demo.load",
    "campaigns.demo.load",
    "campaigns.certifications.demo.load",
    # Last: the loaders above write reports in bulk, so the aggregates are recomputed once.
    "campaigns.dashboard.demo.load",
]


def served_at(address: str) -> str:
    """The URL to open for runserver's ``address`` ("8080", "0.0.0.0:8080", "[::1]:8000")."""
    host, _, port = address.rpartition(":")
    host = host or "127.0.0.1"
    if host in ("0.0.0.0", "[::]"):  # noqa: S104 - describes the address, binds nothing
        return f"http://<địa chỉ IP của máy này / this machine's address>:{port}/"
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = "Load (or refresh) the demonstration data and the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="Where `make run` serves (its HOST), printed with the accounts.",
        )

    def handle(self, *args, **options):
        units, accounts = wards_demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo units: {len(units)}"))
        for dotted in APP_LOADERS:
            summary = import_string(dotted)(units)
            self.stdout.write(self.style.SUCCESS(summary))
        self.stdout.write("")
        self.stdout.write(f"Tài khoản demo / demo accounts ({served_at(options['address'])}):")
        for username, description in accounts:
            self.stdout.write(f"  {username:<14} {description}")
        self.stdout.write(f"Mật khẩu chung / password for all: {wards_demo.DEMO_PASSWORD}")
