"""`manage.py rescore [--days N] [--apply]`: the content checks again over recent comments.

Without --apply it only reports what would change; with it, the changes are
made through the moderation services and logged (RESCORE).
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from broadsheet.core.errors import BroadsheetError
from broadsheet.moderation.rescoring import MAX_DAYS, RescoreReport, rescore


class Command(BaseCommand):
    help = "Re-run the content checks over recent comments; report (default) or --apply."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help=f"1 to {MAX_DAYS} (default 7)")
        parser.add_argument(
            "--apply", action="store_true", help="Change the statuses (default: only report)."
        )

    def handle(self, *args: object, **options: object) -> None:
        console = Console(file=self.stdout, force_terminal=False, width=120)
        columns = (
            TextColumn("Re-scoring"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            job = bar.add_task("rescore", total=None)

            def progress(processed: int, total: int) -> None:
                bar.update(job, completed=processed, total=total)

            try:
                report = rescore(days=options["days"], apply=options["apply"], progress=progress)
            except BroadsheetError as error:
                raise CommandError(error.message) from None
        self._print(console, report)

    def _print(self, console: Console, report: RescoreReport) -> None:
        verb = "Changed" if report.applied else "Would change"
        console.print(
            f"{report.examined} comments of the last {report.days} days examined. "
            f"{verb}: {sum(report.transitions.values())}."
        )
        if not report.transitions:
            console.print("Nothing would change." if not report.applied else "Nothing changed.")
            return
        table = Table("Change", "Comments")
        for key, count in report.transitions.items():
            table.add_row(key, str(count))
        console.print(table)
        for key, examples in report.examples.items():
            console.print(f"[bold]{key}[/bold], for example:")
            for example in examples:
                console.print(f"  #{example.comment_id} “{example.excerpt}” — {example.reasons}")
        if not report.applied:
            console.print("Nothing was changed. Run again with --apply to make these changes.")
