"""`manage.py import_comments <format> FILE`: an archive in, with a progress bar and a report."""

import json
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from broadsheet.core.console import ProgressStream
from broadsheet.core.errors import BroadsheetError
from broadsheet.importers.detect import FORMATS
from broadsheet.importers.run import import_file

MIB = 1024 * 1024


def _published(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--published {value!r} is not a date: use 2021-03-05 or 2021-03-05T16:07"
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "Imports comments from a Disqus export, a WordPress WXR file, an Isso database, a "
        "Broadsheet JSON Lines export or a plain-text page archive. Running it again adds "
        "only what is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=[*FORMATS, "auto"], help="The archive's format.")
        parser.add_argument("file", type=Path, help="The archive.")
        parser.add_argument(
            "--url",
            help="Text archive: attach the discussion to this external page instead of making "
            "an article. Isso: the site address its page paths are relative to.",
        )
        parser.add_argument(
            "--published",
            help="Text archive: the article's publication time (ISO 8601), which the text lacks.",
        )
        parser.add_argument(
            "--moderate",
            action="store_true",
            help="Run every comment through the content checks (not the rate limits).",
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the report as JSON instead of text."
        )

    def handle(self, *args: object, **options: object) -> None:
        verbosity = int(options["verbosity"])  # type: ignore[call-overload]
        published = _published(str(options["published"])) if options["published"] else None
        console = Console(
            file=ProgressStream(self.stderr), quiet=verbosity == 0 or bool(options["json"])
        )
        columns = (
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            tasks: dict[str, TaskID] = {}

            def advance(stage: str, done: int, total: int | None) -> None:
                if stage == "reading":  # bytes, shown in MiB
                    done, total = done // MIB, (total // MIB if total is not None else None)
                if stage not in tasks:
                    label = "Read MiB" if stage == "reading" else "Comments"
                    tasks[stage] = progress.add_task(label, total=total)
                progress.update(tasks[stage], completed=done, total=total)

            try:
                report = import_file(
                    fmt=str(options["format"]),
                    path=options["file"],  # type: ignore[arg-type]
                    url=str(options["url"]) if options["url"] else None,
                    published=published,
                    moderate=bool(options["moderate"]),
                    progress=advance,
                )
            except BroadsheetError as error:
                raise CommandError(error.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        elif verbosity:
            for line in report.summary():
                self.stdout.write(line)
