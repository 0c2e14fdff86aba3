"""Imports in a separate process: peak memory does not grow with the file; a killed import
leaves whole threads only, and running it again ends with exactly every comment.

Each test imports into a database of its own (a SQLite file, or a fresh PostgreSQL
database when the suite runs on PostgreSQL), migrated by `manage.py migrate`.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, os, resource, sys, time
from pathlib import Path
import django
django.setup()
from broadsheet.importers import loader
from broadsheet.importers.run import import_file

pause = float(os.environ.get("IMPORT_PAUSE", "0"))
if pause:
    # Slow each chunk down (inside the thread's transaction) so the test can kill it there.
    loader.CHUNK = 10
    write = loader.load_comments
    def slow(**kwargs):
        result = write(**kwargs)
        time.sleep(pause)
        return result
    loader.load_comments = slow
report = import_file(fmt="disqus", path=Path(sys.argv[1]))
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"created": report.comments_created, "peak_kb": peak_kb}))
"""


def write_disqus(path: Path, *, threads: int, per_thread: int, body_bytes: int = 400) -> int:
    """A Disqus export: posts interleaved across threads, some replies before their parents."""
    filler = ("The council's plan for the harbour is a mess, and here is why. " * 40)[:body_bytes]
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        out.write('<disqus xmlns="http://disqus.com" ')
        out.write('xmlns:dsq="http://disqus.com/disqus-internals">\n')
        for t in range(threads):
            out.write(
                f'<thread dsq:id="t{t}"><link>https://gen.example/{t}/</link>'
                f"<title>Story {t}</title><createdAt>2020-01-01T00:00:00Z</createdAt></thread>\n"
            )
        for r in range(per_thread):
            for t in range(threads):
                if r % 3 == 0 and r > 0 and r + 1 < per_thread:
                    parent = r + 1  # listed before its parent
                elif r % 3 == 1:
                    parent = r // 2
                else:
                    parent = None
                parent_xml = f'<parent dsq:id="p{t}-{parent}"/>' if parent is not None else ""
                user = f"reader{(t * 7 + r) % 500}"
                minute, second = divmod(r, 60)
                out.write(
                    f'<post dsq:id="p{t}-{r}"><message><![CDATA[<p>{escape(filler)} #{r}</p>]]>'
                    f"</message><createdAt>2020-01-02T{minute // 60:02d}:{minute % 60:02d}:"
                    f"{second:02d}Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>"
                    f"<author><name>Reader {user}</name><isAnonymous>{str(r % 2 == 0).lower()}"
                    f"</isAnonymous><username>{user}</username></author>"
                    f'<thread dsq:id="t{t}"/>{parent_xml}</post>\n'
                )
        out.write("</disqus>\n")
    return threads * per_thread


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A migrated database for child processes, on the same engine as the suite."""
    if connection.vendor == "postgresql":
        import psycopg

        settings = connection.settings_dict
        name = f"bs_import_child_{uuid.uuid4().hex[:10]}"
        server = (
            f"postgres://{settings['USER']}"
            + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
            + f"@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        )
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{server}/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=_env(url),
        check=True,
        timeout=300,
    )
    yield url
    if connection.vendor == "postgresql":
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        **extra,
    }


def _count(url: str) -> int:
    if url.startswith("sqlite:///"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
        try:
            return db.execute("SELECT count(*) FROM discussion_comment").fetchone()[0]
        finally:
            db.close()
    import psycopg

    with psycopg.connect(url) as db:
        return db.execute("SELECT count(*) FROM discussion_comment").fetchone()[0]


def _import(url: str, archive: Path, **extra: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(archive)],
        cwd=ROOT,
        env=_env(url, **extra),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_peak_memory_does_not_grow_with_the_file(tmp_path: Path, database_url: str):
    small = tmp_path / "small.xml"
    large = tmp_path / "large.xml"
    small_count = write_disqus(small, threads=150, per_thread=100, body_bytes=1200)
    large_count = write_disqus(large, threads=300, per_thread=100, body_bytes=1200)
    assert large.stat().st_size > 1.9 * small.stat().st_size > 30 * 1024 * 1024

    small_run = _import(database_url, small)
    large_run = _import(database_url, large)

    assert small_run["created"] == small_count
    # The second file repeats the first one's thread and post ids: those are already there.
    assert large_run["created"] == large_count - small_count
    ratio = large_run["peak_kb"] / small_run["peak_kb"]
    print(
        f"peak RSS {small_run['peak_kb'] / 1024:.0f} MB for {small.stat().st_size >> 20} MB, "
        f"{large_run['peak_kb'] / 1024:.0f} MB for {large.stat().st_size >> 20} MB"
    )
    assert ratio < 1.3, f"twice the file cost {ratio:.2f} times the memory"


def test_a_killed_import_leaves_whole_threads_and_a_rerun_completes_it(
    tmp_path: Path, database_url: str
):
    per_thread = 60
    archive = tmp_path / "archive.xml"
    total = write_disqus(archive, threads=40, per_thread=per_thread, body_bytes=100)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(archive)],
        cwd=ROOT,
        env=_env(database_url, IMPORT_PAUSE="0.03"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while _count(database_url) < 3 * per_thread:
            assert child.poll() is None, (
                child.stderr.read().decode()[-3000:] if child.stderr else ""
            )
            assert time.monotonic() < deadline, "the import never got going"
            time.sleep(0.05)
        # Mid-thread: each thread is written in six chunks with a pause after each.
        time.sleep(0.1)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        if child.stderr:
            child.stderr.close()

    after_crash = _count(database_url)
    assert 0 < after_crash < total
    assert after_crash % per_thread == 0, "a thread was left half imported"

    rerun = _import(database_url, archive)

    assert rerun["created"] == total - after_crash
    assert _count(database_url) == total
    assert _import(database_url, archive)["created"] == 0
