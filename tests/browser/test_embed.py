"""The discussion embedded under another site's pages, across a real site boundary.

Broadsheet runs at http://127.0.0.1:PORT; the embedding blog is served by a small
HTTP server here and opened as http://localhost:PORT, another site to the browser,
so the iframe is third-party: its cookies are third-party cookies, which each
test's browser profile allows or blocks explicitly. A second blog port is on no
allowed site. The server runs with BROADSHEET_EMBED_COOKIES=1 (SameSite=None
session cookies), as production under HTTPS does.
"""

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import BrowserHolder
from liveserver import LiveServer, ServerError
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

EMAIL = "lena@example.com"
PASSWORD = "embedded discussions work"
NAME = "Lena Ortiz"


def _blog_page(server_url: str, body: str) -> bytes:
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>A blog post</title></head>
<body><h1>On the harbour plan</h1><p>Our own words, on our own site.</p>{body}
<script src="{server_url}/embed.js" async></script>
<script src="{server_url}/count.js" async></script></body></html>""".encode()


class Blog:
    """A static site of two posts and an index, each post carrying the embed snippet."""

    def __init__(self, server_url: str) -> None:
        blog = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                if path in ("/post/", "/quiet/"):
                    snippet = '<div id="broadsheet-thread"></div>'
                elif path == "/":
                    snippet = (
                        f'<a href="{blog.url}/post/" data-broadsheet-count id="post">Comments</a> '
                        f'<span data-broadsheet-count="{blog.url}/quiet/" id="quiet">'
                        "Comments</span>"
                    )
                elif path == "/frames-directly/":
                    snippet = f'<iframe id="direct" src="{server_url}{blog.direct_path}"></iframe>'
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(_blog_page(server_url, snippet))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://localhost:{self.server.server_address[1]}"
        self.direct_path = "/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def embed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer.create(
        tmp_path_factory.mktemp("embed-server"), env={"BROADSHEET_EMBED_COOKIES": "1"}
    )
    try:
        server.prepare(demo=False)
        server.start(worker=False)
    except (ServerError, OSError) as error:
        server.close()
        pytest.fail(f"The live server did not start: {error}\n{server.log_tail()}")
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def blogs(embed_server: LiveServer) -> Iterator[tuple[Blog, Blog]]:
    allowed, other = Blog(embed_server.url), Blog(embed_server.url)
    embed_server.manage("sites", "add", "The harbour blog", allowed.url.split("//")[1])
    embed_server.manage(
        "shell", "-c",
        "from broadsheet.accounts.models import User; from django.utils import timezone; "
        f"User.objects.create_user(email={EMAIL!r}, password={PASSWORD!r}, "
        f"display_name={NAME!r}, email_verified_at=timezone.now())",
    )  # fmt: skip
    try:
        yield allowed, other
    finally:
        allowed.close()
        other.close()


@pytest.fixture
def profile(browser_holder: BrowserHolder, tmp_path: Path):
    """A browser profile; the test says whether it allows third-party cookies."""
    opened = []

    def open_profile(*, third_party_cookies: bool):
        context = browser_holder.profile_context(
            tmp_path / "profile", third_party_cookies=third_party_cookies,
            viewport={"width": 1100, "height": 900},
        )  # fmt: skip
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield open_profile
    for context in opened:
        context.close()


def comments_frame(page):
    return page.frame_locator("iframe.broadsheet-thread")


def post_in_frame(frame, text: str, *, name: str | None = None) -> None:
    form = frame.locator("section.discussion > form.comment-form")
    form.locator("textarea[name=body]").fill(text)
    if name:
        form.locator("[name=name]").fill(name)
    form.locator("button[type=submit]").click()


def api_json(server: LiveServer, path: str) -> dict:
    try:
        with urllib.request.urlopen(server.url + path, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)


def test_a_guest_comments_through_the_embed_with_third_party_cookies_blocked(
    profile, blogs, embed_server
):
    blog, _ = blogs
    context = profile(third_party_cookies=False)
    page = context.new_page()
    page.goto(f"{blog.url}/post/?utm_source=newsletter")
    frame = comments_frame(page)
    expect(frame.locator("section.discussion h2")).to_have_text("0 comments")
    expect(page.locator("#broadsheet-thread")).to_have_attribute("data-loaded", "true")
    post_in_frame(frame, "Guests can always *comment*.", name="Ana Guest")
    mine = frame.locator("li.comment", has_text="Guests can always comment.")
    expect(mine).to_be_visible()
    expect(mine.locator(".author")).to_contain_text("Ana Guest (not verified)")
    # The iframe is as tall as its content: no scroll bar inside, no empty space below.
    frame_height = page.locator("iframe.broadsheet-thread").evaluate("f => f.offsetHeight")
    content_height = frame.locator("html").evaluate("h => h.scrollHeight")
    assert abs(frame_height - content_height) <= 2
    # No cookie of ours was kept: the comment travelled on the frame's token alone.
    assert not [c for c in context.cookies() if c["domain"] == "127.0.0.1"]
    # The thread is keyed by the page's canonical address.
    key = urllib.parse.quote(f"{blog.url}/post/", safe="")
    assert api_json(embed_server, f"/api/v1/threads?url={key}")["comment_count"] >= 1


def test_a_signed_in_reader_is_known_in_the_frame_when_third_party_cookies_are_allowed(
    profile, blogs, embed_server
):
    blog, _ = blogs
    context = profile(third_party_cookies=True)
    page = context.new_page()
    page.goto(f"{embed_server.url}/accounts/login/")
    page.locator("[name=username]").fill(EMAIL)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator(".masthead .me")).to_contain_text(NAME)

    page.goto(f"{blog.url}/post/")
    frame = comments_frame(page)
    expect(frame.locator(".embed-account")).to_contain_text(f"Signed in as {NAME}")
    post_in_frame(frame, "Signed in through our own session cookie.")
    mine = frame.locator("li.comment", has_text="Signed in through our own session cookie.")
    expect(mine.locator(".author")).to_have_text(NAME)
    expect(mine.locator(".unverified")).to_have_count(0)


def test_with_third_party_cookies_blocked_sign_in_goes_through_a_popup(
    profile, blogs, embed_server
):
    blog, _ = blogs
    context = profile(third_party_cookies=False)
    page = context.new_page()
    page.goto(f"{blog.url}/post/")
    frame = comments_frame(page)
    sign_in = frame.locator(".embed-account a[data-embed-sign-in]")
    with page.expect_popup() as opened:
        sign_in.click()
    popup = opened.value
    popup.locator("[name=username]").fill(EMAIL)
    popup.locator("[name=password]").fill(PASSWORD)
    # Waiting starts before the click: the popup may close before a wait begun after it.
    with popup.expect_event("close"):
        popup.locator("form button[type=submit]").click()
    expect(frame.locator(".embed-account")).to_contain_text(f"Signed in as {NAME}")
    post_in_frame(frame, "Signed in by the popup, cookies blocked.")
    mine = frame.locator("li.comment", has_text="Signed in by the popup, cookies blocked.")
    expect(mine.locator(".author")).to_have_text(NAME)


def test_the_counts_script_fills_the_index_in_one_call(profile, blogs, embed_server):
    blog, _ = blogs
    context = profile(third_party_cookies=False)
    page = context.new_page()
    page.goto(f"{blog.url}/post/")
    post_in_frame(comments_frame(page), "One more for the count.", name="Counter")
    expect(
        comments_frame(page).locator("li.comment", has_text="One more for the count.")
    ).to_be_visible()
    expected = api_json(embed_server, "/api/v1/threads/counts?url=" + urllib.parse.quote(
        f"{blog.url}/post/", safe=""))["counts"][f"{blog.url}/post/"]  # fmt: skip
    assert expected >= 1

    calls = []
    page.on("request", lambda r: calls.append(r.url) if "/threads/counts" in r.url else None)
    page.goto(f"{blog.url}/")
    label = f"{expected} comment" + ("" if expected == 1 else "s")
    expect(page.locator("#post")).to_have_text(label)
    expect(page.locator("#quiet")).to_have_text("0 comments")
    assert len(calls) == 1


def test_a_page_outside_the_allowed_sites_gets_no_discussion(profile, blogs, embed_server):
    allowed, other = blogs
    context = profile(third_party_cookies=True)
    page = context.new_page()
    page.goto(f"{other.url}/post/")
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)
    assert page.locator("#broadsheet-thread").get_attribute("data-loaded") is None
    for frame in page.frames[1:]:
        assert "discussion" not in (frame.content() if frame.url.startswith("http") else "")
    key = urllib.parse.quote(f"{other.url}/post/", safe="")
    assert (
        api_json(embed_server, f"/api/v1/threads?url={key}")["error"]["code"] == "thread_not_found"
    )

    # Framing an allowed page's discussion directly from the other origin is refused
    # by the browser itself (frame-ancestors).
    page.goto(f"{allowed.url}/post/")
    expect(comments_frame(page).locator("section.discussion")).to_be_visible()
    embedded = [f for f in page.frames if "/embed/threads/" in f.url]
    embed_path = urllib.parse.urlsplit(embedded[0].url).path
    other.direct_path = embed_path
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "frame-ancestors" in m.text else None)
    page.goto(f"{other.url}/frames-directly/")
    page.wait_for_timeout(1500)
    assert blocked, "the browser did not report refusing the frame"
    direct = [f for f in page.frames if embed_path in f.url]
    assert not direct or "discussion" not in direct[0].content()


def test_a_reply_in_one_embed_arrives_live_in_another(profile, blogs, tmp_path, browser_holder):
    blog, _ = blogs
    writer = profile(third_party_cookies=False).new_page()
    writer.goto(f"{blog.url}/quiet/")
    post_in_frame(comments_frame(writer), "Is the ferry running?", name="Writer")
    question = comments_frame(writer).locator("li.comment", has_text="Is the ferry running?")
    expect(question).to_be_visible()

    reader_context = browser_holder.profile_context(
        tmp_path / "reader", third_party_cookies=False, viewport={"width": 1100, "height": 900}
    )
    try:
        reader = reader_context.new_page()
        reader.goto(f"{blog.url}/quiet/")
        reader_frame = comments_frame(reader)
        expect(reader_frame.locator("section#comments")).to_have_attribute("data-live", "open")

        question.locator("> article a.reply-link").click()
        inline = question.locator("> .inline-reply form.comment-form")
        inline.locator("textarea[name=body]").fill("Every half hour since noon.")
        inline.locator("[name=name]").fill("Writer")
        inline.locator("button[type=submit]").click()

        arrived = reader_frame.locator("li.comment[data-depth='1']", has_text="Every half hour")
        expect(arrived).to_be_visible()
        parent = reader_frame.locator("li.comment[data-depth='0']", has_text="ferry running")
        expect(parent.locator("ol.replies > li.comment")).to_contain_text("Every half hour")
    finally:
        reader_context.close()
