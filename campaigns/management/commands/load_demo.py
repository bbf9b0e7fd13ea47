"""``manage.py load_demo``: the demonstration data and accounts that ``make run`` serves.

It never destroys data. It loads into an empty database only (no user, no administrative unit)
and is a one-line no-op anywhere else, so restarting ``make run`` changes no row and a real
administrator's password is never reset. With ``DEBUG`` off it refuses outright unless told
``--i-know-this-is-not-production``. ``--reset`` (``make demo-reset``) is the one explicit way to
start over: it says what it deletes, empties every table and loads the demo again.

Demo accounts are created here and nowhere else. Each app's ``demo.load(units)`` adds its part,
in dependency order.
"""

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.module_loading import import_string

from wards import demo as wards_demo
from wards import figures
from wards.models import AdministrativeUnit, User

# Each loader takes the demo units by slug and returns a line for the summary.
APP_LOADERS: list[str] = [
    "models_registry.demo.load",
    "campaigns.demo.load",
    "campaigns.certifications.demo.load",
    # Last: the loaders above write reports in bulk, so the aggregates are recomputed once.
    "campaigns.dashboard.demo.load",
]
# Re-seeded after a reset; by dotted name like the loaders, as the reports core does not import
# its certifications app (import-linter contract in pyproject.toml).
RULE_SETS_SEED = "campaigns.certifications.seed.seed_rule_sets"
NOT_PRODUCTION_FLAG = "--i-know-this-is-not-production"


def database_has_data() -> bool:
    """True once anyone has used the database: a user or a unit exists.

    Migrations seed reference data (the certification rule sets); that does not count.
    """
    return User.objects.exists() or AdministrativeUnit.objects.exists()


def row_counts() -> list[tuple[str, int]]:
    """Rows per table of every installed model that has any, for the reset's warning."""
    counts = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        count = model._default_manager.count()
        if count:
            counts.append((model._meta.db_table, count))
    return counts


def served_at(address: str) -> str:
    """The URL to open for runserver's ``address`` ("8080", "0.0.0.0:8080", "[::1]:8000")."""
    host, _, port = address.rpartition(":")
    host = host or "127.0.0.1"
    if host in ("0.0.0.0", "[::]"):  # noqa: S104 - describes the address, binds nothing
        return f"http://<địa chỉ IP của máy này / this machine's address>:{port}/"
    return f"http://{host}:{port}/"


class Command(BaseCommand):
    help = (
        "Load the demonstration data and the demo accounts into an EMPTY database "
        "(a no-op when it has data). --reset deletes everything first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            NOT_PRODUCTION_FLAG,
            action="store_true",
            dest="not_production",
            help="Allow running with DEBUG off (a test or staging database, never production).",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete every row of every table (and the attachments) first, then load the demo.",
        )
        parser.add_argument(
            "--address",
            default="127.0.0.1:8000",
            help="Where `make run` serves (its HOST), printed with the accounts.",
        )

    def handle(self, *args, **options):
        if not (
            settings.DEBUG
            or options["not_production"]
            or getattr(settings, "LOAD_DEMO_WITHOUT_DEBUG", False)
        ):
            raise CommandError(
                "load_demo refuses to run with DEBUG off: this looks like a production "
                "database and the demo accounts share a public password. On a test or staging "
                f"database, add {NOT_PRODUCTION_FLAG}."
            )
        if options["reset"]:
            self._reset()
        elif database_has_data():
            self.stdout.write(
                "Demo data not loaded: the database already has data (nothing changed; "
                "`make demo-reset` starts over)."
            )
            return
        self._load(options["address"])

    def _reset(self) -> None:
        database = connection.settings_dict["NAME"]
        self.stdout.write(self.style.WARNING(f"Deleting every row of database {database}:"))
        for table, count in row_counts():
            self.stdout.write(f"  {table:<45} {count:>8} rows")
        attachments = self._attachment_names()
        self.stdout.write(
            self.style.WARNING(f"and {len(attachments)} attachment file(s) under MEDIA_ROOT.")
        )
        storage = (
            apps.get_model("certifications", "CriterionAssessment")
            ._meta.get_field("attachment")
            .storage
        )
        for name in attachments:
            storage.delete(name)
        if connection.vendor == "postgresql":
            # Inside a transaction that already wrote rows (a test, or a caller's atomic block),
            # PostgreSQL refuses to TRUNCATE tables with deferred foreign-key checks pending.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        # ``flush`` empties the tables that migrations seeded too: seed them again.
        import_string(RULE_SETS_SEED)()

    @staticmethod
    def _attachment_names() -> list[str]:
        model = apps.get_model("certifications", "CriterionAssessment")
        return list(
            model.objects.exclude(attachment="").values_list("attachment", flat=True).distinct()
        )

    def _load(self, address: str) -> None:
        units, accounts = wards_demo.load()
        self.stdout.write(self.style.SUCCESS(f"Demo units: {len(units)}"))
        for dotted in APP_LOADERS:
            summary = import_string(dotted)(units)
            self.stdout.write(self.style.SUCCESS(summary))
        figures.bump()  # pages cached before (in Redis) must not outlive the old data
        self.stdout.write("")
        self.stdout.write(f"Tài khoản demo / demo accounts ({served_at(address)}):")
        for username, description in accounts:
            self.stdout.write(f"  {username:<14} {description}")
        self.stdout.write(f"Mật khẩu chung / password for all: {wards_demo.DEMO_PASSWORD}")
