"""Backup while a writer keeps adding comments; restore into a fresh, empty site; compare.

Each site here is a real one run through `manage.py` in its own processes, with
its own database and media directory: SQLite files in a temporary directory, or,
when DATABASE_URL points at PostgreSQL, databases created on that server for
the test and dropped after it (with pg_dump/pg_restore doing the work). The
writer is a separate process committing comments through the discussion
services the whole time the backup runs.
"""

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
WRITER = """
import os, pathlib
from broadsheet.core.clock import now
from broadsheet.core.markup import render_comment
from broadsheet.discussion.models import CommentStatus, Thread
from broadsheet.discussion.services import NewComment, insert_comment

stop, ready = pathlib.Path(os.environ["WRITER_STOP"]), pathlib.Path(os.environ["WRITER_READY"])
threads = list(Thread.objects.order_by("id")[:3])
n = 0
while not stop.exists():
    body = f"Written during the backup, number {n}"
    new = NewComment(body_source=body, body_html=render_comment(body),
                     status=CommentStatus.PUBLISHED, created_at=now(), guest_name="Writer")
    insert_comment(thread=threads[n % 3], parent=None, new=new)
    n += 1
    ready.with_suffix(".new").write_text(str(n))
    ready.with_suffix(".new").replace(ready)  # whole numbers only, never a half-written file
"""
FACTS = """
import json
from django.db.models import Count, Q
from broadsheet.accounts.models import User
from broadsheet.articles.models import Article
from broadsheet.discussion.models import Comment, Thread
rows = list(Comment.objects.order_by("id").values_list(
    "id", "thread_id", "parent_id", "path", "status", "body_source", "author_id"))
threads = list(Thread.objects.order_by("id").annotate(
    published=Count("comments", filter=Q(comments__status="published"))
).values_list("id", "comment_count", "published", "version"))
users = list(User.objects.order_by("id").values_list("id", "email", "password", "avatar_key"))
print(json.dumps({"counts": {"users": len(users), "threads": len(threads), "comments": len(rows),
                             "articles": Article.objects.count()},
                  "comments": rows, "threads": threads, "users": users}))
"""


