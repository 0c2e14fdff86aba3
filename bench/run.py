"""The discussion benchmark: `make bench` (both databases), `make bench-sqlite`, `make bench-pg`.

    .venv/bin/python bench/run.py [--db sqlite|postgres|all] [--duration 10] [--sizes 60,1000,10000]

Installs wrk and nginx from Debian if they are missing, builds a bench
database (a SQLite file in a temporary directory, or a fresh PostgreSQL
database with Redis under a key prefix of its own) with threads of 60, 1,000
and 10,000 comments, starts the site in its production profile
(config.settings.production, DEBUG off, collectstatic done; bench/bench_settings.py
lifts only the intake's rate limits, since all posts come from 127.0.0.1) under
`uvicorn --workers 2` on 127.0.0.1, and measures with wrk (16 connections,
a bounded time per scenario):

- first page, warm: the article page of each thread, requested again and again;
- first page, cold: the same, from a second start of the site whose Django
  cache is DummyCache (bench/cold_settings.py: every lookup misses), and
  single requests against the real site with its cache cleared before each;
- the whole thread as JSON (/threads/<id>/comments.json), under load and cold;
- the first page while 50 comments a second arrive (bench/writer.py posts
  through the real form with a CSRF token, into the same thread);
- posting: 8 concurrent posters through the full intake (bench/wrk_post.lua);
  every acknowledged comment must be stored;
- peak resident memory (VmHWM) of each server process;
- every request sends `Accept-Encoding: gzip`, as browsers do;
- the ceiling: the same bytes as a static file from nginx on this machine, and
  the warm 10,000-comment page through deploy/nginx.conf (the microcache).

Writes bench/results/raw-<db>.json, then bench/results/results.md and chart.png
from every raw file there. Every process it starts it stops by its PID; the
load goes to 127.0.0.1 only and every run is bounded in time.
"""

import argparse
import contextlib
import http.client
import http.cookies
import importlib.metadata
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
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

sys.path.insert(0, str(BENCH))
import report  # noqa: E402  (bench/ is a folder of scripts, not a package)


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


def sequential(url: str, samples: int, before=None) -> dict:
    """Single requests one after another (after `before()` each): latency in ms."""
    times = []
    statuses = set()
    for _ in range(samples):
        if before is not None:
            before()
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


@dataclass
class Server:
    """`uvicorn --workers N` started by us: its master and the worker processes it spawned."""

    process: subprocess.Popen
    url: str
    peak: dict[int, int] = field(default_factory=dict)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def workers(self) -> list[int]:
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return []
        found = []
        for child in children:
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" not in cmdline:
                found.append(int(child))
        return found

    def memory(self) -> dict[str, float]:
        """Peak resident memory (VmHWM, in MB of 10^6 bytes) of the master and each worker."""
        out = {}
        for role, pid in [("master", self.process.pid)] + [
            (f"worker {n}", p) for n, p in enumerate(self.workers(), 1)
        ]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            kb = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
            out[role] = round(kb * 1024 / 1e6, 1)
        return out

    def stop(self) -> None:
        workers = self.workers()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for pid in workers:  # only if the master left one behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


