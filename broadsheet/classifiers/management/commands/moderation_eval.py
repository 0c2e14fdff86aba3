"""`manage.py moderation_eval`: the moderation checks' quality on the labeled set.

Prints precision and recall of "needs a moderator" (held or rejected) per
category and the false-hold rate on civil comments, for the held-out split by
default (the one the README reports); `--split tune` shows the tuning figures,
`--set tests/fixtures/moderation/test_set_2.jsonl --set ...test_set_3.jsonl --split all`
the final test sets (each judged under its own story, `<set>.story.json`). The reader
model's holds after the fact count too, as the worker adds them (`--no-reader`: the
intake's checks alone).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from broadsheet.classifiers import reader
from broadsheet.classifiers.evaluation import (
    HELDOUT,
    TUNE,
    evaluate,
    labeled_sets,
    load_examples,
)

FIXTURES = Path(settings.BASE_DIR) / "tests" / "fixtures" / "moderation"
SETS = labeled_sets(FIXTURES)


class Command(BaseCommand):
    help = "Precision and recall of the moderation checks on the labeled evaluation set."
    # Pure scoring: no database or URL checks needed.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--split", choices=[HELDOUT, TUNE, "all"], default=HELDOUT)
        parser.add_argument(
            "--set",
            type=Path,
            action="append",
            help="a labeled JSON Lines file (repeatable; default: every shipped set)",
        )
        parser.add_argument(
            "--story", type=Path, help="the story for every set (default: each set's own)"
        )
        parser.add_argument(
            "--no-reader",
            action="store_true",
            help="the intake's checks alone, without the reader model's holds after the fact",
        )
        parser.add_argument(
            "--misses", action="store_true", help="also list the comments judged wrongly"
        )

    def handle(self, *args: object, **options: object) -> None:
        paths = options["set"] or SETS
        story = options["story"]
        examples = [e for path in paths for e in load_examples(path, story)]  # type: ignore
        use_reader = not options["no_reader"] and reader.available()
        if not options["no_reader"] and not use_reader:
            self.stderr.write("The reader model is not installed: the intake's checks alone.")
        report = evaluate(examples, split=str(options["split"]), reader=use_reader)
        self.stdout.write(report.table())
        if options["misses"]:
            self.stdout.write("")
            for example, assessment in report.misses:
                reasons = "; ".join(str(r) for r in assessment.reasons[:3])
                if example.id in report.reader_holds:
                    reasons = f"reader model: {report.reader_holds[example.id]}"
                self.stdout.write(
                    f"{example.id} [{assessment.outcome}] {example.text[:90]}  <- {reasons}"
                )