class Site:
    """One Broadsheet site: a database and a media directory, driven through manage.py."""

    def __init__(self, root: Path, database_url: str) -> None:
        self.root = root
        self.media = root / "media"
        root.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "0",
            "BROADSHEET_VAR_DIR": str(root),
            "MEDIA_ROOT": str(self.media),
            "DATABASE_URL": database_url,
            "REDIS_URL": "",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, str(ROOT / "manage.py"), *args]

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            self.argv(*args), env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        if check and done.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stderr}")
        return done

    def facts(self) -> dict:
        out = self.manage("shell", "--no-imports", "-c", FACTS).stdout
        return json.loads(out.strip().splitlines()[-1])

    def media_files(self) -> dict[str, str]:
        if not self.media.exists():
            return {}
        return {
            p.relative_to(self.media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in self.media.rglob("*")
            if p.is_file()
        }


@pytest.fixture(scope="module")
def database_urls() -> Iterator[tuple[str, str]]:
    """Two empty databases: the site that is backed up, and the one restored into."""
    if not ON_POSTGRES:
        yield ("", "")  # SQLite: each Site gets a file under its own directory
        return
    import psycopg

    conf = dj_database_url.parse(os.environ["DATABASE_URL"])
    # Named like pytest-django's test databases, which CI drops should a crash leave them.
    names = [f"test_{conf['NAME']}_backup_{kind}_{os.getpid()}"[:63] for kind in ("a", "b")]
    admin = psycopg.connect(
        host=conf["HOST"] or None,
        port=conf["PORT"] or None,
        user=conf["USER"] or None,
        password=conf["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    try:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        yield (f"{base}/{names[0]}", f"{base}/{names[1]}")
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="module")
def source(tmp_path_factory, database_urls) -> Site:
    root = tmp_path_factory.mktemp("source")
    site = Site(root, database_urls[0] or f"sqlite:///{root / 'broadsheet.sqlite3'}")
    site.manage("migrate", "--noinput")
    site.manage("createcachetable")
    site.manage("demo")  # people with pictures, articles and a thousand-comment discussion
    return site


@pytest.fixture(scope="module")
def restored_url(database_urls, tmp_path_factory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("restored")
    return root, database_urls[1] or f"sqlite:///{root / 'broadsheet.sqlite3'}"


def _written(path: Path) -> int:
    """How many comments the writer has committed, as it last reported."""
    try:
        return int(path.read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def _wait_for(path: Path, at_least: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        n = _written(path)
        if n >= at_least:
            return n
        time.sleep(0.05)
    raise AssertionError(f"the writer wrote fewer than {at_least} comments in {timeout}s")


def test_backup_while_writing_restores_the_same_site(source, restored_url, tmp_path):
    before = source.facts()
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    writer = subprocess.Popen(
        source.argv("shell", "--no-imports", "-c", WRITER),
        env={**source.env, "WRITER_STOP": str(stop), "WRITER_READY": str(ready)},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = _wait_for(ready, 20)
        archive = tmp_path / "backup.tar.gz"
        backed_up = source.manage("backup", str(archive))
        assert "Backed up the" in backed_up.stdout
        _wait_for(ready, _written(ready) + 20)  # and it carried on afterwards
    finally:
        stop.touch()
        _, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0, errors
    after = source.facts()

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[0] == "manifest.json"
    assert manifest["engine"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert manifest["media"]["files"] == len(source.media_files()) > 0

    root, url = restored_url
    restored = Site(root, url)
    done = restored.manage("restore", str(archive))
    assert "Restored the backup" in done.stdout
    assert "newer than the backup" not in done.stdout
    got = restored.facts()

    # A snapshot from the middle of the writing: more than before, less than after.
    n = got["counts"]["comments"]
    assert before["counts"]["comments"] + started <= n < after["counts"]["comments"]
    for kind in ("users", "threads", "articles"):
        assert got["counts"][kind] == before["counts"][kind] == after["counts"][kind]
    # Consistent: every restored row is the source's row, none half-written, and each
    # thread's stored count agrees with its rows (a count and its comment commit together).
    assert got["comments"] == after["comments"][:n]
    for _, comment_count, published, _ in got["threads"]:
        assert comment_count == published
    assert got["users"] == after["users"]  # passwords and avatar keys too: the same site
    assert restored.media_files() == source.media_files()
    # The restored site runs: it checks clean and takes new comments where it left off.
    restored.manage("check")
    stop.unlink()
    ready.unlink()
    proc = subprocess.Popen(
        restored.argv("shell", "--no-imports", "-c", WRITER),
        env={**restored.env, "WRITER_STOP": str(stop), "WRITER_READY": str(ready)},
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(ready, 5)
    finally:
        stop.touch()
        _, errors = proc.communicate(timeout=60)
    assert proc.returncode == 0, errors


def test_restore_refuses_a_site_that_is_not_empty(source, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    source.manage("backup", str(archive))
    before = source.facts()["counts"]
    refused = source.manage("restore", str(archive), check=False)
    assert refused.returncode == 1
    assert "Refusing to restore: the database is not empty" in refused.stderr
    assert "Restore only into an empty site" in refused.stderr
    assert source.facts()["counts"] == before


def test_restore_refuses_a_damaged_or_foreign_archive(tmp_path, source):
    empty = Site(tmp_path / "empty", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    not_a_backup = tmp_path / "notes.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as tar:
        tar.add(__file__, arcname="notes.txt")
    refused = empty.manage("restore", str(not_a_backup), check=False)
    assert refused.returncode == 1 and "not a Broadsheet backup" in refused.stderr
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not gzip at all")
    refused = empty.manage("restore", str(garbage), check=False)
    assert refused.returncode == 1 and "is not a .tar.gz file" in refused.stderr
