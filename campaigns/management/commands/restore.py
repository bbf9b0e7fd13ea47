"""``manage.py restore FILE``: a ``manage.py backup`` archive into an EMPTY database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campaigns.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database (a new createdb) and an empty "
        "MEDIA_ROOT. Refuses a database that has tables of this application."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options):
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        try:
            manifest = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} "
                f"({manifest['media_files']} attachment file(s)). Run `manage.py migrate` "
                "if this version of the application is newer than the backup."
            )
        )
