"""Measured quality: the labeled evaluation sets, their stable split and the figures.

The sets (tests/fixtures/moderation/eval_set*.jsonl) hold original comments, each
labeled abuse, hate (with `coded` for dog whistles and tropes), spam, off_topic
or civil, written under a story: `<set>.story.json` beside the set, else
story.json there. The test_set*.jsonl files are the final tests, kept out of every
split. A stable
hash of each id puts it in "tune" (about 60 %) or "heldout" (about 40 %);
thresholds and the comment model were fitted on "tune" only. The positive class
is "needs a moderator": held or rejected.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from .scoring import Assessment, Context, assess

TUNE, HELDOUT = "tune", "heldout"
CATEGORIES = ("abuse", "hate", "spam", "off_topic", "civil")
TUNE_SHARE = 60  # per cent
CALIBRATION_SHARE = 20  # per cent, kept back from training to choose thresholds


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    category: str
    coded: bool = False
    # The story it was written under (the rules judge off-topic drift by it).
    context: Context = field(default_factory=Context, compare=False, repr=False)

    @property
    def split(self) -> str:
        return split_of(self.id)


def split_of(example_id: str) -> str:
    """'tune' or 'heldout', fixed by the id alone (SHA-256, so stable everywhere)."""
    bucket = int(hashlib.sha256(example_id.encode()).hexdigest()[:8], 16) % 100
    return TUNE if bucket < TUNE_SHARE else HELDOUT


def in_calibration_fifth(example_id: str) -> bool:
    """Kept back (stable, by id) from what both models learn of the sets beyond the tuning
    split, to choose their thresholds together (joint_calibration.py)."""
    digest = hashlib.sha256(f"calibration:{example_id}".encode()).hexdigest()
    return int(digest[:8], 16) % 100 < CALIBRATION_SHARE


def labeled_sets(directory: Path) -> list[Path]:
    """The eval_set*.jsonl files there, in the order they were written (eval_set, _2, ...)."""
    paths = directory.glob("eval_set*.jsonl")
    return sorted(paths, key=lambda path: int(path.stem.removeprefix("eval_set").lstrip("_") or 1))


def story_of(path: Path) -> Path:
    """The story a set's comments were written under."""
    own = path.with_suffix(".story.json")
    return own if own.exists() else path.parent / "story.json"


def load_examples(path: Path, story: Path | None = None) -> list[Example]:
    context = load_context(story or story_of(path))
    with path.open(encoding="utf-8") as fh:
        return [Example(**json.loads(line), context=context) for line in fh if line.strip()]


def load_context(path: Path) -> Context:
    """A story (title and text) as the checks' context."""
    story = json.loads(path.read_text(encoding="utf-8"))
    return Context(title=story["title"], text=story["text"])


@dataclass(frozen=True)
class Row:
    label: str
    total: int
    flagged: int  # held or rejected
    # Of the flagged comments that the checks attributed to this category, the share that is.
    precision: float | None
    recall: float

    def as_cells(self) -> list[str]:
        precision = "-" if self.precision is None else f"{self.precision:.2f}"
        return [self.label, str(self.total), str(self.flagged), precision, f"{self.recall:.2f}"]


@dataclass(frozen=True)
class Report:
    split: str
    rows: tuple[Row, ...]
    # Civil comments held or rejected, as a share of civil comments.
    false_hold_rate: float
    civil_total: int
    civil_flagged: int
    # "Needs a moderator" over every label but civil.
    overall_precision: float
    overall_recall: float
    misses: tuple[tuple[Example, Assessment], ...]
    # Held after the fact by the reader model (id -> category), when it was asked.
    reader_holds: dict[str, str] = field(default_factory=dict)
    reader: bool = False

    def row(self, label: str) -> Row:
        return next(r for r in self.rows if r.label == label)

    def table(self) -> str:
        header = ["category", "n", "held/rejected", "precision", "recall"]
        cells = [header] + [r.as_cells() for r in self.rows]
        cells.append(
            ["all but civil", "", "", f"{self.overall_precision:.2f}", f"{self.overall_recall:.2f}"]
        )
        widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
        lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
        lines.insert(1, "-+-".join("-" * w for w in widths))
        lines.append("")
        lines.append(
            f"civil false holds: {self.civil_flagged}/{self.civil_total} "
            f"= {self.false_hold_rate:.1%}  (split: {self.split}; "
            f"{'with' if self.reader else 'without'} the reader model)"
        )
        return "\n".join(lines)


