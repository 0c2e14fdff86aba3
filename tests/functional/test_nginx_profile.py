"""deploy/nginx.conf in front of the real app: microcache, bypasses, SSE, static and media.

A real uvicorn process (tests/liveserver.py) serves a small site; a real nginx,
with deploy/nginx.conf rendered into a temporary directory on a free port,
proxies to it. Without the `nginx` binary the tests are skipped (and fail when
CI is set: .ci/run installs it from Debian).
"""

import http.client
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from liveserver import LiveServer, ServerError, free_port  # tests/ is not a package

ROOT = Path(__file__).resolve().parents[2]
MISSING_NGINX = "NGINX PROFILE TESTS WILL NOT RUN: nginx not found (apt-get install -y nginx)"
SEED = """
import json
from broadsheet.accounts.models import User
from broadsheet.accounts.viewers import Viewer
from broadsheet.articles.services import article_save
from broadsheet.moderation.intake import submit_comment
editor = User.objects.create_user(
    email="editor@example.com", password="a long enough password 1", display_name="Ed Itor",
    is_staff=True,
)
article = article_save(
    title="The harbour plan", body="The council *met*.", author=editor, status="published"
)
comment = submit_comment(
    thread=article.thread, viewer=Viewer(guest_key="nginx-test"), body="First!",
    guest_name="Ana",
).comment
print("FACTS " + json.dumps({"path": article.get_absolute_url(), "thread": article.thread_id,
                             "comment": comment.pk}))
"""


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def render_config(**values: str) -> str:
    spec = importlib.util.spec_from_file_location("render_nginx", ROOT / "deploy/render_nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render(**values)


@dataclass
class Proxy:
    port: int
    app: LiveServer
    facts: dict
    static_root: Path
    media_root: Path

    def get(
        self, path: str, headers: dict[str, str] | None = None, *, method: str = "GET", body=None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()


def _wait_for_port(port: int, process: subprocess.Popen, prefix: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logs = [
                p.read_text() for p in (prefix / "stderr.log", prefix / "error.log") if p.exists()
            ]
            raise ServerError(f"nginx exited with {process.returncode}:\n" + "\n".join(logs))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise ServerError(f"nginx did not listen on {port}")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    binary = nginx_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(MISSING_NGINX + " -- and CI is set, so this fails.", pytrace=False)
        pytest.skip(MISSING_NGINX)
    base = tmp_path_factory.mktemp("nginx-profile")
    app = LiveServer.create(
        base,
        env={
            # nginx serves /media/, and its X-Forwarded-For is believed.
            "BROADSHEET_SERVE_MEDIA": "0",
            "BROADSHEET_TRUSTED_PROXIES": "127.0.0.1",
            "BROADSHEET_LIVE_HEARTBEAT_SECONDS": "0.5",
            "BROADSHEET_LIVE_POLL_SECONDS": "0.2",
        },
    )
    nginx = None
    try:
        app.prepare(demo=False)
        output = app.manage("shell", "-c", SEED)
        facts = json.loads(output.split("FACTS ", 1)[1])
        app.start(worker=False)
        holder = free_port()
        port = holder.getsockname()[1]
        static_root = Path(app.env["STATIC_ROOT"])
        media_root = app.var_dir / "media"
        media_root.mkdir(parents=True, exist_ok=True)
        prefix = base / "nginx"
        (prefix / "temp").mkdir(parents=True)
        user = "root" if os.geteuid() == 0 else os.environ.get("USER", "nobody")
        config = render_config(
            listen=f"127.0.0.1:{port}",
            upstream=app.url.removeprefix("http://"),
            static_root=str(static_root),
            media_root=str(media_root),
            cache_dir=str(prefix / "cache"),
            temp_dir=str(prefix / "temp"),
            user=user,
            worker_processes="1",
            pid=str(prefix / "nginx.pid"),
            error_log=str(prefix / "error.log"),
            access_log="off",
        )
        (prefix / "nginx.conf").write_text(config)
        holder.close()
        with (prefix / "stderr.log").open("wb") as stderr:
            nginx = subprocess.Popen(
                [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
            )
        _wait_for_port(port, nginx, prefix)
        yield Proxy(port, app, facts, static_root, media_root)
    except ServerError as error:
        pytest.fail(f"{error}\n--- app log ---\n{app.log_tail()}", pytrace=False)
    finally:
        if nginx is not None and nginx.poll() is None:
            nginx.terminate()
            try:
                nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait(timeout=10)
        app.close()


def test_anonymous_thread_read_is_microcached_for_a_second(proxy: Proxy):
    path = f"/threads/{proxy.facts['thread']}/comments.json"
    status, first, body = proxy.get(path)
    assert status == 200 and first["X-Cache-Status"] in {"MISS", "EXPIRED"}
    status, second, again = proxy.get(path)
    assert status == 200 and second["X-Cache-Status"] == "HIT"
    assert again == body and json.loads(body)["count"] == 1
    time.sleep(2.1)
    assert proxy.get(path)[1]["X-Cache-Status"] in {"EXPIRED", "UPDATING", "STALE", "MISS"}


def test_article_page_is_cached_unless_the_reply_sets_a_cookie(proxy: Proxy):
    """Anonymous article pages are microcached once the app serves them without a cookie;
    a reply that sets one (a CSRF cookie, say) must never be stored and replayed."""
    path = proxy.facts["path"]
    status, first, _ = proxy.get(path)
    assert status == 200
    status, second, body = proxy.get(path)
    assert status == 200 and b"First!" in body
    if "Set-Cookie" in first:
        assert second["X-Cache-Status"] != "HIT"
        assert "Set-Cookie" in second
    else:
        assert second["X-Cache-Status"] == "HIT"


@pytest.mark.parametrize("cookie", ["sessionid=abc", "bs_guest=token", "a=1; csrftoken=x"])
def test_per_reader_cookies_bypass_the_microcache(proxy: Proxy, cookie: str):
    path = f"/threads/{proxy.facts['thread']}/comments.json"
    proxy.get(path)
    assert proxy.get(path)[1]["X-Cache-Status"] == "HIT"
    status, headers, _ = proxy.get(path, {"Cookie": cookie})
    assert status == 200 and headers["X-Cache-Status"] == "BYPASS"


def test_posts_go_to_the_app_uncached(proxy: Proxy):
    status, headers, _ = proxy.get(
        f"/threads/{proxy.facts['thread']}/comments/",
        {"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
        body="body=hello&name=Bo",
    )
    assert status == 403  # no CSRF token: the app answered, not the cache
    assert headers.get("X-Cache-Status", "BYPASS") == "BYPASS"  # POSTs are never cache-eligible


def test_event_stream_passes_through_unbuffered(proxy: Proxy):
    """Heartbeats every 0.5 s must reach the reader as they are sent, not in a buffer's time."""
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    try:
        conn.request("GET", f"/threads/{proxy.facts['thread']}/events/")
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type", "").startswith("text/event-stream")
        assert response.getheader("X-Cache-Status") is None
        started = time.monotonic()
        seen = b""
        while seen.count(b": keep-alive") < 2:
            chunk = response.read1(4096)
            assert chunk, f"the stream ended early: {seen!r}"
            seen += chunk
        assert seen.startswith(b"retry: ")
        assert time.monotonic() - started < 5
    finally:
        conn.close()


def test_static_and_media_are_served_by_nginx_itself(proxy: Proxy):
    # Files the app has never seen (WhiteNoise indexed static files at start, and the
    # app serves no media here): only nginx can answer them.
    (proxy.static_root / "nginx-only.txt").write_text("static from nginx")
    (proxy.media_root / "nginx-only.txt").write_text("media from nginx")
    status, headers, body = proxy.get("/static/nginx-only.txt")
    assert status == 200 and body == b"static from nginx"
    assert "X-Cache-Status" not in headers and "max-age" in headers.get("Cache-Control", "")
    status, headers, body = proxy.get("/media/nginx-only.txt")
    assert status == 200 and body == b"media from nginx"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert proxy.get("/static/missing.css")[0] == 404
