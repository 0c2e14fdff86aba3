"""What the benchmark measures with: constants, tools, HTTP and wrk helpers (bench/run.py)."""

import http.client
import http.cookies
import importlib.metadata
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
PYTHON = sys.executable
HOST = "127.0.0.1"
DEFAULT_PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
# Rate limits, should the intake get them, exempt these addresses (the load generator's).
UNLIMITED = "127.0.0.1"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --------------------------------------------------------------------------- tools


def ensure_tools() -> None:
    """wrk and nginx from Debian's packages, installed if missing; nothing else is fetched."""
    missing = [name for name in ("wrk", "nginx") if not nginx_or(name)]
    if not missing:
        return
    log(f"Installing {' '.join(missing)} from Debian")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def nginx_or(name: str) -> str | None:
    found = shutil.which(name)
    if found is None and os.access(f"/usr/sbin/{name}", os.X_OK):
        found = f"/usr/sbin/{name}"
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    nginx_version = subprocess.run(
        [nginx_or("nginx") or "nginx", "-v"], capture_output=True, text=True, check=False
    ).stderr.strip()
    wrk_version = subprocess.run(
        [nginx_or("wrk") or "wrk", "-v"], capture_output=True, text=True, check=False
    )
    versions = {
        name: importlib.metadata.version(name) for name in ("django", "uvicorn", "psycopg", "redis")
    }
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "nginx": nginx_version.split("/")[-1],
        "wrk": (wrk_version.stdout + wrk_version.stderr).split("[")[0].strip(),
        **versions,
    }


def cpu_busy(seconds: float = 2.0) -> float:
    """The share of this machine's CPU time in use over `seconds` (by anything)."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]
        return sum(fields), idle

    total0, idle0 = sample()
    time.sleep(seconds)
    total1, idle1 = sample()
    return 1 - (idle1 - idle0) / max(1, total1 - total0)


def wait_for_quiet(limit: float) -> float:
    """Waits (at most `limit` s) until other work leaves the CPU mostly idle; returns the
    busy share seen last, which the results record: other load skews every figure."""
    deadline = time.monotonic() + limit
    busy = cpu_busy()
    while busy > 0.25 and time.monotonic() < deadline:
        log(f"the machine is {busy:.0%} busy with other work; waiting for it to calm down")
        time.sleep(10)
        busy = cpu_busy()
    return busy


# --------------------------------------------------------------------------- HTTP

# What every browser sends, so every request here sends it too: pages come back gzipped
# (as stored), and the ceiling serves those same bytes.
BROWSER_HEADERS = {"Accept-Encoding": "gzip"}


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request(
            "GET",
            parts.path + (f"?{parts.query}" if parts.query else ""),
            headers={**BROWSER_HEADERS, **(headers or {})},
        )
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def sequential(url: str, samples: int) -> dict:
    """Single requests one after another: latency in ms."""
    times = []
    statuses = set()
    for _ in range(samples):
        started = time.perf_counter()
        status, _, _ = get(url)
        times.append((time.perf_counter() - started) * 1000)
        statuses.add(status)
    times.sort()
    return {
        "samples": samples,
        "p50_ms": statistics.median(times),
        "p99_ms": times[min(len(times) - 1, round(0.99 * (len(times) - 1)))],
        "mean_ms": statistics.fmean(times),
        "statuses": sorted(statuses),
    }


def wrk(url: str, *, duration: float, connections: int, script: str = "wrk_report.lua",
        args: tuple[str, ...] = ()) -> dict:  # fmt: skip
    if urllib.parse.urlsplit(url).hostname != HOST:
        raise SystemExit("The load generator only targets 127.0.0.1.")
    threads = min(2, connections)
    command = [
        *(nginx_or("wrk"), f"-t{threads}", f"-c{connections}", f"-d{duration:g}s"),
        *(arg for name, value in BROWSER_HEADERS.items() for arg in ("-H", f"{name}: {value}")),
        *("--timeout", "10s", "-s", str(BENCH / script), url),
    ]
    if args:
        command += ["--", *args]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("WRK-JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk said nothing usable:\n{result.stdout}\n{result.stderr}")
    raw = json.loads(line.removeprefix("WRK-JSON "))
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    out = {
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
        "non_2xx_3xx": raw["status"],
        "bytes_per_request": raw["bytes"] / raw["requests"] if raw["requests"] else 0,
        "seconds": seconds,
        "connections": connections,
    }
    for key in ("acknowledged", "refused", "last_refusal", "ids"):
        if key in raw:
            out[key] = raw[key]
    return out


# --------------------------------------------------------------------------- the site
