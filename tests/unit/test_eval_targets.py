"""The moderation quality targets (a regression fails CI).

Targets (issue 4, item 9): recall >= 0.9 on abuse and spam, >= 0.6 on coded
hate, false holds <= 5 % on civil comments. Measured three ways (README
"Moderation quality"): on the held-out split of the twenty labeled sets (the issue's
measure); on the final test sets 12 and 13 (two stories no other set is about),
written blind and scored once, after everything was chosen; and on the earlier test
sets 1-11, each scored more than once and learned from by the models by now (a
regression check, no longer a test). Unmet targets are xfails; floors (and ceilings on
false holds) at today's figures guard against regressions meanwhile.
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
FINAL_TESTS = ("test_set_12.jsonl", "test_set_13.jsonl")
EARLIER_TESTS = tuple(f"test_set{n}.jsonl" for n in ("", *(f"_{i}" for i in range(2, 12))))
TRAINING_SETS = tuple(f"train_set_r{i}.jsonl" for i in range(1, 13))


def _scored(names: tuple[str, ...]) -> Report:
    examples = [e for name in names for e in load_examples(FIXTURES / name)]
    return evaluate(examples, split="all", reader=True)


@pytest.fixture(scope="module")
def examples():
    return [e for path in labeled_sets(FIXTURES) for e in load_examples(path)]


@pytest.fixture(scope="module")
def heldout(examples) -> Report:
    return evaluate(examples, split=HELDOUT, reader=True)


@pytest.fixture(scope="module")
def final_test() -> Report:
    return _scored(FINAL_TESTS)


@pytest.fixture(scope="module")
def earlier_tests() -> Report:
    return _scored(EARLIER_TESTS)


def test_the_sets_are_big_enough_and_split_stably(examples):
    assert len(examples) >= 6300
    assert sum(e.category == "civil" for e in examples) >= 2200
    assert len({e.id for e in examples}) == len(examples)
    tune = sum(e.split == TUNE for e in examples) / len(examples)
    assert 0.5 < tune < 0.7
    assert split_of("civil-001") == split_of("civil-001")
    for name in (*EARLIER_TESTS, *FINAL_TESTS, *TRAINING_SETS):
        test_ids = {e.id for e in load_examples(FIXTURES / name)}
        assert len(test_ids) >= 250 and not test_ids & {e.id for e in examples}


def test_the_final_test_shares_only_stock_phrases_with_what_the_models_learned_from(examples):
    # Blind writers write the same short insult ("Shut up, idiot.", "Pillock."): 20 of the
    # 640, as a real site sees them again and again; nothing longer is shared.
    learned = {e.text.casefold() for e in examples if e.split == TUNE}
    for name in (*EARLIER_TESTS, *TRAINING_SETS):
        learned |= {e.text.casefold() for e in load_examples(FIXTURES / name)}
    final = [e.text.casefold() for name in FINAL_TESTS for e in load_examples(FIXTURES / name)]
    shared = learned.intersection(final)
    assert len(final) == 640 and len(shared) <= 20
    assert all(len(text.split()) <= 12 for text in shared)


def test_each_set_is_judged_under_its_own_story(examples):
    by_set = {e.id.split("-")[0]: e.context.title for e in examples}
    assert "Harbourside" in by_set["abuse3"] and "Harbourside" not in by_set["s5"]
    assert by_set["s5"] != by_set["s6"]


@pytest.mark.parametrize(
    ("label", "floor"),
    [("abuse", 0.9), ("hate (coded)", 0.62), ("spam", 0.98)],
)
def test_heldout_recall_floors(heldout, label, floor):
    assert heldout.row(label).recall >= floor


@pytest.mark.parametrize(
    ("label", "floor"),
    [("abuse", 0.86), ("hate (coded)", 0.8), ("spam", 0.99)],
)
def test_final_test_recall_floors(final_test, label, floor):
    assert final_test.row(label).recall >= floor


@pytest.mark.parametrize(
    ("label", "floor"),
    [("abuse", 0.96), ("hate (coded)", 0.84), ("spam", 0.99)],
)
def test_earlier_test_sets_recall_floors(earlier_tests, label, floor):
    assert earlier_tests.row(label).recall >= floor


def test_civil_false_holds_stay_near_today(heldout, final_test, earlier_tests):
    assert heldout.false_hold_rate <= 41 / 908  # 4.5 %
    assert final_test.false_hold_rate <= 5 / 220  # 2.3 %
    assert earlier_tests.false_hold_rate <= 24 / 1200  # 2.0 %


def test_civil_false_holds_target_on_heldout(heldout):
    assert heldout.false_hold_rate <= 0.05


def test_civil_false_holds_target_on_the_final_test(final_test):
    assert final_test.false_hold_rate <= 0.05


def test_abuse_recall_target_on_heldout(heldout):
    assert heldout.row("abuse").recall >= 0.9


@pytest.mark.xfail(reason="not met on the final test: abuse 0.86 (0.91 held-out)", strict=False)
def test_abuse_recall_target_on_the_final_test(final_test):
    assert final_test.row("abuse").recall >= 0.9


def test_coded_hate_recall_target(heldout, final_test):
    assert heldout.row("hate (coded)").recall >= 0.6
    assert final_test.row("hate (coded)").recall >= 0.6


def test_spam_recall_target(heldout, final_test):
    assert heldout.row("spam").recall >= 0.9 and final_test.row("spam").recall >= 0.9
