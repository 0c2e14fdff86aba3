"""`manage.py demo` builds the demo newsroom; `make run` calls it with --if-empty at every start."""

import time

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from broadsheet.core.console import ProgressStream
from broadsheet.core.planner_stats import refresh_planner_stats
from broadsheet.demo.people import ADMIN_EMAIL, DEMO_PASSWORD
from broadsheet.demo.services import (
    DEFAULT_SEED,
    DemoBuild,
    Step,
    demo_build,
    demo_site_is_empty,
)


class Command(BaseCommand):
    help = (
        "Builds demo content: staff and readers, articles, and discussions that read like real "
        "ones, including a breaking story with 1,000+ comments. Running it again adds only "
        "what is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any article exists."
        )
        parser.add_argument(
            "--huge",
            action="store_true",
            help="Also build a story with a 10,000-comment discussion.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Seed of the generated content (default {DEFAULT_SEED}); same seed, same site.",
        )

    def handle(
        self, *args: str, if_empty: bool, huge: bool, seed: int, verbosity: int, **options: object
    ) -> None:
        if if_empty and not demo_site_is_empty():
            if verbosity:
                self.stdout.write("Articles exist already; no demo content added.")
            return
        started = time.monotonic()
        build = DemoBuild(seed=seed, huge=huge)
        steps = build.steps()
        console = Console(file=ProgressStream(self.stdout), quiet=verbosity == 0)
        columns = (
            TextColumn("{task.description:<40}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("Demo content", total=sum(s.size for s in steps))

            def advance(step: Step) -> None:
                progress.update(task, advance=step.size, description=step.label[:40])

            report = demo_build(build=build, on_step=advance)
            progress.update(task, description="Demo content")
        refresh_planner_stats()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo content: {report.articles} articles, {report.comments:,} new comments, "
                    f"{report.users} new users in {time.monotonic() - started:.1f}s."
                )
            )
            self.stdout.write(f"Admin login: {ADMIN_EMAIL} / {DEMO_PASSWORD}")
            if report.avatar_problem:
                self.stderr.write(f"Avatars: {report.avatar_problem}.")
