"""The site's own comment model: abuse, hate and spam learned from labeled comments.

Word lists and patterns catch the phrasings they were written for; a reader's
insult is mostly new words ("a goldfish would have a firmer grip on the numbers").
This model is a linear one over TF-IDF features, trained by `manage.py
moderation_train` (classifiers/training.py, scikit-learn) on the tuning part of
the labeled sets only, and shipped as plain weights in `data/comment_model.json`.

Here it runs without scikit-learn, as `toxicity.py` does its model: `features()`
is the one feature extractor (training calls it too, so both sides agree), then
sublinear tf x idf, L2 norm, one dot product per class and a softmax. Classes:
civil, abuse, hate, spam.
"""

import json
import math
import threading
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from operator import mul
from pathlib import Path

from .links import without_links
from .normalize import tokens

MODEL_PATH = Path(__file__).resolve().parent / "data" / "comment_model.json"
CHAR_NGRAMS = (3, 4, 5)
# Below this many folded words the model does not judge a comment (the lists still do).
# Short comments give it little to go on, and the few words they have ("where is the
# money coming from?") are often a trope's or an insult's words in their plain sense.
# 8 rather than 6: cross-validation on the tuning split, civil false holds 2.2 -> 1.7 %
# for abuse recall 0.79 -> 0.77.
MIN_WORDS = 8
# Words whose known features are kept per process (a few MB at most).
WORD_CACHE_SIZE = 50_000

_lock = threading.Lock()
_model: "Model | None" = None


def features(text: str) -> list[str]:
    """Folded words and word pairs, and character 3-5-grams inside each folded word; links
    left out (the link rules judge them: a reader citing a source is no advert)."""
    words = tokens(without_links(text))
    out = [f"b:{a} {b}" for a, b in pairwise(words)]
    for word in words:
        out.extend(word_features(word))
    return out


def word_features(word: str) -> list[str]:
    """The features one word gives alone: itself and its character n-grams."""
    out = [f"w:{word}"]
    padded = f" {word} "
    for n in CHAR_NGRAMS:
        if len(padded) < n:
            break
        out.extend(f"c:{padded[i : i + n]}" for i in range(len(padded) - n + 1))
    return out


@dataclass(frozen=True)
class Model:
    classes: tuple[str, ...]
    # feature -> (idf, idf x weight for each class...): idf folded in once, at load.
    weights: dict[str, tuple[float, ...]]
    intercepts: tuple[float, ...]
    # Hold at this 1 - P(civil), chosen by cross-validation when it was trained.
    threshold: float
    # word -> its features the model knows. Words recur from comment to comment, and
    # their n-grams were most of the model's cost (bench/checks_cost.py).
    known_by_word: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    def known_features(self, words: tuple[str, ...]) -> list[str]:
        """`features()` of these words, less those the model does not weigh."""
        out = [k for a, b in pairwise(words) if (k := f"b:{a} {b}") in self.weights]
        cached = self.known_by_word
        for word in words:
            known = cached.get(word)
            if known is None:
                if len(cached) >= WORD_CACHE_SIZE:
                    cached.clear()
                known = cached[word] = tuple(f for f in word_features(word) if f in self.weights)
            out.extend(known)
        return out

    @classmethod
    def from_data(cls, data: dict) -> "Model":
        return cls(
            classes=tuple(data["classes"]),
            weights={k: (v[0], *(v[0] * w for w in v[1:])) for k, v in data["weights"].items()},
            intercepts=tuple(data["intercepts"]),
            threshold=float(data["threshold"]),
        )


def _load() -> Model | None:
    global _model
    with _lock:
        if _model is None and MODEL_PATH.exists():
            _model = Model.from_data(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
        return _model


def warm_up() -> None:
    _load()


def trained_threshold() -> float | None:
    """The hold threshold chosen in training; None without a model."""
    model = _load()
    return model.threshold if model else None


def probabilities(text: str, model: Model | None = None) -> dict[str, float]:
    """{class: probability} for the text; {} when no model has been trained."""
    model = model or _load()
    if model is None:
        return {}
    counts = Counter(model.known_features(tokens(without_links(text))))
    logits = list(model.intercepts)
    if counts:
        # Sublinear tf x idf, L2-normed, dotted with each class's weights: the loops run
        # in C (map, sum, zip) over the comment's few hundred known features.
        tfs = [1.0 + math.log(c) if c > 1 else 1.0 for c in counts.values()]
        columns = list(zip(*map(model.weights.__getitem__, counts), strict=True))
        scaled = list(map(mul, tfs, columns[0]))
        norm = math.sqrt(sum(map(mul, scaled, scaled)))
        for k in range(len(logits)):
            logits[k] += sum(map(mul, tfs, columns[k + 1])) / norm
    top = max(logits)
    exps = [math.exp(v - top) for v in logits]
    total = sum(exps)
    return {name: e / total for name, e in zip(model.classes, exps, strict=True)}
