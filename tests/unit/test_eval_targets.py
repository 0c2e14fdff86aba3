"""The moderation quality targets (a regression fails CI).

Targets (issue 4, item 9): recall >= 0.9 on abuse and spam, >= 0.6 on coded
hate, false holds <= 5 % on civil comments. Measured three ways (README
"Moderation quality"): on the held-out split of the twelve labeled sets; on the
final test sets 2 and 3 (two stories no other set is about), written blind and
scored once, after everything was chosen; and on the first test set, scored
three times by now (a regression check, no longer a clean test). Unmet targets
are xfails; floors (and a ceiling on false holds) at today's figures guard
against regressions meanwhile.
"""

from pathlib import Path

import pytest

from broadsheet.classifiers.evaluation import (
    HELDOUT,
    TUNE,
    Report,
    evaluate,
    labeled_sets,
    load_examples,
    split_of,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "moderation"
FINAL_TESTS = ("test_set_2.jsonl", "test_set_3.jsonl")


@pytest.fixture(scope="module")
def examples():
    return [e for path in labeled_sets(FIXTURES) for e in load_examples(path)]


@pytest.fixture(scope="module")
def heldout(examples) -> Report:
    return evaluate(examples, split=HELDOUT)


@pytest.fixture(scope="module")
def final_test() -> Report:
    return evaluate(
        [e for name in FINAL_TESTS for e in load_examples(FIXTURES / name)], split="all"
    )


@pytest.fixture(scope="module")
def first_test() -> Report:
    return evaluate(load_examples(FIXTURES / "test_set.jsonl"), split="all")


def test_the_sets_are_big_enough_and_split_stably(examples):
    assert len(examples) >= 3800
    assert sum(e.category == "civil" for e in examples) >= 1300
    assert len({e.id for e in examples}) == len(examples)
    tune = sum(e.split == TUNE for e in examples) / len(examples)
    assert 0.5 < tune < 0.7
    assert split_of("civil-001") == split_of("civil-001")
    for name in ("test_set.jsonl", *FINAL_TESTS):
        test_ids = {e.id for e in load_examples(FIXTURES / name)}
        assert len(test_ids) >= 250 and not test_ids & {e.id for e in examples}


def test_each_set_is_judged_under_its_own_story(examples):
    by_set = {e.id.split("-")[0]: e.context.title for e in examples}
    assert "Harbourside" in by_set["abuse3"] and "Harbourside" not in by_set["s5"]
    assert by_set["s5"] != by_set["s6"]


@pytest.mark.parametrize(
    ("label", "floor"),
    [("abuse", 0.74), ("hate (coded)", 0.48), ("spam", 0.9)],
)
def test_heldout_recall_floors(heldout, label, floor):
    assert heldout.row(label).recall >= floor


@pytest.mark.parametrize(
    ("label", "floor"),
    [("abuse", 0.64), ("hate (coded)", 0.39), ("spam", 0.86)],
)
def test_final_test_recall_floors(final_test, label, floor):
    assert final_test.row(label).recall >= floor


@pytest.mark.parametrize(
    ("label", "floor"),
    [("abuse", 0.72), ("hate (coded)", 0.6), ("spam", 0.9)],
)
def test_first_test_set_recall_floors(first_test, label, floor):
    assert first_test.row(label).recall >= floor


def test_civil_false_holds_on_the_test_sets(final_test, first_test):
    assert final_test.false_hold_rate <= 0.05 and first_test.false_hold_rate <= 0.05


def test_civil_false_holds_on_heldout_stay_near_the_target(heldout):
    assert heldout.false_hold_rate <= 27 / 534  # 5.06 % today


@pytest.mark.xfail(reason="held-out false holds are 27/534 = 5.06 %", strict=False)
def test_civil_false_holds_target_on_heldout(heldout):
    assert heldout.false_hold_rate <= 0.05


@pytest.mark.xfail(reason="not met: abuse recall 0.74 held-out, 0.65 final test", strict=False)
def test_abuse_recall_target(heldout, final_test):
    assert heldout.row("abuse").recall >= 0.9 and final_test.row("abuse").recall >= 0.9


@pytest.mark.xfail(reason="not met: coded hate 0.49 held-out, 0.40 final test", strict=False)
def test_coded_hate_recall_target(heldout, final_test):
    assert heldout.row("hate (coded)").recall >= 0.6
    assert final_test.row("hate (coded)").recall >= 0.6


@pytest.mark.xfail(reason="not met on the final test: spam recall 0.88", strict=False)
def test_spam_recall_target_on_the_final_test(final_test):
    assert final_test.row("spam").recall >= 0.9
