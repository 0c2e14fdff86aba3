"""`manage.py moderation_train`: fits the comment model on the tuning split and ships it.

Writes broadsheet/classifiers/data/comment_model.json (learned.py reads it) and
prints what 5-fold cross-validation on the tuning split says of it; the held-out
split is left for `moderation_eval`.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from broadsheet.classifiers.evaluation import load_examples
from broadsheet.classifiers.learned import MODEL_PATH

from .moderation_eval import SETS


class Command(BaseCommand):
    help = "Trains the comment model (abuse, hate) on the tuning split of the labeled sets."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--set", type=Path, action="append", help="labeled JSON Lines file")
        parser.add_argument(
            "--also",
            type=Path,
            nargs="+",
            action="extend",
            default=[],
            help="other labeled sets to learn from whole (earlier test sets, training sets), "
            "less the reader model's calibration fifth",
        )
        parser.add_argument("--output", type=Path, default=MODEL_PATH)

    def handle(self, *args: object, **options: object) -> None:
        from broadsheet.classifiers.training import fit

        paths = options["set"] or SETS
        examples = [e for path in paths for e in load_examples(path)]  # type: ignore[union-attr]
        also_paths: list[Path] = options["also"]  # type: ignore[assignment]
        fitted = fit(examples, [e for path in also_paths for e in load_examples(path)])
        data = {**fitted.data, "also": [_relative(path) for path in also_paths]}
        output: Path = options["output"]  # type: ignore[assignment]
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        self.stdout.write(
            f"Trained on {fitted.examples} comments (the tuning split and {len(also_paths)} "
            "other sets) "
            f"({len(fitted.data['weights']):,} features) -> {output}\n"
            f"Hold at 1 - P(civil) >= {fitted.threshold}. 5-fold cross-validation on what it "
            f"learned from, with the rules: abuse recall {fitted.cv_recall['abuse']:.2f}, "
            f"hate recall {fitted.cv_recall['hate']:.2f}, "
            f"spam recall {fitted.cv_recall['spam']:.2f}, civil false holds "
            f"{fitted.cv_false_holds:.1%}"
        )


def _relative(path: Path) -> str:
    resolved = path.resolve()
    base = Path(settings.BASE_DIR).resolve()
    return str(resolved.relative_to(base)) if resolved.is_relative_to(base) else str(path)
