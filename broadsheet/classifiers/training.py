"""Fitting the comment model (learned.py) on the tuning split of the labeled sets.

Only `manage.py moderation_train` imports this (scikit-learn stays out of the app
processes). Abuse, hate and spam are the classes to learn (spam without a link
or a phone number is an advert in words: "our tipsters hit 9/10", "bad credit
OK"); civil and off-topic comments are the "civil" class (off-topic is judged
elsewhere, and wandering is allowed).

The hold threshold is read off 5-fold cross-validated probabilities on the same
tuning split: the lowest at which the model would hold no more than
`MAX_FALSE_HOLDS` of its civil comments. The held-out split is never seen. The
figures printed are of the model and the rules (scoring.py without the model)
together.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .evaluation import TUNE, Example, in_calibration_fifth
from .learned import features
from .scoring import Thresholds, assess

CLASS_OF = {
    "abuse": "abuse", "hate": "hate", "spam": "spam", "civil": "civil", "off_topic": "civil"
}  # fmt: skip
# Civil comments of the tuning split the model alone may hold (in cross-validation). Not
# the rules' and the model's together: the rules were tuned on this split and hold almost
# no civil comment of it, while on unseen text they hold some 2-4 %. 0.02 since the
# twenty sets: 0.015, 0.02, 0.025 and 0.03 gave 3.1, 3.6, 4.1 and 4.6 % false holds with
# the rules in cross-validation; 0.02 leaves the margin unseen stories have needed.
MAX_FALSE_HOLDS = 0.02
# Regularization (the inverse): 1, 4 and 16 compared by cross-validation on the tuning
# split; 1 held the fewest civil comments at the same recall.
C = 4.0
FOLDS = 5


@dataclass(frozen=True)
class Fitted:
    data: dict
    # The scikit-learn pipeline the data was read from (tests compare the two).
    pipeline: object
    threshold: float
    cv_recall: dict[str, float]
    cv_false_holds: float
    examples: int


def training_examples(examples: Sequence[Example]) -> list[Example]:
    """The tuning split, less any text the held-out split also holds (sets written apart
    can share a short one: "bellend")."""
    heldout = _heldout_texts(examples)
    return [
        e
        for e in examples
        if e.split == TUNE and e.category in CLASS_OF and e.text.casefold() not in heldout
    ]


def _heldout_texts(examples: Sequence[Example]) -> set[str]:
    return {e.text.casefold() for e in examples if e.split != TUNE}


def also_examples(
    examples: Sequence[Example], also: Sequence[Example], *, calibration: bool = False
) -> list[Example]:
    """What the comment model learns from other labeled sets (earlier test sets, training
    sets): not a text the held-out split holds, and not the reader model's calibration
    fifth, where the two models' thresholds are chosen together (joint_calibration.py);
    `calibration`: that fifth instead."""
    heldout = _heldout_texts(examples)
    return [
        e
        for e in also
        if e.category in CLASS_OF
        and e.text.casefold() not in heldout
        and in_calibration_fifth(e.id) == calibration
    ]


def training_rows(
    examples: Sequence[Example], also: Sequence[Example] = ()
) -> tuple[list[str], list[str]]:
    chosen = training_examples(examples) + also_examples(examples, also)
    return _rows(chosen)


def _rows(chosen: Sequence[Example]) -> tuple[list[str], list[str]]:
    return [e.text for e in chosen], [CLASS_OF[e.category] for e in chosen]


def _pipeline():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    vectorizer = TfidfVectorizer(
        analyzer=features, sublinear_tf=True, min_df=2, norm="l2", dtype=np.float64
    )
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    return make_pipeline(vectorizer, model)


def _threshold(flag: Sequence[float], labels: Sequence[str]) -> float:
    """The lowest threshold at which the model holds at most MAX_FALSE_HOLDS of civil."""
    civil = sorted(
        (f for f, label in zip(flag, labels, strict=True) if label == "civil"), reverse=True
    )
    allowed = int(MAX_FALSE_HOLDS * len(civil))
    if allowed >= len(civil):
        return 0.5
    return round(min(0.99, civil[allowed] + 1e-3), 3)


def fit(examples: Sequence[Example], also: Sequence[Example] = ()) -> Fitted:
    """`also`: examples of other labeled sets to learn from besides the tuning split."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    chosen = training_examples(examples) + also_examples(examples, also)
    texts, labels = _rows(chosen)
    no_model = Thresholds(learned=float("inf"))
    rules = [
        assess(e.text, context=replace(e.context, thresholds=no_model)).needs_moderator
        for e in chosen
    ]
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=7)
    cv = cross_val_predict(_pipeline(), texts, labels, cv=folds, method="predict_proba")
    pipeline = _pipeline().fit(texts, labels)
    vectorizer, model = pipeline.steps[0][1], pipeline.steps[1][1]
    classes = [str(c) for c in model.classes_]
    civil = classes.index("civil")
    flag = [1.0 - row[civil] for row in cv]
    threshold = _threshold(flag, labels)
    held = [f >= threshold or r for f, r in zip(flag, rules, strict=True)]

    def share(name: str) -> float:
        chosen = [h for h, label in zip(held, labels, strict=True) if label == name]
        return sum(chosen) / len(chosen) if chosen else 0.0

    recall = {name: share(name) for name in ("abuse", "hate", "spam")}
    false_holds = share("civil")
    weights = {
        feature: [round(float(vectorizer.idf_[i]), 6)]
        + [round(float(model.coef_[k][i]), 6) for k in range(len(classes))]
        for feature, i in sorted(vectorizer.vocabulary_.items())
    }
    data = {
        "classes": classes,
        "threshold": threshold,
        "trained_on": len(texts),
        "weights": weights,
        "intercepts": [round(float(v), 6) for v in model.intercept_],
    }
    return Fitted(data, pipeline, threshold, recall, false_holds, len(texts))
