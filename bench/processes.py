"""The processes the benchmark starts and stops by their PID: the site, its servers, nginx."""

import argparse
import contextlib
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from tools import BENCH, HOST, PYTHON, ROOT, UNLIMITED, free_port, get, log, nginx_or


def terminate(process: subprocess.Popen, *, grace: float) -> None:
    """SIGTERM to a process we started, SIGKILL if it is still there after `grace` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


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
        terminate(self.process, grace=15)
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
            with psycopg.connect(libpq_url(options.pg_admin_url), autocommit=True) as conn:
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

            with psycopg.connect(libpq_url(self.env["DATABASE_URL"]), autocommit=True) as conn:
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
            with psycopg.connect(libpq_url(self.options.pg_admin_url), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_database}" WITH (FORCE)')


def libpq_url(url: str) -> str:
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
        terminate(self.process, grace=10)


# --------------------------------------------------------------------------- one database