def _attributed(assessment: Assessment) -> str:
    """The category a held comment is held for (its strongest held reason)."""
    for reason in assessment.reasons:
        if reason.category in CATEGORIES:
            return "abuse" if reason.category == "profanity" else reason.category
    return "civil"


def reader_holds(examples: Sequence[Example]) -> dict[str, str]:
    """The examples the reader model (reader.py) would hold after the fact: id -> category."""
    from . import reader

    probabilities = reader.model().probabilities_many([e.text for e in examples])
    return {
        e.id: reader.likeliest(p)
        for e, p in zip(examples, probabilities, strict=True)
        if reader.holds(p, sensitive=e.context.sensitive)
    }


def with_reader_after(context: Context) -> Context:
    """The context as the intake judges it when the reader model judges the comment after
    the fact: the comment model at the threshold chosen with the reader model's."""
    from .reader import comment_model_factor

    return replace(context, thresholds=context.thresholds.model_scaled(comment_model_factor()))


def evaluate(examples: Iterable[Example], *, split: str = HELDOUT, reader: bool = False) -> Report:
    """`reader`: also the reader model's holds after the fact (as the worker adds them)."""
    chosen = [e for e in examples if split == "all" or e.split == split]
    results = [
        (e, assess(e.text, context=with_reader_after(e.context) if reader else e.context))
        for e in chosen
    ]
    late = reader_holds(chosen) if reader else {}

    def held(e: Example, a: Assessment) -> bool:
        return a.needs_moderator or e.id in late

    def attributed(e: Example, a: Assessment) -> str:
        return _attributed(a) if a.needs_moderator else late[e.id]

    def row(label: str, members: Sequence[tuple[Example, Assessment]], category: str) -> Row:
        flagged = [e for e, a in members if held(e, a)]
        attributed_here = [e for e, a in results if held(e, a) and attributed(e, a) == category]
        precision = (
            sum(e.category == category for e in attributed_here) / len(attributed_here)
            if attributed_here
            else None
        )
        recall = len(flagged) / len(members) if members else 0.0
        return Row(label, len(members), len(flagged), precision, recall)

    rows = []
    for category in CATEGORIES[:-1]:
        members = [(e, a) for e, a in results if e.category == category]
        rows.append(row(category, members, category))
        if category == "hate":
            coded = [(e, a) for e, a in members if e.coded]
            rows.append(row("hate (coded)", coded, "hate"))
    civil = [(e, a) for e, a in results if e.category == "civil"]
    civil_flagged = sum(held(e, a) for e, a in civil)
    positives = [(e, a) for e, a in results if e.category != "civil"]
    flagged_all = [e for e, a in results if held(e, a)]
    misses = tuple((e, a) for e, a in results if (e.category == "civil") == held(e, a))
    return Report(
        split=split,
        rows=tuple(rows),
        false_hold_rate=civil_flagged / len(civil) if civil else 0.0,
        civil_total=len(civil),
        civil_flagged=civil_flagged,
        overall_precision=(
            sum(e.category != "civil" for e in flagged_all) / len(flagged_all)
            if flagged_all
            else 0.0
        ),
        overall_recall=sum(held(e, a) for e, a in positives) / len(positives) if positives else 0.0,
        misses=misses,
        reader_holds=late,
        reader=reader,
    )
