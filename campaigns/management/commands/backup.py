"""``manage.py backup [--output FILE]``: the database and the attachments in one archive."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write one .tar.gz archive holding a consistent database dump and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Archive to write (default: antq-YYYY-MM-DD-HHMMSS.tar.gz here).",
        )

    def handle(self, *args, output=None, **options):
        stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M%S")
        output = output or Path(f"antq-{stamp}.tar.gz")
        try:
            manifest = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {output}: {manifest['database_vendor']} database, "
                f"{manifest['media_files']} attachment file(s)."
            )
        )
