"""The page cache across processes: a change made through one app process (or a
management command) is seen at once by a stateless reader of another.

Two real uvicorn processes share one database and one cache: the database
cache without Redis, Redis with it. One test per kind of change.
"""

import gzip
import http.cookiejar
import json
import re
import secrets
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from liveserver import LiveServer, ServerError  # tests/ is not a package

SETUP_SCRIPT = """
import json, secrets
from datetime import timedelta
from broadsheet.accounts.models import User
from broadsheet.articles.services import article_save
from broadsheet.core.clock import now
desk = User.objects.create_user(
    f"desk-{secrets.token_hex(3)}@example.com", secrets.token_urlsafe(16),
    display_name="Cache Desk", is_staff=True,
)
article = article_save(
    title="Ferry timetable changes", body="The ferry leaves at *six*.", author=desk,
    status="published", published_at=now() - timedelta(hours=1),
)
print("CACHE-FACTS " + json.dumps({"url": article.get_absolute_url(), "thread": article.thread_id}))
"""


def fetch_page(base: str, path: str):
    """A first-time reader (no cookies) that takes gzip, as browsers do."""
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert "Set-Cookie" not in response.headers
        body = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.headers, body.decode()


def read_page(base: str, path: str) -> tuple[str, str]:
    """Returns (X-Page-Cache, body): "fast" when web/fast_pages.py answered, before Django."""
    headers, body = fetch_page(base, path)
    return headers.get("X-Page-Cache", ""), body


