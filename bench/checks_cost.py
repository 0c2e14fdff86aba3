"""Cost of the pure moderation checks per comment, measured alone.

Runs every pure check (normalization, word lists, links, spam patterns, the
offensive-language model through its vectorizer and linear layer, the site's own
comment model, off-topic drift, exact hash and SimHash) over the evaluation sets
many times and prints p50/p99 per comment, overall and per check; writes
bench/results/checks.md.
Target (issue 4, item 10): all pure checks together <= 3 ms per comment at p99.

    .venv/bin/python bench/checks_cost.py [--rounds 20]
"""

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from broadsheet.classifiers import (  # noqa: E402
    duplicates,
    heuristics,
    learned,
    links,
    normalize,
    phrasing,
    toxicity,
)
from broadsheet.classifiers.evaluation import load_context, load_examples  # noqa: E402
from broadsheet.classifiers.scoring import assess, default_term_list  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "moderation"
RESULTS = ROOT / "bench" / "results" / "checks.md"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(fn: Callable[[str], object], texts: list[str], rounds: int) -> list[float]:
    """Per-call times in microseconds; the token cache is cleared so each call pays in full."""
    times = []
    for r in range(rounds):
        for text in texts:
            # A distinct string per round defeats the tokens() cache, as a new comment would.
            sample = f"{text} {r}"
            normalize.tokens.cache_clear()
            start = time.perf_counter_ns()
            fn(sample)
            times.append((time.perf_counter_ns() - start) / 1000)
    return times


def _reader_model_cost(texts: list[str]) -> str:
    """The slow check, for the record: it runs in the worker after publishing, never in the
    intake, so it is not in the total above."""
    from broadsheet.classifiers import reader

    if not reader.available():
        return "The reader model is not installed (make setup installs it): not measured."
    started = time.perf_counter()
    model = reader.model()
    load = time.perf_counter() - started
    sample = texts[:: max(1, len(texts) // 500)]
    alone = measure(lambda t: model.probabilities_many([t]), sample, 1)
    started = time.perf_counter()
    model.probabilities_many(sample)
    batched = (time.perf_counter() - started) / len(sample) * 1000
    return (
        f"The reader model (classifiers/reader.py; in the worker, after a comment is published, "
        f"so not in the intake's total): one comment alone p50 "
        f"{statistics.median(alone) / 1000:.1f} ms, p99 {percentile(alone, 99) / 1000:.1f} ms "
        f"over {len(sample)} comments; {batched:.1f} ms a comment in batches of 32 "
        f"(as `moderation_eval` runs it); loads in {load:.1f} s."
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    sets = sorted(FIXTURES.glob("eval_set*.jsonl"))
    texts = [e.text for path in sets for e in load_examples(path)]
    context = load_context(FIXTURES / "story.json")
    started = time.perf_counter()
    toxicity.warm_up()
    learned.warm_up()
    load_seconds = time.perf_counter() - started
    terms = default_term_list()
    topic = heuristics.vocabulary(f"{context.title}\n{context.text}")

    def all_checks(text: str) -> None:
        assess(text, context=context)
        duplicates.exact_hash(text)
        duplicates.simhash(text)

    checks: dict[str, Callable[[str], object]] = {
        "all pure checks (assess + exact hash + SimHash)": all_checks,
        "normalize (tokens)": normalize.tokens,
        "word lists (incl. normalize)": terms.find,
        "abuse phrasing patterns (incl. normalize)": lambda t: phrasing.find(normalize.tokens(t)),
        "links": links.extract_links,
        "offensive-language model": toxicity.offensive_probability,
        "comment model (learned, incl. normalize)": learned.probabilities,
        "spam patterns + shouting": lambda t: (
            heuristics.phone_numbers(t),
            heuristics.crypto_addresses(t),
            heuristics.money_offers(t),
            heuristics.caps_ratio(t),
        ),
        "off-topic drift (incl. normalize)": lambda t: heuristics.off_topic_score(t, topic),
        "exact hash + SimHash (incl. normalize)": lambda t: (
            duplicates.exact_hash(t),
            duplicates.simhash(t),
        ),
    }
    for fn in checks.values():  # warm every path once
        measure(fn, texts[:20], 1)

    rows = []
    for name, fn in checks.items():
        times = measure(fn, texts, args.rounds)
        rows.append((name, statistics.median(times), percentile(times, 99), max(times), len(times)))

    lengths = sorted(len(t) for t in texts)
    lines = [
        "# Cost of the pure moderation checks",
        "",
        f"Command: `.venv/bin/python bench/checks_cost.py --rounds {args.rounds}`; "
        f"{len(texts)} comments of the evaluation sets (median {lengths[len(lengths) // 2]} "
        f"characters) x {args.rounds} rounds, each call timed alone, one process.",
        f"Python {platform.python_version()} on {platform.machine()}; "
        f"models load once per process: {load_seconds:.1f} s.",
        "",
        "| check | p50 (ms) | p99 (ms) | max (ms) | calls |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, p50, p99, worst, n in rows:
        lines.append(f"| {name} | {p50 / 1000:.3f} | {p99 / 1000:.3f} | {worst / 1000:.3f} | {n} |")
    total_p99 = rows[0][2] / 1000
    verdict = "met" if total_p99 <= 3 else "NOT met"
    lines += [
        "",
        f"Target: all pure checks <= 3 ms per comment at p99: **{verdict}** ({total_p99:.2f} ms).",
    ]
    # The library's own wrapper, for comparison with the direct linear layer.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from profanity_check import predict_prob
    wrapper = measure(lambda t: predict_prob([t]), texts[:100], 2)
    p50, p99 = statistics.median(wrapper) / 1000, percentile(wrapper, 99) / 1000
    lines.append(
        f"For comparison, `profanity_check.predict_prob([text])` on one comment: "
        f"p50 {p50:.2f} ms, p99 {p99:.2f} ms."
    )
    lines.append(_reader_model_cost(texts))
    report = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
