"""The browser-test harness: the real ASGI server in a subprocess, and Debian's Chromium.

`live_site` (not `live_server`: that name belongs to pytest-django's in-process
server) starts `uvicorn config.asgi:application` on a free port with the dev
settings (DEBUG off), a temporary BROADSHEET_VAR_DIR holding the SQLite database,
the secret, uploaded media and the file e-mail outbox, and a background worker,
as `make run` does. When the test run's DATABASE_URL points at PostgreSQL, the
server gets a fresh PostgreSQL database instead, dropped afterwards. Before it
starts: migrate, createcachetable, collectstatic and `manage.py demo`.

Under pytest-xdist each worker that runs browser tests starts its own server.

The server code itself lives in tests/liveserver.py, shared with the
functional tests that run several app processes.

The browser is Debian's `chromium` from the PATH, driven by Playwright's sync
API, never a downloaded one. Without it the browser tests are skipped with a
loud reason, or fail when the CI environment variable is set.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# tests/ is not a package: the shared harness is imported from its directory.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from liveserver import (
    LiveServer,
    MailOutbox,
    ServerError,
)

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
MISSING_CHROMIUM = (
    "BROWSER TESTS WILL NOT RUN: chromium not found on PATH (apt-get install -y chromium)"
)


# --------------------------------------------------------------------------- the server


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real ASGI server in a subprocess, with demo content, on a free port."""
    server = None
    try:
        server = LiveServer.create(tmp_path_factory.mktemp("live-server"))
        server.prepare(demo=True)
        server.start(worker=True)
    except BaseException as error:  # Ctrl+C included: leave no server or database behind
        if server is not None:
            server.close()
        if not isinstance(error, ServerError | subprocess.TimeoutExpired | OSError):
            raise
        log = server.log_tail() if server is not None else "(no log)"
        pytest.fail(
            f"The live server did not start: {error}\n--- server log ---\n{log}", pytrace=False
        )
    try:
        yield server
    finally:
        server.close()


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

    def profile_context(self, profile_dir: Path, *, third_party_cookies: bool, **options):
        """A browser with a profile of its own whose third-party cookie setting is explicit
        (Chromium's own preference: 0 allows them, 1 blocks them), not left to the default."""
        self.get()
        (profile_dir / "Default").mkdir(parents=True, exist_ok=True)
        preferences = {"profile": {"cookie_controls_mode": 0 if third_party_cookies else 1}}
        (profile_dir / "Default" / "Preferences").write_text(json.dumps(preferences))
        return self._playwright.chromium.launch_persistent_context(
            str(profile_dir), executable_path=self.executable, headless=True,
            args=CHROMIUM_ARGS, **options,
        )  # fmt: skip

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
