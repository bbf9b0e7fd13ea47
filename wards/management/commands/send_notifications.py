"""Send the e-mails of notifications: at once (every few minutes) or the daily digest."""

from django.core.management.base import BaseCommand

from wards.notifications import deliver_digests, deliver_pending


class Command(BaseCommand):
    help = (
        "Send the e-mails of new notifications and retry the ones that failed. With --digest, "
        "send the daily digest to the users who chose it (run once a day)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--digest", action="store_true", help="send the daily digests instead (once a day)"
        )

    def handle(self, *args, digest: bool = False, **options):
        result = deliver_digests() if digest else deliver_pending()
        self.stdout.write(f"{'Digests' if digest else 'E-mails'}: {result}")
        if result.failed:
            # A non-zero exit makes the systemd unit (or cron) show the failure too.
            raise SystemExit(1)
