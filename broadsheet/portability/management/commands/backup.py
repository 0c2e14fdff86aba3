"""`manage.py backup`: a consistent snapshot of the database and media while the site runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.core.clock import now
from broadsheet.core.errors import BroadsheetError
from broadsheet.portability.backup import backup_create


class Command(BaseCommand):
    help = (
        "Writes the database (SQLite online backup, or pg_dump on PostgreSQL) and the uploaded "
        "media into one .tar.gz with a manifest. Safe while the site is serving."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "output",
            nargs="?",
            help="The file to write (default: broadsheet-backup-<date>-<time>.tar.gz here).",
        )

    def handle(self, *args: str, output: str | None, **options) -> None:
        path = Path(output or f"broadsheet-backup-{now():%Y%m%d-%H%M%S}.tar.gz")
        try:
            result = backup_create(path=path)
        except BroadsheetError as error:
            raise CommandError(error.message) from None
        manifest = result.manifest
        counts = ", ".join(f"{n:,} {t}" for t, n in manifest["counts_before_snapshot"].items())
        self.stdout.write(
            f"Backed up the {manifest['engine']} database ({counts}) and "
            f"{manifest['media']['files']:,} media files to {result.path}",
            style_func=self.style.SUCCESS,
        )
