"""The offensive-language probability from alt-profanity-check, computed fast.

The model (a TF-IDF vectorizer and five calibrated linear SVMs, shipped inside
the wheel: nothing is downloaded) was trained on English comments only, so for
other languages it says little: a French or Polish insult scores near the base
rate. Word lists and the other signals still apply there.

The library's `predict_prob` builds a sparse matrix and runs scikit-learn's
calibrated `predict_proba` for every call, about 1 ms for one comment, and
importing it costs each process ~110 MB. Here the fitted weights are extracted
once (in a child process) to a JSON file, read once per process, and the score
is the same arithmetic
done by hand: tokens -> tf-idf weights -> dot product with each SVM's
coefficients -> each fold's sigmoid -> mean. It agrees with `predict_prob` to
1e-9 (a unit test pins it) at a fraction of the cost.
"""

import json
import math
import os
import re
import subprocess
import sys
import threading
import warnings
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

_lock = threading.Lock()
_model: "_LinearModel | None" = None


@dataclass(frozen=True)
class _LinearModel:
    # The vectorizer's own token pattern; it lowercases first. Stop words need no
    # filtering: they were dropped when the vocabulary was fitted, so they never match.
    token_pattern: re.Pattern[str]
    vocabulary: dict[str, int]
    # features[i] = (idf of feature i, its weight in each calibrated fold...).
    features: list[tuple[float, ...]]
    intercepts: tuple[float, ...]
    # Platt scaling per fold: p = 1 / (1 + exp(a * f + b)).
    sigmoid_a: tuple[float, ...]
    sigmoid_b: tuple[float, ...]


def _extract() -> dict:
    """The fitted weights as plain data. Imports scikit-learn, so it runs in a child
    process (see `_load`): the ~110 MB scikit-learn and SciPy take stay out of the
    app processes."""
    with warnings.catch_warnings():
        # Pickles from an older scikit-learn: the arrays read back fine.
        warnings.simplefilter("ignore")
        from profanity_check import profanity_check as library
    vectorizer, calibrated = library.vectorizer, library.model
    assert vectorizer.lowercase and vectorizer.ngram_range == (1, 1)
    assert vectorizer.norm == "l2" and not vectorizer.sublinear_tf
    folds = calibrated.calibrated_classifiers_
    columns = [vectorizer.idf_] + [fold.estimator.coef_[0] for fold in folds]
    return {
        "token_pattern": vectorizer.token_pattern,
        "vocabulary": {str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
        "features": [list(map(float, row)) for row in zip(*columns, strict=True)],
        "intercepts": [float(fold.estimator.intercept_[0]) for fold in folds],
        "sigmoid_a": [float(fold.calibrators[0].a_) for fold in folds],
        "sigmoid_b": [float(fold.calibrators[0].b_) for fold in folds],
    }


def _weights_file() -> Path:
    """Where the extracted weights are kept, per library version (private to this user)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "broadsheet"
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    return base / f"profanity-check-{version('alt-profanity-check')}.json"


def _load() -> _LinearModel:
    """Reads the fitted model once per process, extracting it first if no process has."""
    global _model
    with _lock:
        if _model is None:
            path = _weights_file()
            if not path.exists():
                partial = path.with_suffix(f".{os.getpid()}.tmp")
                subprocess.run(
                    [sys.executable, "-m", "broadsheet.classifiers.toxicity", str(partial)],
                    check=True,
                    timeout=120,
                )
                partial.replace(path)
            data = json.loads(path.read_text())
            _model = _LinearModel(
                token_pattern=re.compile(data["token_pattern"]),
                vocabulary=data["vocabulary"],
                features=[tuple(row) for row in data["features"]],
                intercepts=tuple(data["intercepts"]),
                sigmoid_a=tuple(data["sigmoid_a"]),
                sigmoid_b=tuple(data["sigmoid_b"]),
            )
        return _model


def warm_up() -> None:
    """Loads the model now (call it at process start so no request pays for it)."""
    _load()


def offensive_probability(text: str) -> float:
    """The probability, 0..1, that an English text is offensive (profane, insulting)."""
    model = _load()
    vocabulary = model.vocabulary
    counts = Counter(
        vocabulary[token]
        for token in model.token_pattern.findall(text.lower())
        if token in vocabulary
    )
    decision = list(model.intercepts)
    if counts:
        rows = [(count, model.features[index]) for index, count in counts.items()]
        norm = math.sqrt(sum((count * row[0]) ** 2 for count, row in rows))
        for count, row in rows:
            scale = count * row[0] / norm
            for fold in range(len(decision)):
                decision[fold] += scale * row[fold + 1]
    probabilities = [
        1.0 / (1.0 + math.exp(a * f + b))
        for f, a, b in zip(decision, model.sigmoid_a, model.sigmoid_b, strict=True)
    ]
    return sum(probabilities) / len(probabilities)


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(json.dumps(_extract()))