class Guest:
    """A browser-less guest with cookies, posting the forms the way the page's script does."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with self.opener.open(base + "/csrf/", timeout=10) as response:
            self.token = json.loads(response.read())["token"]

    def post(self, path: str, **fields: str) -> dict:
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": self.token, **fields}).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Accept": "application/json"}
        )
        with self.opener.open(request, timeout=10) as response:
            return json.loads(response.read())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[LiveServer, dict]]:
    server = LiveServer.create(tmp_path_factory.mktemp("cache-servers"), servers=2)
    try:
        server.prepare(demo=False)
        output = server.manage("shell", "-c", SETUP_SCRIPT)
        yield server, json.loads(output.split("CACHE-FACTS ", 1)[1])
    except ServerError as error:
        pytest.fail(f"{error}\n--- server log ---\n{server.log_tail()}", pytrace=False)
    finally:
        server.close()


@pytest.fixture(params=["database-cache", "redis"])
def servers(request, site) -> Iterator[tuple[LiveServer, list[str], dict]]:
    server, facts = site
    env = {"REDIS_URL": ""}
    if request.param == "redis":
        env = {
            "REDIS_URL": request.getfixturevalue("redis_url"),
            "CACHE_KEY_PREFIX": f"bs-cache-{secrets.token_hex(4)}",
        }
    try:
        urls = server.start(worker=False, env=env)
    except ServerError as error:
        pytest.fail(f"{error}\n--- server log ---\n{server.log_tail()}", pytrace=False)
    try:
        yield server, urls, facts
    finally:
        server.stop()


def warm(reader_base: str, path: str) -> None:
    """Until the page comes from the layer in front of Django: every test's change must then
    get past it too."""
    read_page(reader_base, path)
    read_page(reader_base, path)
    state, _ = read_page(reader_base, path)
    assert state == "fast"


def test_the_fast_answer_is_the_same_page_with_the_same_headers_as_djangos(servers):
    _, (_, b), facts = servers
    read_page(b, facts["url"])
    django_headers, django_page = fetch_page(b, facts["url"])
    fast_headers, fast_page = fetch_page(b, facts["url"])
    assert (django_headers["X-Page-Cache"], fast_headers["X-Page-Cache"]) == ("hit", "fast")
    assert fast_page == django_page
    ignored = {"date", "server", "x-page-cache"}
    assert {(k.lower(), v) for k, v in fast_headers.items() if k.lower() not in ignored} == {
        (k.lower(), v) for k, v in django_headers.items() if k.lower() not in ignored
    }
    # Another sort is another page; a page number, a cookie or a conditional GET go to Django.
    assert read_page(b, facts["url"] + "?sort=newest")[0] in ("miss", "hit")
    assert read_page(b, facts["url"] + "?page=1")[0] == "hit"
    with_cookie = urllib.request.Request(
        b + facts["url"], headers={"Accept-Encoding": "gzip", "Cookie": "bs_sort=newest"}
    )
    with urllib.request.urlopen(with_cookie, timeout=10) as response:
        assert "X-Page-Cache" not in response.headers
    conditional = urllib.request.Request(
        b + facts["url"], headers={"Accept-Encoding": "gzip", "If-None-Match": 'W/"nope"'}
    )
    with urllib.request.urlopen(conditional, timeout=10) as response:
        assert response.headers["X-Page-Cache"] == "hit"


def test_a_new_comment_on_one_process_refreshes_the_other(servers):
    _, (a, b), facts = servers
    warm(b, facts["url"])
    body = f"Posted through A {secrets.token_hex(3)}"
    Guest(a).post(f"/threads/{facts['thread']}/comments/", body=body, name="Ines Arbo")
    state, page = read_page(b, facts["url"])
    assert state == "miss" and body in page


def test_an_edit_on_one_process_refreshes_the_other(servers):
    _, (a, b), facts = servers
    guest = Guest(a)
    posted = guest.post(f"/threads/{facts['thread']}/comments/", body="Draft words", name="Ola")
    warm(b, facts["url"])
    revised = f"Revised words {secrets.token_hex(3)}"
    guest.post(f"/comments/{posted['id']}/edit/", body=revised)
    state, page = read_page(b, facts["url"])
    assert state == "miss" and revised in page


def test_a_deletion_on_one_process_refreshes_the_other(servers):
    _, (a, b), facts = servers
    guest = Guest(a)
    body = f"Regrettable words {secrets.token_hex(3)}"
    posted = guest.post(f"/threads/{facts['thread']}/comments/", body=body, name="Uma")
    warm(b, facts["url"])
    assert body in read_page(b, facts["url"])[1]
    guest.post(f"/comments/{posted['id']}/delete/")
    state, page = read_page(b, facts["url"])
    assert state == "miss" and body not in page


def test_an_editors_decision_from_another_process_refreshes_the_page(servers):
    server, (_, b), facts = servers
    warm(b, facts["url"])
    server.manage(
        "shell",
        "-c",
        "from broadsheet.discussion.models import Thread\n"
        "from broadsheet.discussion.services import thread_update\n"
        f"thread_update(thread=Thread.objects.get(pk={facts['thread']}), status='closed')\n"
        f"thread_update(thread=Thread.objects.get(pk={facts['thread']}), status='open')\n",
    )
    state, _ = read_page(b, facts["url"])
    assert state == "miss"


def test_a_vote_does_not_refresh_and_the_voter_sees_it_at_once(servers):
    _, (a, b), facts = servers
    posted = Guest(a).post(f"/threads/{facts['thread']}/comments/", body="Vote me", name="Vik")
    warm(b, facts["url"])
    answer = Guest(a).post(f"/comments/{posted['id']}/vote/", value="up")
    assert answer["upvotes"] == 1 and answer["my_vote"] == 1
    state, page = read_page(b, facts["url"])
    assert state == "fast"
    assert re.search(rf'id="c-{posted["id"]}"', page)


def test_an_erasure_from_another_process_refreshes_the_page(servers):
    server, (_, b), facts = servers
    words = f"Thirty years here and the crossing made the school run safer {secrets.token_hex(3)}"
    server.manage(
        "shell",
        "-c",
        "import secrets\n"
        "from broadsheet.accounts.models import User\n"
        "from broadsheet.accounts.viewers import Viewer\n"
        "from broadsheet.core.clock import now\n"
        "from broadsheet.discussion.models import Thread\n"
        "from broadsheet.moderation.intake import submit_comment\n"
        "user = User.objects.create_user(f'leaver-{secrets.token_hex(3)}@example.com', 'pw',"
        " display_name=f'Leaver {secrets.token_hex(2)}', email_verified_at=now())\n"
        f"submit_comment(thread=Thread.objects.get(pk={facts['thread']}),"
        f" viewer=Viewer(user=user), body={words!r})\n",
    )
    warm(b, facts["url"])
    assert words in read_page(b, facts["url"])[1]
    server.manage(
        "shell",
        "-c",
        "from broadsheet.accounts.models import User\n"
        "from broadsheet.portability.erasure import user_erase\n"
        "user_erase(user=User.objects.filter(email__startswith='leaver-').latest('pk'))\n",
    )
    state, page = read_page(b, facts["url"])
    assert state == "miss" and words not in page
