"""The reader model's thresholds and the comment model's factor, chosen together
(classifiers/joint_calibration.py)."""

import math

import pytest

from broadsheet.classifiers import joint_calibration
from broadsheet.classifiers.evaluation import Example
from broadsheet.classifiers.joint_calibration import MAX_COMBINED_FALSE_HOLDS, choose

# Plain enough that no rule and no comment model holds it, whatever the factor.
PLAIN = "The council meets on Tuesday evening to discuss the new bus timetable."


def _read(far: float, hate: float = 0.0) -> dict[str, float]:
    """The reader model's probabilities: `far` from civil, `hate` of it hate."""
    return {"civil": 1 - far, "abuse": far - hate, "hate": hate, "spam": 0.0}


def _examples(**groups: list[dict]) -> tuple[list[Example], list[dict]]:
    examples, read = [], []
    for category, readings in groups.items():
        examples += [Example(f"{category}{i}", PLAIN, category) for i in range(len(readings))]
        read += readings
    return examples, read


def test_the_most_recall_within_the_civil_cap():
    # 40 civil comments: the cap (3.5 %) allows one held, the one at 0.97.
    examples, read = _examples(
        civil=[_read(0.1)] * 38 + [_read(0.95), _read(0.97)],
        abuse=[_read(0.96)] * 10 + [_read(0.5)] * 10,
    )
    chosen = choose(examples, read)
    assert chosen.threshold == pytest.approx(0.9501)
    assert chosen.false_holds == pytest.approx(1 / 40)
    assert chosen.false_holds <= MAX_COMBINED_FALSE_HOLDS
    assert chosen.by_category["abuse"] == pytest.approx(0.5)
    assert chosen.factor == 1.0, "among equals, the least change to the comment model"
    assert math.isinf(chosen.hate_threshold), "no hate to catch: no second threshold"


def test_a_lower_bar_for_hate_catches_what_reads_partly_civil():
    examples, read = _examples(
        civil=[_read(0.1)] * 39 + [_read(0.97)],  # the doubted civil comment reads as abuse
        abuse=[_read(0.98)] * 10,
        hate=[_read(0.9, hate=0.85)] * 10,
    )
    chosen = choose(examples, read)
    assert chosen.by_category == {"abuse": 1.0, "hate": 1.0}
    assert chosen.hate_threshold == pytest.approx(0.5) and chosen.false_holds == 0


def test_the_comment_models_holds_count_against_the_cap(monkeypatch):
    examples, read = _examples(
        civil=[_read(0.1)] * 38 + [_read(0.95), _read(0.97)],
        abuse=[_read(0.96)] * 10 + [_read(0.5)] * 10,
    )

    def intake_holds(examples, factor):
        # The comment model holds the first civil comment unless its threshold is raised:
        # with it, the reader model could hold nothing (a second civil hold is past the cap).
        return [factor < 1.2 and i == 0 for i in range(len(examples))]

    monkeypatch.setattr(joint_calibration, "intake_holds", intake_holds)
    chosen = choose(examples, read)
    assert chosen.factor == 1.2 and chosen.threshold == pytest.approx(0.9501)
    assert chosen.false_holds == pytest.approx(1 / 40)


def test_the_record_names_what_is_unused_as_none():
    choice = joint_calibration.Choice(math.inf, 0.99, math.inf, 0.9, 0.03, {}, 10, 5)
    record = choice.as_record()
    assert record["comment_model_factor"] is None and record["hate_threshold"] is None
    assert record["threshold"] == 0.99


def test_no_choice_within_the_cap_is_an_error(monkeypatch):
    examples, read = _examples(civil=[_read(0.1)] * 10, abuse=[_read(0.96)] * 10)
    monkeypatch.setattr(joint_calibration, "intake_holds", lambda e, f: [True] * len(e))
    with pytest.raises(ValueError, match="cap"):
        choose(examples, read)
