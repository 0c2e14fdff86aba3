"""`manage.py moderation_calibrate`: chooses the reader model's threshold and the comment
model's factor together (classifiers/joint_calibration.py) and writes them into
classifiers/data/reader_model.json.

Run after `scripts/train_reader_model.py` (which records the sets the model learned from)
and after `moderation_train`. It reads the reader model's calibration fifth of those sets
that the comment model never learned from; the held-out split is never read.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from broadsheet.classifiers import reader
from broadsheet.classifiers.evaluation import load_examples
from broadsheet.classifiers.joint_calibration import choose
from broadsheet.classifiers.training import also_examples

from .moderation_eval import SETS


class Command(BaseCommand):
    help = "Chooses the reader model's threshold and the comment model's factor together."
    requires_system_checks: list[str] = []

    def handle(self, *args: object, **options: object) -> None:
        if not reader.available():
            raise CommandError("The reader model is not installed (make setup).")
        meta = reader.metadata()
        examples = also_examples(
            [e for path in SETS for e in load_examples(path)],
            [
                e
                for name in meta.get("also", [])
                for e in load_examples(Path(settings.BASE_DIR) / name)
            ],
            calibration=True,
        )
        if not examples:
            raise CommandError("The reader model learned from no other sets: nothing to read.")
        probabilities = reader.model().probabilities_many([e.text for e in examples])
        chosen = choose(examples, probabilities)
        record = chosen.as_record()
        meta = {
            **meta,
            "threshold_alone": meta.get("threshold_alone", meta["threshold"]),
            "threshold": chosen.threshold,
            "hate_threshold": record["hate_threshold"],
            "comment_model_factor": record["comment_model_factor"],
            "joint_calibration": record,
        }
        path = reader.DATA / "reader_model.json"
        path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        reader.metadata.cache_clear()
        self.stdout.write(
            f"On {chosen.examples} calibration comments ({chosen.civil} civil): reader model "
            f"threshold {chosen.threshold}, hate threshold {record['hate_threshold']}, comment "
            f"model factor {record['comment_model_factor']} (None: off while the reader model "
            f"is on): mean recall {chosen.recall:.3f} "
            f"{record['recall_by_category']}, civil false holds {chosen.false_holds:.1%} -> {path}"
        )