class Site:
    """The bench's database, files and environment; starts and stops the app processes."""

    def __init__(self, *, db: str, base: Path, options: argparse.Namespace) -> None:
        self.db = db
        self.base = base
        self.options = options
        self.var_dir = base / "var"
        self.static_root = base / "static"
        self.var_dir.mkdir(parents=True)
        self.prefix = f"broadsheet_bench_{secrets.token_hex(4)}"
        self.pg_database = ""
        self.port = free_port()
        self.log_path = base / "server.log"
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
            and not k.startswith("PYTEST")
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY=secrets.token_urlsafe(60),
            BROADSHEET_HTTPS="0",
            DEBUG="0",
            BROADSHEET_VAR_DIR=str(self.var_dir),
            STATIC_ROOT=str(self.static_root),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            BROADSHEET_SITE_URL=f"http://{HOST}:{self.port}",
            BROADSHEET_TRUSTED_PROXIES=HOST,
            CACHE_KEY_PREFIX=self.prefix,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
            BROADSHEET_BENCH="1",
            BROADSHEET_BENCH_UNLIMITED_ADDRESSES=UNLIMITED,
        )
        if db == "postgres":
            import psycopg

            self.pg_database = f"broadsheet_bench_{secrets.token_hex(4)}"
            with psycopg.connect(_libpq(options.pg_admin_url), autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_database}"')
            env["DATABASE_URL"] = _with_database(options.pg_admin_url, self.pg_database)
            env["REDIS_URL"] = options.redis_url
        self.env = env

    # ----------------------------------------------------------------- setup

    def manage(self, *args: str, timeout: float = 900) -> str:
        return self.python(["manage.py", *args], timeout=timeout)

    def python(self, args: list[str], *, timeout: float = 900) -> str:
        result = subprocess.run(
            [PYTHON, *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def prepare(self, sizes: list[int]) -> dict:
        started = time.monotonic()
        self.manage("migrate", "--noinput", "-v0")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput", "-v0")
        output = self.python([str(BENCH / "seed.py"), *map(str, sizes)])
        facts = json.loads(output.rsplit("BENCH-FACTS ", 1)[1])
        log(f"seeded {sizes} in {time.monotonic() - started:.0f}s")
        return facts

    # ----------------------------------------------------------------- servers

    def start(self, *, settings: str = "bench_settings") -> Server:
        """uvicorn with bench/<settings>.py: the production profile with the intake's rate
        limits lifted (bench_settings), or that with DummyCache (cold_settings)."""
        env = dict(self.env)
        env["DJANGO_SETTINGS_MODULE"] = settings
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BENCH), env.get("PYTHONPATH")]))
        command = [
            *(PYTHON, "-m", "uvicorn", "config.asgi:application"),
            *("--host", HOST, "--port", str(self.port), "--workers", str(self.options.workers)),
            *("--lifespan", "off", "--no-access-log", "--timeout-graceful-shutdown", "2"),
        ]
        with self.log_path.open("ab") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        server = Server(process=process, url=f"http://{HOST}:{self.port}")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"uvicorn exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if get(server.url + "/healthz")[0] == 200 and len(server.workers()) >= 1:
                    # Every worker answers: a few more requests reach both.
                    for _ in range(8):
                        get(server.url + "/healthz")
                    return server
            except OSError:
                pass
            time.sleep(0.3)
        server.stop()
        raise RuntimeError("uvicorn did not answer within 60 s")

    # ----------------------------------------------------------------- database

    def clear_cache(self) -> None:
        """Empties this site's cache: its Redis keys, or the database cache table."""
        if self.db == "postgres":
            import redis

            client = redis.Redis.from_url(self.options.redis_url)
            keys = list(client.scan_iter(match=f"{self.prefix}:*", count=1000))
            if keys:
                client.unlink(*keys)
            client.close()
        else:
            self.sql("DELETE FROM broadsheet_cache")

    def sql(self, statement: str, params: tuple = ()) -> list[tuple]:
        if self.db == "postgres":
            import psycopg

            with psycopg.connect(_libpq(self.env["DATABASE_URL"]), autocommit=True) as conn:
                cursor = conn.execute(statement.replace("?", "%s"), params)
                return cursor.fetchall() if cursor.description else []
        conn = sqlite3.connect(self.var_dir / "broadsheet.sqlite3", timeout=30)
        try:
            with conn:
                return conn.execute(statement, params).fetchall()
        finally:
            conn.close()

    def comment_ids(self, thread_id: int) -> set[int]:
        rows = self.sql("SELECT id FROM discussion_comment WHERE thread_id = ?", (thread_id,))
        return {row[0] for row in rows}

    def close(self) -> None:
        if self.db == "postgres":
            import psycopg

            try:
                self.clear_cache()
            except Exception as error:  # cleanup goes on
                log(f"could not clear the bench's Redis keys: {error}")
            with psycopg.connect(_libpq(self.options.pg_admin_url), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_database}" WITH (FORCE)')


def _libpq(url: str) -> str:
    return urllib.parse.urlsplit(url)._replace(scheme="postgresql").geturl()


