"""The real site in subprocesses, for the browser tests and the multi-process functional tests.

`LiveServer.create` makes a site's files and database: a temporary
BROADSHEET_VAR_DIR (SQLite database, secret, uploaded media, the file e-mail
outbox) or, when the test run's DATABASE_URL points at PostgreSQL, a fresh
PostgreSQL database (dropped by `close`). `prepare` runs migrate,
createcachetable and collectstatic, and optionally `manage.py demo` and
`tests/browser/site_facts.py`. `start` then runs one or more
`uvicorn config.asgi:application` processes on free ports against that one
database (DEBUG off, as `make run`), optionally with a background worker and
extra environment (e.g. REDIS_URL); `stop` ends them, so the same database can
be served again with other settings.

Every process is started in its own session and stopped by its own PID.
"""

import email
import email.policy
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
FACTS_SCRIPT = ROOT / "tests" / "browser" / "site_facts.py"
FACTS_PREFIX = "BROWSER-FACTS "
STARTUP_TIMEOUT = 30.0
WORKER_COMMAND = [
    *(PYTHON, "manage.py", "db_worker", "--queue-name", "*"),
    *("--interval", "0.2", "--no-reload", "--no-startup-delay"),
]
# What the server must not inherit from the test run: it gets its own of each.
SERVER_ENV_DROPPED = {
    *("SECRET_KEY", "DATABASE_URL", "MEDIA_ROOT", "STATIC_ROOT", "EMAIL_FILE_PATH"),
    *("PYTEST_XDIST_WORKER", "PYTEST_XDIST_TESTRUNUID", "PYTEST_CURRENT_TEST"),
    "REDIS_URL",
}


def uvicorn_command(port: int) -> list[str]:
    return [
        *(PYTHON, "-m", "uvicorn", "config.asgi:application"),
        *("--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"),
        # Open event streams must not hold a stopping server for long.
        *("--timeout-graceful-shutdown", "2"),
    ]


def _log_tail(path: Path, lines: int = 80) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def free_port() -> socket.socket:
    """A socket bound to a free port, held until the server is about to bind it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def is_postgres(url: str) -> bool:
    return urllib.parse.urlsplit(url).scheme in {"postgres", "postgresql", "pgsql"}


def _with_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path="/" + name).geturl()


def _libpq(url: str) -> str:
    """psycopg takes postgres:// and postgresql:// URIs; dj-database-url also allows pgsql://."""
    parts = urllib.parse.urlsplit(url)
    return parts._replace(scheme="postgresql").geturl()


def _postgres_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(_with_database(url, "postgres")), autocommit=True) as conn:
        conn.execute(sql)


class ServerError(RuntimeError):
    pass


