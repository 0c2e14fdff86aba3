"""`manage.py restore`: brings a backup back, into an empty site only."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.core.errors import BroadsheetError
from broadsheet.portability.backup import backup_restore, table_counts, unapplied_migrations


class Command(BaseCommand):
    help = (
        "Restores a backup written by `backup` into an empty site (a new database, migrated "
        "or not, and an empty MEDIA_ROOT); refuses a site that already holds data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="The .tar.gz file that `backup` wrote.")

    def handle(self, *args: str, archive: str, **options) -> None:
        try:
            manifest = backup_restore(path=Path(archive))
        except BroadsheetError as error:
            raise CommandError(error.message) from None
        counts = ", ".join(f"{n:,} {t}" for t, n in table_counts().items())
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} ({counts}; "
            f"{manifest['media']['files']:,} media files).",
            style_func=self.style.SUCCESS,
        )
        pending = unapplied_migrations()
        if pending:
            self.stdout.write(
                f"{pending} migrations are newer than the backup: run `broadsheet migrate` next.",
                style_func=self.style.WARNING,
            )
