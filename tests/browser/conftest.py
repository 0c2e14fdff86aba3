"""The browser-test harness: the real ASGI server in a subprocess, and Debian's Chromium.

`live_site` (not `live_server`: that name belongs to pytest-django's in-process
server) starts `uvicorn config.asgi:application` on a free port with the dev
settings (DEBUG off), a temporary BROADSHEET_VAR_DIR holding the SQLite database,
the secret, uploaded media and the file e-mail outbox, and a background worker,
as `make run` does. When the test run's DATABASE_URL points at PostgreSQL, the
server gets a fresh PostgreSQL database instead, dropped afterwards. Before it
starts: migrate, createcachetable, collectstatic and `manage.py demo`.

Under pytest-xdist each worker that runs browser tests starts its own server.

The browser is Debian's `chromium` from the PATH, driven by Playwright's sync
API, never a downloaded one. Without it the browser tests are skipped with a
loud reason, or fail when the CI environment variable is set.
"""

import email
import email.policy
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
FACTS_SCRIPT = Path(__file__).with_name("site_facts.py")
FACTS_PREFIX = "BROWSER-FACTS "
STARTUP_TIMEOUT = 30.0
# Screenshots for a person to look at; failures leave one there too.
SHOTS_DIR = Path(
    os.environ.get("BROADSHEET_SHOTS_DIR", Path(tempfile.gettempdir()) / "broadsheet-shots")
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WORKER_COMMAND = [
    *(PYTHON, "manage.py", "db_worker", "--queue-name", "*"),
    *("--interval", "0.2", "--no-reload", "--no-startup-delay"),
]


def uvicorn_command(port: int) -> list[str]:
    return [
        *(PYTHON, "-m", "uvicorn", "config.asgi:application"),
        *("--host", "127.0.0.1", "--port", str(port), "--lifespan", "off"),
    ]


# What the server must not inherit from the test run: it gets its own of each.
SERVER_ENV_DROPPED = {
    *("SECRET_KEY", "DATABASE_URL", "MEDIA_ROOT", "STATIC_ROOT", "EMAIL_FILE_PATH"),
    *("PYTEST_XDIST_WORKER", "PYTEST_XDIST_TESTRUNUID", "PYTEST_CURRENT_TEST"),
}
MISSING_CHROMIUM = (
    "BROWSER TESTS WILL NOT RUN: chromium not found on PATH (apt-get install -y chromium)"
)


# --------------------------------------------------------------------------- the server


def _log_tail(path: Path, lines: int = 80) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _free_port() -> socket.socket:
    """A socket bound to a free port, held until the server is about to bind it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def _is_postgres(url: str) -> bool:
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


@dataclass
class LiveServer:
    """The running site: its URL, its files, and what site_facts.py reported."""

    url: str
    var_dir: Path
    log_path: Path
    env: dict[str, str] = field(repr=False)
    facts: dict = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list, repr=False)

    @property
    def outbox(self) -> MailOutbox:
        return MailOutbox(self.var_dir / "mail")

    def log_tail(self, lines: int = 80) -> str:
        return _log_tail(self.log_path, lines)

    def manage(self, *args: str, timeout: float = 600) -> str:
        """Runs a management command against the server's database; returns its output."""
        return self._run([PYTHON, "manage.py", *args], timeout=timeout)

    def _run(self, command: list[str], *, timeout: float, log: bool = True) -> str:
        started = time.monotonic()
        result = subprocess.run(
            command,
            cwd=ROOT,
            env=self.env,
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


def _prepare(server: LiveServer) -> None:
    server.manage("migrate", "--noinput", "-v0")
    server.manage("createcachetable")
    server.manage("collectstatic", "--noinput", "-v0")
    commands = server._run([PYTHON, "manage.py", "help", "--commands"], timeout=60, log=False)
    commands = commands.split()
    seed_args = []
    if "demo" in commands:
        server.manage("demo")
    else:
        # Until `manage.py demo` exists: site_facts.py seeds a small stand-in.
        seed_args = ["--seed-demo"]
    output = server._run([PYTHON, str(FACTS_SCRIPT), *seed_args], timeout=300)
    lines = [line for line in output.splitlines() if line.startswith(FACTS_PREFIX)]
    if not lines:
        raise ServerError(f"site_facts.py reported nothing:\n{output[-3000:]}")
    server.facts = json.loads(lines[-1][len(FACTS_PREFIX) :])


def _wait_healthy(server: LiveServer, uvicorn: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if uvicorn.poll() is not None:
            raise ServerError(f"uvicorn exited with {uvicorn.returncode}")
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise ServerError(f"/healthz did not answer 200 within {STARTUP_TIMEOUT:.0f}s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real ASGI server in a subprocess, with demo content, on a free port."""
    base = tmp_path_factory.mktemp("live-server")
    var_dir = base / "var"
    var_dir.mkdir()
    port_holder = _free_port()
    port = port_holder.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if key not in SERVER_ENV_DROPPED}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="0",
        BROADSHEET_VAR_DIR=str(var_dir),
        BROADSHEET_SITE_URL=url,
        STATIC_ROOT=str(base / "static"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        PYTHONUNBUFFERED="1",
        CACHE_KEY_PREFIX=f"broadsheet_live_{secrets.token_hex(4)}",
    )
    test_database_url = os.environ.get("DATABASE_URL", "")
    pg_database = ""
    if test_database_url and _is_postgres(test_database_url):
        pg_database = f"broadsheet_live_{secrets.token_hex(6)}"
        _postgres_admin(test_database_url, f'CREATE DATABASE "{pg_database}"')
        env["DATABASE_URL"] = _with_database(test_database_url, pg_database)
    server = LiveServer(url=url, var_dir=var_dir, log_path=base / "server.log", env=env)
    try:
        try:
            _prepare(server)
        finally:
            port_holder.close()
        with server.log_path.open("ab") as log:
            uvicorn = subprocess.Popen(
                uvicorn_command(port),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            server.processes.append(uvicorn)
            worker = subprocess.Popen(
                WORKER_COMMAND,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            server.processes.append(worker)
        _wait_healthy(server, uvicorn)
    except BaseException as error:  # Ctrl+C included: leave no server or database behind
        for process in server.processes:
            _stop(process)
        if pg_database:
            _postgres_admin(
                test_database_url, f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)'
            )
        if not isinstance(error, ServerError | subprocess.TimeoutExpired | OSError):
            raise
        pytest.fail(
            f"The live server did not start: {error}\n--- {server.log_path} ---\n"
            f"{server.log_tail()}",
            pytrace=False,
        )
    try:
        yield server
    finally:
        for process in server.processes:
            _stop(process)
        if pg_database:
            _postgres_admin(
                test_database_url, f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)'
            )


@pytest.fixture(scope="session")
def live_server_url(live_site: LiveServer) -> str:
    return live_site.url


@pytest.fixture(scope="session")
def shots_dir() -> Path:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SHOTS_DIR


@pytest.fixture
def mail_outbox(live_site: LiveServer) -> MailOutbox:
    """The live server's file outbox: `.wait_for(to=...)`, `.text(m)`, `.links(m)`."""
    return live_site.outbox


# --------------------------------------------------------------------------- the browser


def chromium_path() -> str | None:
    return shutil.which("chromium")


class BrowserHolder:
    """One Chromium for the browser tests of a session, started when first needed.

    Playwright's sync API marks its event loop as running in the main thread
    between calls, which makes Django refuse database access ("you cannot call
    this from an async context"). Tests of other kinds may run after the browser
    tests in the same process (pytest-xdist), so the browser is stopped as soon
    as the last browser test of a run is done (see pytest_runtest_teardown).
    """

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self._playwright = None
        self._browser = None

    def get(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=self.executable, headless=True, args=CHROMIUM_ARGS
            )
        return self._browser

    def stop(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        if self._playwright is not None:
            self._playwright.stop()
            self._playwright = None


_holder: BrowserHolder | None = None


@pytest.fixture(scope="session")
def browser_holder() -> Iterator[BrowserHolder]:
    global _holder
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING_CHROMIUM + " -- and CI is set, so this fails.", pytrace=False)
        pytest.skip(MISSING_CHROMIUM)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        if os.environ.get("CI"):
            pytest.fail(f"BROWSER TESTS WILL NOT RUN: {error}", pytrace=False)
        pytest.skip(f"BROWSER TESTS WILL NOT RUN: {error}")
    _holder = BrowserHolder(executable)
    try:
        yield _holder
    finally:
        _holder.stop()
        _holder = None


@pytest.fixture
def browser(browser_holder: BrowserHolder):
    return browser_holder.get()


@pytest.fixture
def context(browser, live_site: LiveServer):
    """A fresh browser context (cookies, storage) per test, at desktop width."""
    ctx = browser.new_context(base_url=live_site.url, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, request: pytest.FixtureRequest):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        shot = SHOTS_DIR / f"failed-{request.node.name}.png"
        try:
            page.screenshot(path=str(shot), full_page=True)
        except Exception as error:  # the page may be gone; the report matters more
            print(f"no failure screenshot: {error}")
        else:
            print(f"failure screenshot: {shot} (at {page.url})")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.rep_call = report
    if report.failed and "live_site" in getattr(item, "fixturenames", ()):
        server = item.funcargs.get("live_site") if hasattr(item, "funcargs") else None
        if isinstance(server, LiveServer):
            report.sections.append((f"live server log ({server.log_path})", server.log_tail(60)))
    return report


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    here = Path(__file__).parent
    if _holder is not None and (nextitem is None or here not in Path(nextitem.path).parents):
        _holder.stop()