def _with_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path="/" + name).geturl()


class Nginx:
    """deploy/nginx.conf rendered for this run, in front of the app; its /static/ holds
    the ceiling files (the app's own reply bytes, saved)."""

    def __init__(self, site: Site, server: Server) -> None:
        sys.path.insert(0, str(ROOT / "deploy"))
        from render_nginx import render

        self.port = free_port()
        self.prefix = site.base / "nginx"
        (self.prefix / "temp").mkdir(parents=True)
        media = site.var_dir / "media"
        media.mkdir(exist_ok=True)
        config = render(
            listen=f"{HOST}:{self.port}",
            upstream=f"{HOST}:{server.port}",
            static_root=str(site.static_root),
            media_root=str(media),
            cache_dir=str(self.prefix / "cache"),
            temp_dir=str(self.prefix / "temp"),
            user="root" if os.geteuid() == 0 else os.environ.get("USER", "nobody"),
            worker_processes="auto",
            pid=str(self.prefix / "nginx.pid"),
            error_log=str(self.prefix / "error.log"),
            access_log="off",
        )
        (self.prefix / "nginx.conf").write_text(config)
        self.url = f"http://{HOST}:{self.port}"
        self.process = subprocess.Popen(
            [nginx_or("nginx"), "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"),
             "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection((HOST, self.port), timeout=0.5).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        error_log = self.prefix / "error.log"
        raise RuntimeError(
            f"nginx did not start: {error_log.read_text() if error_log.exists() else ''}"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


# --------------------------------------------------------------------------- one database


def run_database(db: str, options: argparse.Namespace) -> dict:
    sizes = options.sizes
    duration = options.duration
    conns = options.connections
    short = max(3.0, duration / 2)
    base = Path(tempfile.mkdtemp(prefix=f"broadsheet-bench-{db}-"))
    log(f"{db}: building the bench database in {base}")
    site = Site(db=db, base=base, options=options)
    out: dict = {"db": db, "label": report.DB_LABELS[db], "scenarios": [], "sequential": []}
    servers: list[Server] = []
    nginx = None
    try:
        facts = site.prepare(sizes)
        out["facts"] = {k: v["comments"] for k, v in facts["sizes"].items()}

        def scenario(name: str, size: int | None, result: dict, ceiling: str = "") -> None:
            result.pop("ids", None)
            # Peak resident memory of the busiest worker so far: which scenario raised it.
            result["peak_worker_mb"] = max(
                (mb for role, mb in servers[-1].memory().items() if role != "master"), default=0
            )
            out["scenarios"].append({"name": name, "size": size, "ceiling": ceiling, **result})
            log(
                f"{db} {name} {size or ''}: {result.get('rps', 0):.1f} req/s, "
                f"p50 {result.get('p50_ms', 0):.1f} ms, p99 {result.get('p99_ms', 0):.1f} ms, "
                f"errors {result.get('errors', 0)}"
            )

        # Cold under load: the production profile with DummyCache (bench/cold_settings.py).
        server = site.start(settings="cold_settings")
        servers.append(server)
        for size in sizes:
            path = facts["sizes"][str(size)]["path"]
            status = get(server.url + path)[0]
            result = wrk(server.url + path, duration=duration, connections=conns)
            result["first_status"] = status
            scenario("first page, cold (no cache)", size, result, ceiling=f"page-{size}")
        out["memory_cold_server"] = server.memory()
        server.stop()

        # The production profile as it is.
        server = site.start()
        servers.append(server)
        ceilings: dict[str, bytes] = {}
        for size in sizes:
            item = facts["sizes"][str(size)]
            page_url = server.url + item["path"]
            json_url = f"{server.url}/threads/{item['thread']}/comments.json"
            status, headers, page = get(page_url)
            if status != 200:
                raise RuntimeError(f"{page_url} answered {status}")
            ceilings[f"page-{size}"] = page
            status, _, body = get(json_url)
            if status != 200:
                raise RuntimeError(f"{json_url} answered {status}")
            ceilings[f"json-{size}"] = body
            out.setdefault("page_headers", {})[str(size)] = {
                k: v for k, v in headers.items() if k.lower() in {"set-cookie", "vary", "etag",
                                                                  "cache-control"}
            }  # fmt: skip
            scenario(
                "first page, warm", size,
                wrk(page_url, duration=duration, connections=conns), ceiling=f"page-{size}",
            )  # fmt: skip
            scenario(
                "whole thread as JSON", size,
                wrk(json_url, duration=duration, connections=conns), ceiling=f"json-{size}",
            )  # fmt: skip
            for name, url, ceiling in (
                ("first page, cold (cache cleared)", page_url, f"page-{size}"),
                ("whole thread as JSON, cold (cache cleared)", json_url, f"json-{size}"),
            ):
                result = sequential(url, options.cold_samples, before=site.clear_cache)
                out["sequential"].append({"name": name, "size": size, "ceiling": ceiling, **result})
                log(
                    f"{db} {name} {size}: p50 {result['p50_ms']:.1f}, p99 {result['p99_ms']:.1f} ms"
                )

        # The ceiling: the same bytes from nginx as static files; then the proxy profile.
        ceiling_dir = site.static_root / "bench-ceiling"
        ceiling_dir.mkdir()
        for name, body in ceilings.items():
            (ceiling_dir / f"{name}.html").write_bytes(body)
        nginx = Nginx(site, server)
        out["ceilings"] = {}
        for name in ceilings:
            url = f"{nginx.url}/static/bench-ceiling/{name}.html"
            result = wrk(url, duration=short, connections=conns)
            result.pop("ids", None)
            result["single"] = sequential(url, options.cold_samples)
            out["ceilings"][name] = result
            log(f"{db} ceiling {name}: {result['rps']:.0f} req/s, p99 {result['p99_ms']:.2f} ms")
        biggest = max(sizes)
        proxied = nginx.url + facts["sizes"][str(biggest)]["path"]
        get(proxied)
        cache_status = get(proxied)[1].get("X-Cache-Status", "")
        result = wrk(proxied, duration=duration, connections=conns)
        result["cache_status"] = cache_status
        scenario("first page, warm, behind nginx", biggest, result, ceiling=f"page-{biggest}")
        nginx.stop()
        nginx = None

        # The first page while comments arrive (into the thread being read).
        for size in sizes:
            item = facts["sizes"][str(size)]
            writer = subprocess.Popen(
                [PYTHON, str(BENCH / "writer.py"), server.url, str(item["thread"]),
                 "--rate", str(options.write_rate), "--seconds", str(duration + 1),
                 "--parents", ",".join(map(str, item["top_ids"][:20]))],
                stdout=subprocess.PIPE, text=True, start_new_session=True,
            )  # fmt: skip
            time.sleep(0.5)
            result = wrk(server.url + item["path"], duration=duration, connections=conns)
            try:
                written, _ = writer.communicate(timeout=duration + 60)
            except subprocess.TimeoutExpired:
                writer.kill()
                written, _ = writer.communicate()
            line = next((x for x in written.splitlines() if x.startswith("WRITER-JSON ")), "")
            result["writer"] = json.loads(line.removeprefix("WRITER-JSON ")) if line else {}
            scenario(f"first page, {options.write_rate:g} posts/s arriving", size, result,
                     ceiling=f"page-{size}")  # fmt: skip

        # Posting: 8 concurrent posters through the form and the full intake.
        posting = facts["posting"]
        token, cookie = _form_token(server.url, posting["top_ids"][0])
        before = site.comment_ids(posting["thread"])
        result = wrk(
            f"{server.url}/threads/{posting['thread']}/comments/",
            duration=duration, connections=options.posters, script="wrk_post.lua",
            args=(token, cookie, ",".join(map(str, posting["top_ids"]))),
        )  # fmt: skip
        time.sleep(1)
        stored = site.comment_ids(posting["thread"]) - before
        acked = {int(i) for i in result.pop("ids", "").split(",") if i}
        out["posting"] = {
            **result,
            "posters": options.posters,
            "comments_per_s": result["acknowledged"] / result["seconds"],
            "stored": len(stored),
            "acknowledged_ids": len(acked),
            "lost": len(acked - stored),
            "stored_unacknowledged": len(stored - acked),
        }
        log(
            f"{db} posting: {out['posting']['comments_per_s']:.0f} comments/s, acknowledged "
            f"{result['acknowledged']}, stored {len(stored)}, lost {len(acked - stored)}, "
            f"refused {result['refused']} (last status {result['last_refusal']})"
        )
        out["memory"] = server.memory()
        log(f"{db} peak resident memory (MB): {out['memory']}")
        server.stop()
    finally:
        if nginx is not None:
            nginx.stop()
        for server in servers:
            server.stop()
        site.close()
        if not options.keep:
            shutil.rmtree(base, ignore_errors=True)
    return out


def _form_token(url: str, comment_id: int) -> tuple[str, str]:
    """A CSRF token and the cookies that go with it, from the (never cached) reply form page."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", f"/comments/{comment_id}/reply/")
        response = conn.getresponse()
        body = response.read()
        jar = http.cookies.SimpleCookie()
        for value in response.headers.get_all("Set-Cookie") or []:
            jar.load(value)
    finally:
        conn.close()
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if response.status != 200 or not match or "csrftoken" not in jar:
        raise RuntimeError(f"No CSRF token on the reply form ({response.status})")
    return match.group(1).decode(), "; ".join(f"{k}={m.value}" for k, m in jar.items())


# --------------------------------------------------------------------------- main


def postgres_answers(options: argparse.Namespace) -> str:
    """'' when PostgreSQL and Redis answer; else what is missing."""
    try:
        import psycopg

        with psycopg.connect(_libpq(options.pg_admin_url), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as error:
        return f"PostgreSQL at {options.pg_admin_url}: {error}"
    try:
        import redis

        redis.Redis.from_url(options.redis_url, socket_connect_timeout=3).ping()
    except Exception as error:
        return f"Redis at {options.redis_url}: {error}"
    return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--sizes", default="60,1000,10000")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes (2)")
    parser.add_argument("--write-rate", type=float, default=50, help="posts/s while reading")
    parser.add_argument("--posters", type=int, default=8, help="concurrent posters (8)")
    parser.add_argument("--cold-samples", type=int, default=25)
    parser.add_argument(
        "--pg-admin-url", default=os.environ.get("BENCH_PG_ADMIN_URL", DEFAULT_PG_ADMIN)
    )
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories")
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=120,
        help="seconds to wait for other CPU load to settle before each database (120)",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite results.md and chart.png"
    )
    options = parser.parse_args()
    options.sizes = [int(s) for s in options.sizes.split(",") if s]
    RESULTS.mkdir(parents=True, exist_ok=True)
    if not options.report_only:
        ensure_tools()
        info = machine()
        command = "make bench" if os.environ.get("MAKELEVEL") else ""
        argv = " ".join([".venv/bin/python bench/run.py", *sys.argv[1:]])
        dbs = ["sqlite", "postgres"] if options.db == "all" else [options.db]
        for db in dbs:
            if db == "postgres" and (missing := postgres_answers(options)):
                if options.db == "postgres":
                    raise SystemExit(f"Cannot run on PostgreSQL + Redis: {missing}")
                log(f"Skipping PostgreSQL + Redis: {missing}")
                continue
            busy_before = wait_for_quiet(options.quiet_wait)
            started = time.monotonic()
            result = run_database(db, options)
            result["background_busy"] = {"before": round(busy_before, 2)}
            result["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
            result.update(
                machine=info,
                date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                command=argv,
                make=command,
                minutes=round((time.monotonic() - started) / 60, 1),
                options={
                    k: v for k, v in vars(options).items() if k not in {"pg_admin_url", "redis_url"}
                },
            )
            (RESULTS / f"raw-{db}.json").write_text(json.dumps(result, indent=1) + "\n")
            log(f"{db} done in {result['minutes']} min")
    report.write(RESULTS)
    log(f"wrote {RESULTS / 'results.md'} and {RESULTS / 'chart.png'}")


if __name__ == "__main__":
    main()
