import warnings

import pytest

from broadsheet.classifiers.toxicity import offensive_probability

SAMPLES = [
    "You are a worthless idiot and everyone hates you",
    "The council's harbour plan is badly costed and the consultation was too short.",
    "",
    "Fuck off",
    "Ça suffit, crétin",
]


def test_abusive_scores_higher_than_civil():
    abusive = offensive_probability("You are a worthless idiot and everyone hates you")
    civil = offensive_probability("I disagree with the mayor's housing policy.")
    assert abusive > 0.9 > 0.5 > civil


def test_more_abuse_scores_no_lower():
    base = offensive_probability("The plan is bad")
    worse = offensive_probability("The plan is bad and you are a fucking moron")
    assert worse > base


@pytest.mark.parametrize("text", SAMPLES)
def test_matches_the_library(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from profanity_check import predict_prob
    assert offensive_probability(text) == pytest.approx(float(predict_prob([text])[0]), abs=1e-9)


def test_probability_bounds():
    for text in SAMPLES:
        assert 0.0 <= offensive_probability(text) <= 1.0
