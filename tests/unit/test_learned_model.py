"""The site's own comment model (classifiers/learned.py): the shipped weights, and the same
probabilities without scikit-learn as with it."""

from pathlib import Path

import pytest

from broadsheet.classifiers import learned
from broadsheet.classifiers.evaluation import HELDOUT, labeled_sets, load_examples
from broadsheet.classifiers.scoring import Context, Thresholds, assess
from broadsheet.classifiers.training import fit, training_rows

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "moderation"
SETS = labeled_sets(FIXTURES)


@pytest.fixture(scope="module")
def examples():
    return [e for path in SETS for e in load_examples(path)]


def test_features_are_folded_words_pairs_and_character_grams():
    found = learned.features("You 1d10t, go away")
    assert {"w:idiot", "b:you idiot", "c: id", "c:iot ", "c:idiot"} <= set(found)
    assert learned.features("") == []


def test_the_shipped_model_never_learned_from_the_heldout_split_or_the_final_test(examples):
    model = learned._load()
    assert model is not None and set(model.classes) == {"abuse", "civil", "hate", "spam"}
    assert 0.3 < model.threshold < 0.99
    data = learned.json.loads(learned.MODEL_PATH.read_text())
    also = [e for name in data["also"] for e in load_examples(ROOT / name)]
    texts, _ = training_rows(examples, also)
    assert data["trained_on"] == len(texts)
    heldout = {e.text.casefold() for e in examples if e.split == HELDOUT}
    assert not heldout & {text.casefold() for text in texts}
    assert not {"test_set_12.jsonl", "test_set_13.jsonl"} & {Path(n).name for n in data["also"]}


def test_pure_python_probabilities_match_scikit_learn(examples):
    fitted = fit(examples)
    model = learned.Model.from_data(fitted.data)
    sample = [e.text for e in examples if e.split == HELDOUT][:40]
    expected = fitted.pipeline.predict_proba(sample)
    for text, row in zip(sample, expected, strict=True):
        ours = learned.probabilities(text, model)
        for name, probability in zip(fitted.data["classes"], row, strict=True):
            assert ours[name] == pytest.approx(probability, abs=1e-4)


def test_the_model_holds_on_its_own_and_a_sensitive_story_lowers_its_bar():
    insult = "A goldfish would grasp the borrowing figures better than you, you dim little man."
    verdict = assess(insult)
    assert verdict.needs_moderator
    assert any(r.detail.startswith("comment model") for r in verdict.reasons)
    threshold = learned.trained_threshold()
    assert Thresholds().sensitive().learned * threshold < threshold
    calm = "The borrowing figures are in the cabinet papers; the council should publish them."
    assert not assess(calm, context=Context()).needs_moderator


@pytest.mark.parametrize(
    "text",
    [
        "Shown",
        "Agreed.",
        "Well said.",
        "Great article, thanks.",
        "Guests can always *comment*.",
        "Where is the money coming from?",
    ],
)
def test_short_comments_are_not_the_models_to_judge(text):
    # Short comments give the model little to go on (it held the last one as a money
    # trope), so below MIN_WORDS only the lists and patterns judge.
    assert not assess(text).needs_moderator
