"""bench/results/results.md and chart.png from the raw-<db>.json files bench/run.py wrote.

.venv/bin/python bench/run.py --report-only
"""

import json
from pathlib import Path

DB_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL + Redis"}
ORDER = ["sqlite", "postgres"]


def _load(results: Path) -> list[dict]:
    runs = []
    for db in ORDER:
        path = results / f"raw-{db}.json"
        if path.exists():
            runs.append(json.loads(path.read_text()))
    return runs


def _ceiling(run: dict, name: str) -> dict:
    return run.get("ceilings", {}).get(name, {})


def _ratio(value: float, ceiling: float) -> str:
    return f"{value / ceiling:.1%}" if ceiling else "n/a"


def _n(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _scenario(run: dict, name: str, size: int) -> dict:
    for item in run["scenarios"]:
        if item["name"] == name and item["size"] == size:
            return item
    return {}


def _sequential(run: dict, name: str, size: int) -> dict:
    for item in run["sequential"]:
        if item["name"] == name and item["size"] == size:
            return item
    return {}


def _tables(run: dict) -> list[str]:
    lines = [f"## {run['label']}", ""]
    machine = run["machine"]
    lines += [
        f"Run {run['date']} in {run['minutes']} min: `{run['command']}`"
        + (f" (through `{run['make']}`)" if run.get("make") else "")
        + ".",
        f"Machine: {machine['nproc']} cores ({machine['cpu']}), {machine['memory_gib']} GiB; "
        f"Python {machine['python']}, Django {machine['django']}, uvicorn {machine['uvicorn']} "
        f"(2 workers), nginx {machine['nginx']}, {machine['wrk']}. Comments per thread: "
        + ", ".join(f"{int(k):,}" for k in run["facts"])
        + ".",
        f"Other work on the machine before the run: {run['background_busy']['before']:.0%} of "
        f"the CPU busy; load average at the end {' '.join(run['loadavg_after'])} (the bench's "
        "own processes included). Other load skews every figure here.",
        "",
        "Under load: wrk, "
        f"{run['options']['connections']} connections, {run['options']['duration']:g} s each, "
        "from the same 2 cores. The ceiling is nginx serving the same bytes as a static file; "
        "the ratios are req/s ÷ the ceiling's req/s and the ceiling's p99 ÷ this p99.",
        "",
        "| scenario | comments | req/s | p50 ms | p99 ms | errors | ceiling req/s | req/s ratio "
        "| p99 ratio | peak MB so far |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for item in run["scenarios"]:
        ceiling = _ceiling(run, item["ceiling"])
        note = ""
        if "cache_status" in item:
            note = f" (X-Cache-Status {item['cache_status'] or 'none'})"
        if writer := item.get("writer"):
            note = f" (writer: {writer['rate']:.0f}/s, {writer['acknowledged']} acked)"
        lines.append(
            f"| {item['name']}{note} | {item['size']:,} | {_n(item['rps'])} | "
            f"{item['p50_ms']:.1f} | {item['p99_ms']:.1f} | {item['errors']} | "
            f"{_n(ceiling.get('rps', 0))} | {_ratio(item['rps'], ceiling.get('rps', 0))} | "
            f"{_ratio(ceiling.get('p99_ms', 0), item['p99_ms'])} | "
            f"{item.get('peak_worker_mb', '-')} |"
        )
    lines += [
        "",
        f"Single requests, one at a time, to the cold profile (no cache, no kept comment "
        f"markup; {run['options']['cold_samples']} each); the ceiling is one static-file request.",
        "",
        "| scenario | comments | p50 ms | p99 ms | mean ms | ceiling p50 ms | latency ratio |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for item in run["sequential"]:
        single = _ceiling(run, item["ceiling"]).get("single", {})
        lines.append(
            f"| {item['name']} | {item['size']:,} | {item['p50_ms']:.1f} | {item['p99_ms']:.1f} | "
            f"{item['mean_ms']:.1f} | {single.get('p50_ms', 0):.2f} | "
            f"{_ratio(single.get('p50_ms', 0), item['p50_ms'])} |"
        )
    posting = run["posting"]
    lines += [
        "",
        f"Posting through the form and the full intake, {posting['posters']} concurrent "
        f"posters for {posting['seconds']:.0f} s (no static ceiling applies): "
        f"**{posting['comments_per_s']:.0f} comments/s**, p50 {posting['p50_ms']:.1f} ms, "
        f"p99 {posting['p99_ms']:.1f} ms; acknowledged {posting['acknowledged']}, "
        f"stored {posting['stored']}, **lost {posting['lost']}**, stored but cut off before "
        f"the reply reached the poster {posting['stored_unacknowledged']}, refused "
        f"{posting['refused']}"
        + (f" (last status {posting['last_refusal']})" if posting["refused"] else "")
        + ".",
        "",
        "Peak resident memory (VmHWM) per server process: "
        + ", ".join(f"{k} {v:.0f} MB" for k, v in run["memory"].items())
        + " (the cold-cache start: "
        + ", ".join(f"{k} {v:.0f} MB" for k, v in run.get("memory_cold_server", {}).items())
        + ").",
        "",
    ]
    headers = run.get("page_headers", {})
    if headers:
        biggest = max(headers, key=int)
        shown = ", ".join(f"{k}: {v}" for k, v in headers[biggest].items()) or "none"
        lines += [f"Caching headers of the anonymous first page at {int(biggest):,}: {shown}.", ""]
    return lines


def _targets(runs: list[dict]) -> list[str]:
    labels = [run["label"] for run in runs]
    lines = [
        "## Against the targets",
        "",
        "| target | " + " | ".join(labels) + " |",
        "|---|" + "--:|" * len(runs),
    ]

    def row(target: str, cell) -> None:
        lines.append(f"| {target} | " + " | ".join(cell(run) for run in runs) + " |")

    def warm(size: int):
        def cell(run: dict) -> str:
            item = _scenario(run, "first page, warm", size)
            if not item:
                return "n/a"
            ok = item["rps"] >= 1500 and item["p99_ms"] <= 50
            return f"{_n(item['rps'])} req/s, p99 {item['p99_ms']:.0f} ms {'✅' if ok else '❌'}"

        return cell

    row("warm first page, 1,000: ≥ 1,500 req/s, p99 ≤ 50 ms", warm(1000))
    row("warm first page, 10,000: ≥ 1,500 req/s, p99 ≤ 50 ms", warm(10000))

    def cold(run: dict) -> str:
        item = _sequential(run, "first page, cold, single requests", 10000)
        loaded = _scenario(run, "first page, cold (no cache)", 10000)
        if not item:
            return "n/a"
        ok = item["p50_ms"] <= 80
        extra = f"; under load {loaded['p50_ms']:.0f} ms p50" if loaded else ""
        mark = "✅" if ok else "❌"
        return f"{item['p50_ms']:.0f} ms p50, {item['p99_ms']:.0f} ms p99{extra} {mark}"

    row("cold first page, 10,000: ≤ 80 ms", cold)

    def whole(run: dict) -> str:
        item = _sequential(run, "whole thread as JSON, cold, single requests", 10000)
        if not item:
            return "n/a"
        ok = item["p50_ms"] <= 500
        return f"{item['p50_ms']:.0f} ms p50, {item['p99_ms']:.0f} ms p99 {'✅' if ok else '❌'}"

    row("whole 10,000-comment thread as JSON, cold: ≤ 500 ms", whole)

    def writes(run: dict) -> str:
        items = [i for i in run["scenarios"] if "posts/s arriving" in i["name"]]
        if not items:
            return "n/a"
        worst = min(items, key=lambda i: i["rps"])
        ok = worst["rps"] >= 800
        return f"lowest {_n(worst['rps'])} req/s (at {worst['size']:,}) {'✅' if ok else '❌'}"

    row("first page under 50 posts/s: ≥ 800 req/s", writes)

    def posting(run: dict) -> str:
        p = run["posting"]
        ok = p["comments_per_s"] >= 400 and p["lost"] == 0
        return f"{p['comments_per_s']:.0f}/s, {p['lost']} lost {'✅' if ok else '❌'}"

    row("posting, 8 posters: ≥ 400 comments/s, 0 lost", posting)

    def memory(run: dict) -> str:
        peak = max(run["memory"].values())
        return f"{peak:.0f} MB {'✅' if peak <= 250 else '❌'}"

    row("≤ 250 MB resident per process", memory)

    def proxied(run: dict) -> str:
        item = next((i for i in run["scenarios"] if "behind nginx" in i["name"]), None)
        if not item:
            return "n/a"
        ceiling = _ceiling(run, item["ceiling"]).get("rps", 0)
        share = item["rps"] / ceiling if ceiling else 0
        return f"{item['rps']:,.0f} req/s = {share:.0%} {'✅' if share >= 0.5 else '❌'}"

    row("warm 10,000 page behind nginx: ≥ 50 % of the static ceiling", proxied)
    return [*lines, ""]


def write(results: Path) -> None:
    runs = _load(results)
    if not runs:
        raise SystemExit(f"No raw-*.json in {results}: run bench/run.py first.")
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/run.py` (`make bench`); what each line measures is in the README's "
        "Benchmark section and at the top of bench/run.py.",
        "",
        *_targets(runs),
    ]
    for run in runs:
        lines += _tables(run)
    (results / "results.md").write_text("\n".join(lines).rstrip() + "\n")
    _chart(runs, results / "chart.png")


def _chart(runs: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(runs), 2, figsize=(15, 4.8 * len(runs)), squeeze=False)
    for row, run in enumerate(runs):
        names = [f"{i['name']}\n{i['size']:,}" for i in run["scenarios"]]
        rps = [i["rps"] for i in run["scenarios"]]
        ceilings = [_ceiling(run, i["ceiling"]).get("rps", 0) for i in run["scenarios"]]
        p99 = [i["p99_ms"] for i in run["scenarios"]]
        positions = range(len(names))
        ax = axes[row][0]
        ax.barh(positions, ceilings, color="#d9d9d9", label="nginx static ceiling (same bytes)")
        ax.barh(positions, rps, color="#1f77b4", label="Broadsheet")
        for y, (value, ceiling) in enumerate(zip(rps, ceilings, strict=True)):
            share = f" ({value / ceiling:.0%})" if ceiling else ""
            ax.text(value, y, f" {value:,.0f}{share}", va="center", fontsize=7)
        ax.set_xscale("log")
        ax.set_yticks(list(positions), names, fontsize=7)
        ax.invert_yaxis()
        ax.axvline(1500, color="#2ca02c", linestyle="--", linewidth=1, label="1,500 req/s target")
        ax.set_xlabel("requests/s (log)")
        ax.set_title(f"{run['label']}: throughput, 16 connections")
        ax.legend(fontsize=7, loc="lower right")
        ax = axes[row][1]
        ax.barh(positions, p99, color="#ff7f0e")
        for y, value in enumerate(p99):
            ax.text(value, y, f" {value:,.1f}", va="center", fontsize=7)
        ax.set_xscale("log")
        ax.set_yticks(list(positions), names, fontsize=7)
        ax.invert_yaxis()
        ax.axvline(50, color="#2ca02c", linestyle="--", linewidth=1, label="50 ms target")
        ax.set_xlabel("p99 latency, ms (log)")
        ax.set_title(f"{run['label']}: p99 latency under load")
        ax.legend(fontsize=7, loc="lower right")
    machine = runs[0]["machine"]
    fig.suptitle(
        f"Broadsheet discussion benchmark — {machine['nproc']} cores ({machine['cpu']}), "
        f"{runs[0]['date']}",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
