"""The moderation quality targets (a regression fails CI).

Targets (issue 4, item 9): recall >= 0.9 on abuse and spam, >= 0.6 on coded
hate, false holds <= 5 % on civil comments. Measured twice (README "Moderation
quality"): on the held-out split of the four labeled sets, and on the final
test set (test_set.jsonl), written blind and scored once, after everything was
chosen. Unmet targets are xfails; floors (and a ceiling on false holds) at
today's figures guard against regressions meanwhile.
"""

from pathlib import Path

import pytest

from broadsheet.classifiers.evaluation import (
    HELDOUT,
    TUNE,
    Report,
    evaluate,
    load_context,
    load_examples,
    split_of,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "moderation"


@pytest.fixture(scope="module")
def examples():
    return [e for path in sorted(FIXTURES.glob("eval_set*.jsonl")) for e in load_examples(path)]


@pytest.fixture(scope="module")
def heldout(examples) -> Report:
    return evaluate(examples, load_context(FIXTURES / "story.json"), split=HELDOUT)


@pytest.fixture(scope="module")
def final_test() -> Report:
    examples = load_examples(FIXTURES / "test_set.jsonl")
    return evaluate(examples, load_context(FIXTURES / "story.json"), split="all")


def test_the_sets_are_big_enough_and_split_stably(examples):
    assert len(examples) >= 1300
    assert sum(e.category == "civil" for e in examples) >= 500
    assert len({e.id for e in examples}) == len(examples)
    tune = sum(e.split == TUNE for e in examples) / len(examples)
    assert 0.5 < tune < 0.7
    assert split_of("civil-001") == split_of("civil-001")
    test_ids = {e.id for e in load_examples(FIXTURES / "test_set.jsonl")}
    assert len(test_ids) >= 250 and not test_ids & {e.id for e in examples}


@pytest.mark.parametrize(
    ("label", "floor"),
    [("abuse", 0.71), ("hate (coded)", 0.48), ("spam", 0.9)],
)
def test_heldout_recall_floors(heldout, label, floor):
    assert heldout.row(label).recall >= floor


@pytest.mark.parametrize(
    ("label", "floor"),
    [("abuse", 0.66), ("hate (coded)", 0.28), ("spam", 0.8)],
)
def test_final_test_recall_floors(final_test, label, floor):
    assert final_test.row(label).recall >= floor


def test_civil_false_holds_on_the_final_test(final_test):
    assert final_test.false_hold_rate <= 0.05


def test_civil_false_holds_on_heldout_stay_near_the_target(heldout):
    assert heldout.false_hold_rate <= 10 / 199  # 5.03 % today: the target missed by one comment


@pytest.mark.xfail(reason="held-out false holds are 10/199 = 5.03 %", strict=False)
def test_civil_false_holds_target_on_heldout(heldout):
    assert heldout.false_hold_rate <= 0.05


@pytest.mark.xfail(reason="not met: abuse recall 0.72 held-out, 0.67 test", strict=False)
def test_abuse_recall_target(heldout, final_test):
    assert heldout.row("abuse").recall >= 0.9 and final_test.row("abuse").recall >= 0.9


@pytest.mark.xfail(reason="not met: coded-hate recall 0.48 held-out, 0.29 test", strict=False)
def test_coded_hate_recall_target(heldout, final_test):
    assert heldout.row("hate (coded)").recall >= 0.6
    assert final_test.row("hate (coded)").recall >= 0.6


@pytest.mark.xfail(reason="not met on the final test: spam recall 0.80", strict=False)
def test_spam_recall_target_on_the_final_test(final_test):
    assert final_test.row("spam").recall >= 0.9
