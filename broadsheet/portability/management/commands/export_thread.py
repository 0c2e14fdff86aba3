"""`manage.py export_thread`: one discussion as a nested JSON document."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.discussion.models import Thread
from broadsheet.portability.exports import thread_json_write


class Command(BaseCommand):
    help = "Exports one thread and all its comments as JSON, each reply inside its parent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("thread", help="The thread's id, or its key (the page's URL).")
        parser.add_argument(
            "-o", "--output", default="-", help="File to write (default: standard output)."
        )

    def handle(self, *args: str, thread: str, output: str, **options) -> None:
        found = Thread.objects.filter(key=thread).first()
        if found is None and thread.isdigit():
            found = Thread.objects.filter(pk=int(thread)).first()
        if found is None:
            raise CommandError(f"No thread with the id or key {thread!r}.")
        if output == "-":
            thread_json_write(sys.stdout, thread=found)
            sys.stdout.write("\n")
            sys.stdout.flush()
        else:
            with Path(output).open("w", encoding="utf-8") as out:
                thread_json_write(out, thread=found)
        self.stderr.write(f"Exported thread {found.pk} ({found}).", style_func=self.style.SUCCESS)