@dataclass
class MailOutbox:
    """The file e-mail backend's outbox (VAR_DIR/mail): one file per connection."""

    directory: Path

    def messages(self) -> list[EmailMessage]:
        if not self.directory.is_dir():
            return []
        found = []
        separator = b"\n" + b"-" * 79 + b"\n"
        for path in sorted(self.directory.iterdir(), key=lambda p: (p.stat().st_mtime, p.name)):
            for chunk in path.read_bytes().split(separator):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return found

    def wait_for(self, *, to: str, timeout: float = 15.0) -> EmailMessage:
        """The newest message to `to`, waiting for the worker to send it."""
        deadline = time.monotonic() + timeout
        while True:
            matching = [m for m in self.messages() if to.lower() in str(m.get("To", "")).lower()]
            if matching:
                return matching[-1]
            if time.monotonic() > deadline:
                subjects = [(m.get("To"), m.get("Subject")) for m in self.messages()]
                raise AssertionError(f"No e-mail to {to} within {timeout}s; outbox: {subjects}")
            time.sleep(0.2)

    @staticmethod
    def text(message: EmailMessage) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""

    @classmethod
    def links(cls, message: EmailMessage) -> list[str]:
        return re.findall(r"https?://[^\s<>\"']+", cls.text(message))


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@dataclass
class LiveServer:
    """The running site: its URL(s), its files, and what site_facts.py reported."""

    url: str
    var_dir: Path
    log_path: Path
    env: dict[str, str] = field(repr=False)
    facts: dict = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list, repr=False)
    # Every app process's URL when several serve the one database; `url` is the first.
    urls: list[str] = field(default_factory=list)
    pg_database: str = ""
    admin_database_url: str = field(default="", repr=False)
    running_env: dict[str, str] = field(default_factory=dict, repr=False)
    _port_holders: list[socket.socket] = field(default_factory=list, repr=False)

    @classmethod
    def create(
        cls, base: Path, *, servers: int = 1, env: dict[str, str] | None = None
    ) -> "LiveServer":
        """A site's files and database (not yet migrated), and free ports for `servers` app
        processes, held until they start; `close` removes the database."""
        holders = [free_port() for _ in range(servers)]
        urls = [f"http://127.0.0.1:{h.getsockname()[1]}" for h in holders]
        var_dir = base / "var"
        var_dir.mkdir(parents=True, exist_ok=True)
        server_env = {k: v for k, v in os.environ.items() if k not in SERVER_ENV_DROPPED}
        server_env.update(
            DJANGO_SETTINGS_MODULE="config.settings.dev",
            DEBUG="0",
            BROADSHEET_VAR_DIR=str(var_dir),
            BROADSHEET_SITE_URL=urls[0],
            STATIC_ROOT=str(base / "static"),
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            PYTHONUNBUFFERED="1",
            # Cache keys and live-update channels of this site only, should it share a Redis.
            CACHE_KEY_PREFIX=f"broadsheet_live_{secrets.token_hex(4)}",
        )
        server_env.update(env or {})
        server = cls(
            url=urls[0],
            urls=urls,
            var_dir=var_dir,
            log_path=base / "server.log",
            env=server_env,
            _port_holders=holders,
        )
        test_database_url = os.environ.get("DATABASE_URL", "")
        if test_database_url and is_postgres(test_database_url):
            server.pg_database = f"broadsheet_live_{secrets.token_hex(6)}"
            server.admin_database_url = test_database_url
            try:
                _postgres_admin(test_database_url, f'CREATE DATABASE "{server.pg_database}"')
            except BaseException:
                server.pg_database = ""
                server.close()
                raise
            server.env["DATABASE_URL"] = _with_database(test_database_url, server.pg_database)
        return server

    @property
    def outbox(self) -> MailOutbox:
        return MailOutbox(self.var_dir / "mail")

    def log_tail(self, lines: int = 80) -> str:
        return _log_tail(self.log_path, lines)

    def manage(self, *args: str, timeout: float = 600) -> str:
        """Runs a management command against the server's database (and, while the site
        runs, with its running environment: the same cache and live-update channel)."""
        return self._run([PYTHON, "manage.py", *args], timeout=timeout)

    def _run(self, command: list[str], *, timeout: float, log: bool = True) -> str:
        started = time.monotonic()
        result = subprocess.run(
            command,
            cwd=ROOT,
            env=self.running_env or self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        with self.log_path.open("a") as log_file:
            log_file.write(f"$ {' '.join(command)}  ({time.monotonic() - started:.1f}s)\n")
            if log or result.returncode != 0:
                log_file.write(result.stdout + result.stderr)
        if result.returncode != 0:
            raise ServerError(
                f"{' '.join(command)} failed ({result.returncode}):\n"
                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def prepare(self, *, demo: bool = True) -> None:
        """Migrate, cache table, static files; with `demo`, the demo content and site facts."""
        self.manage("migrate", "--noinput", "-v0")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput", "-v0")
        if not demo:
            return
        commands = self._run([PYTHON, "manage.py", "help", "--commands"], timeout=60, log=False)
        seed_args = []
        if "demo" in commands.split():
            self.manage("demo")
        else:
            # Until `manage.py demo` exists: site_facts.py seeds a small stand-in.
            seed_args = ["--seed-demo"]
        output = self._run([PYTHON, str(FACTS_SCRIPT), *seed_args], timeout=300)
        lines = [line for line in output.splitlines() if line.startswith(FACTS_PREFIX)]
        if not lines:
            raise ServerError(f"site_facts.py reported nothing:\n{output[-3000:]}")
        self.facts = json.loads(lines[-1][len(FACTS_PREFIX) :])

    def start(self, *, worker: bool = True, env: dict[str, str] | None = None) -> list[str]:
        """Starts the app processes on this site's ports (and a worker); returns their URLs.

        `env` adds to the site's environment for these processes only (e.g. REDIS_URL).
        Raises ServerError, with every process it started stopped, if one doesn't come up.
        """
        if self.processes:
            raise ServerError("The site is already running; stop() it first.")
        self._release_ports()
        run_env = {**self.env, **(env or {})}
        self.running_env = run_env
        ports = [int(url.rsplit(":", 1)[1]) for url in self.urls]
        try:
            with self.log_path.open("ab") as log:
                for port in ports:
                    self.processes.append(self._spawn(uvicorn_command(port), run_env, log))
                if worker:
                    self.processes.append(self._spawn(WORKER_COMMAND, run_env, log))
            for url, process in zip(self.urls, self.processes, strict=False):
                self._wait_healthy(url, process)
        except BaseException:
            self.stop()
            raise
        return list(self.urls)

    def _release_ports(self) -> None:
        while self._port_holders:
            self._port_holders.pop().close()

    def _spawn(self, command: list[str], env: dict[str, str], log) -> subprocess.Popen:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def _wait_healthy(self, url: str, process: subprocess.Popen) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ServerError(f"uvicorn for {url} exited with {process.returncode}")
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise ServerError(f"{url}/healthz did not answer 200 within {STARTUP_TIMEOUT:.0f}s")

    def stop(self) -> None:
        """Stops the app processes and worker this object started, each by its PID."""
        self.running_env = {}
        while self.processes:
            _stop(self.processes.pop())

    def close(self) -> None:
        """Stops everything and drops the PostgreSQL database, if there is one."""
        self.stop()
        self._release_ports()
        if self.pg_database:
            _postgres_admin(
                self.admin_database_url,
                f'DROP DATABASE IF EXISTS "{self.pg_database}" WITH (FORCE)',
            )
            self.pg_database = ""
