"""`manage.py export_site`: the whole site as JSON Lines, or in Disqus's XML format."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from broadsheet.portability.exports import disqus_xml_write, site_jsonl_write


class Command(BaseCommand):
    help = (
        "Exports the site: profiles, tags, threads, articles and comments as JSON Lines "
        "(which `import_comments jsonl` reads back), or threads and comments as a Disqus XML "
        "export. Never password hashes, tokens or addresses; e-mails only with --include-emails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=["jsonl", "disqus"], default="jsonl", help="Default: jsonl."
        )
        parser.add_argument(
            "-o", "--output", default="-", help="File to write (default: standard output)."
        )
        parser.add_argument(
            "--include-emails",
            action="store_true",
            help="Include members' e-mail addresses (for the operator's own use only).",
        )

    def handle(self, *args: str, format: str, output: str, include_emails: bool, **options):
        if format == "jsonl":
            if output == "-":
                counts = site_jsonl_write(sys.stdout, include_emails=include_emails)
                sys.stdout.flush()
            else:
                with Path(output).open("w", encoding="utf-8") as out:
                    counts = site_jsonl_write(out, include_emails=include_emails)
        elif output == "-":
            counts = disqus_xml_write(sys.stdout.buffer, include_emails=include_emails)
            sys.stdout.buffer.flush()
        else:
            with Path(output).open("wb") as out:
                counts = disqus_xml_write(out, include_emails=include_emails)
        self.stderr.write(f"Exported {counts}.", style_func=self.style.SUCCESS)
