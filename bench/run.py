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
  cache is DummyCache and which keeps no comment markup (bench/cold_settings.py:
  every lookup misses), under load and as single requests one at a time;
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
import http.client
import http.cookies
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

import report
from processes import Nginx, Server, Site, libpq_url
from tools import (
    BENCH,
    DEFAULT_PG_ADMIN,
    DEFAULT_REDIS,
    PYTHON,
    RESULTS,
    ensure_tools,
    get,
    log,
    machine,
    sequential,
    wait_for_quiet,
    wrk,
)


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
            for name, url, ceiling in (
                ("first page, cold, single requests", server.url + path, f"page-{size}"),
                (
                    "whole thread as JSON, cold, single requests",
                    f"{server.url}/threads/{facts['sizes'][str(size)]['thread']}/comments.json",
                    f"json-{size}",
                ),
            ):
                result = sequential(url, options.cold_samples)
                out["sequential"].append({"name": name, "size": size, "ceiling": ceiling, **result})
                log(
                    f"{db} {name} {size}: p50 {result['p50_ms']:.1f}, p99 {result['p99_ms']:.1f} ms"
                )
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

        with psycopg.connect(libpq_url(options.pg_admin_url), connect_timeout=3) as conn:
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
