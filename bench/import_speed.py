"""Importer speed and peak memory on generated 100,000-comment archives, one per format.

    .venv/bin/python bench/import_speed.py [--comments 100000] [--database-url URL]

Generates each archive in a temporary directory, migrates a fresh database
(a SQLite file unless --database-url names an empty PostgreSQL database), runs
`import_file` in a child process per format (so each peak RSS is its own) and
writes the table to bench/results/imports.md.
"""

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "imports.md"
PER_THREAD = 100
WORDS = [
    "council", "harbour", "tram", "plan", "budget", "ferry", "quay", "residents", "vote",
    "delay", "cost", "street", "bus", "parking", "market", "bridge", "school", "years",
    "promise", "report", "meeting", "minutes",
]  # fmt: skip

CHILD = """
import json, resource, sys, time
from pathlib import Path
import django
django.setup()
from broadsheet.importers.run import import_file
started = time.monotonic()
report = import_file(fmt=sys.argv[1], path=Path(sys.argv[2]), url=sys.argv[3] or None)
print(json.dumps({
    "created": report.comments_created,
    "seconds": time.monotonic() - started,
    "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 30))
    return " ".join(words).capitalize() + "."


def parent_of(rng: random.Random, index: int) -> int | None:
    """About half the comments answer an earlier one in the same thread."""
    return rng.randrange(index) if index and rng.random() < 0.5 else None


def write_disqus(path: Path, comments: int) -> None:
    rng = random.Random(1)
    threads = comments // PER_THREAD
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" ')
        out.write('xmlns:dsq="http://disqus.com/disqus-internals">\n')
        for t in range(threads):
            out.write(
                f'<thread dsq:id="{t}"><link>https://bench.example/{t}/</link>'
                f"<title>Story {t}</title></thread>\n"
            )
        # Posts interleaved across threads, as a site-wide export lists them by time.
        for r in range(PER_THREAD):
            for t in range(threads):
                parent = parent_of(rng, r)
                parent_xml = f'<parent dsq:id="{t}-{parent}"/>' if parent is not None else ""
                anonymous = rng.random() < 0.4
                user = f"reader{rng.randrange(5000)}"
                body = escape(" ".join(sentence(rng) for _ in range(rng.randint(1, 4))))
                out.write(
                    f'<post dsq:id="{t}-{r}"><message><![CDATA[<p>{body}</p>]]></message>'
                    f"<createdAt>2020-01-{1 + r // 24 % 28:02d}T{r % 24:02d}:00:00Z</createdAt>"
                    "<isDeleted>false</isDeleted><isSpam>false</isSpam>"
                    f"<author><name>Reader {user}</name><email>{user}@example.net</email>"
                    f"<isAnonymous>{str(anonymous).lower()}</isAnonymous>"
                    f"<username>{user}</username></author><ipAddress>192.0.2.{r % 250}"
                    f'</ipAddress><thread dsq:id="{t}"/>{parent_xml}</post>\n'
                )
        out.write("</disqus>\n")


def write_wordpress(path: Path, comments: int) -> None:
    rng = random.Random(2)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" ')
        out.write('xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Bench</title>\n')
        for t in range(comments // PER_THREAD):
            out.write(
                f"<item><title>Post {t}</title><link>https://wp.bench.example/{t}/</link>"
                f"<wp:post_id>{t}</wp:post_id><wp:post_type>post</wp:post_type>\n"
            )
            for r in range(PER_THREAD):
                parent = parent_of(rng, r)
                cid = t * PER_THREAD + r + 1
                parent_id = t * PER_THREAD + parent + 1 if parent is not None else 0
                body = escape("\n\n".join(sentence(rng) for _ in range(rng.randint(1, 4))))
                out.write(
                    f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
                    f"<wp:comment_author>Reader {rng.randrange(5000)}</wp:comment_author>"
                    f"<wp:comment_author_email>r{cid}@example.net</wp:comment_author_email>"
                    f"<wp:comment_author_IP>192.0.2.{r % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date_gmt>2020-01-01 {r % 24:02d}:00:00</wp:comment_date_gmt>"
                    f"<wp:comment_content>{body}</wp:comment_content>"
                    "<wp:comment_approved>1</wp:comment_approved>"
                    f"<wp:comment_type>comment</wp:comment_type>"
                    f"<wp:comment_parent>{parent_id}</wp:comment_parent>"
                    "<wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n"
                )
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def write_isso(path: Path, comments: int) -> None:
    rng = random.Random(3)
    db = sqlite3.connect(path)
    db.executescript((ROOT / "tests" / "fixtures" / "imports" / "isso.sql").read_text())
    db.execute("DELETE FROM comments")
    db.execute("DELETE FROM threads")
    rows = []
    for t in range(comments // PER_THREAD):
        db.execute("INSERT INTO threads VALUES (?, ?, ?)", (t + 1, f"/isso/{t}/", f"Post {t}"))
        for r in range(PER_THREAD):
            parent = parent_of(rng, r)
            cid = t * PER_THREAD + r + 1
            rows.append(
                (
                    t + 1, cid, t * PER_THREAD + parent + 1 if parent is not None else None,
                    1_600_000_000 + cid, None, 1, "192.0.2.0",
                    "\n\n".join(sentence(rng) for _ in range(rng.randint(1, 4))),
                    f"Reader {rng.randrange(5000)}", f"r{cid}@example.net", None, 0, 0, b"", 0,
                )
            )  # fmt: skip
    db.executemany(f"INSERT INTO comments VALUES ({','.join('?' * 15)})", rows)  # noqa: S608
    db.commit()
    db.close()


def write_jsonl(path: Path, comments: int) -> None:
    rng = random.Random(4)
    with path.open("w", encoding="utf-8") as out:

        def line(obj: dict) -> None:
            out.write(json.dumps(obj) + "\n")

        line({"type": "meta", "format": "broadsheet-jsonl", "version": 1, "exported_at": "2024"})
        for u in range(1, 2001):
            line(
                {"type": "user", "id": u, "display_name": f"Member {u}", "bio": "",
                 "is_staff": False, "date_joined": "2020-01-01T00:00:00+00:00"}
            )  # fmt: skip
        threads = comments // PER_THREAD
        for t in range(threads):
            line(
                {"type": "thread", "id": t + 1, "key": f"https://jsonl.bench.example/{t}/",
                 "title": f"Page {t}", "status": "open", "premoderated": False,
                 "created_at": "2020-01-01T00:00:00+00:00"}
            )  # fmt: skip
        for t in range(threads):
            for r in range(PER_THREAD):
                parent = parent_of(rng, r)
                cid = t * PER_THREAD + r + 1
                member = rng.random() < 0.6
                line(
                    {"type": "comment", "id": cid, "thread": t + 1,
                     "parent": t * PER_THREAD + parent + 1 if parent is not None else None,
                     "author": rng.randint(1, 2000) if member else None,
                     "guest_name": "" if member else f"Guest {rng.randrange(9000)}",
                     "body": " ".join(sentence(rng) for _ in range(rng.randint(1, 4))),
                     "status": "published", "created_at": f"2020-01-01T{r % 24:02d}:00:00+00:00",
                     "edited_at": None, "upvotes": rng.randrange(5), "downvotes": 0}
                )  # fmt: skip


def write_textarchive(path: Path, comments: int) -> None:
    """One page with every comment; a tenth of them open by quoting a recent comment."""
    rng = random.Random(5)
    texts: list[str] = []
    with path.open("w", encoding="utf-8") as out:
        out.write("The harbour tram, ten years on\nHelen Achterberg's picture\n\n")
        out.write('The council voted on Tuesday. "We will not be rushed," the mayor said.\n\n')
        for _ in range(comments):
            text = sentence(rng)
            if texts and rng.random() < 0.1:
                quoted = texts[max(0, len(texts) - rng.randint(1, 20))].rstrip(".")
                text = f'"{quoted}" {text}'
            texts.append(text)
            if rng.random() < 0.5:
                name = f"Guest {rng.randrange(9000)}"
                out.write(f"{name}'s picture\n{name} (not verified) Mar 5, 2024 4:07 PM\n")
            else:
                out.write(f"member{rng.randrange(3000)}'s picture\n")
            out.write(f"{text}\n\n")


FORMATS: dict[str, tuple[str, Callable[[Path, int], None], str]] = {
    "disqus": ("disqus.xml", write_disqus, ""),
    "wordpress": ("wordpress.xml", write_wordpress, ""),
    "isso": ("isso.db", write_isso, "https://isso.bench.example/"),
    "jsonl": ("broadsheet.jsonl", write_jsonl, ""),
    "textarchive": ("page.txt", write_textarchive, ""),
}


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }


def run(fmt: str, archive: Path, url: str, database_url: str) -> dict:
    env = _env(database_url)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, fmt, str(archive), url],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"{fmt} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def migrate(database_url: str) -> None:
    env = _env(database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--database-url", help="an empty, migrated-or-not PostgreSQL database")
    parser.add_argument("--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as scratch:
        work = Path(scratch)
        template = work / "template.sqlite3"
        if not args.database_url:
            migrate(f"sqlite:///{template}")
        for fmt in args.formats.split(","):
            name, write, url = FORMATS[fmt]
            archive = work / name
            started = time.monotonic()
            write(archive, args.comments)
            generated = time.monotonic() - started
            if args.database_url:
                database_url = args.database_url
                migrate(database_url)
            else:
                site = work / f"{fmt}.sqlite3"
                shutil.copy(template, site)
                database_url = f"sqlite:///{site}"
            result = run(fmt, archive, url, database_url)
            size = archive.stat().st_size / 2**20
            rate = result["created"] / result["seconds"]
            peak = result["peak_kb"] / 1024
            rows.append((fmt, result["created"], size, result["seconds"], rate, peak))
            print(
                f"{fmt:12} {result['created']:>7,} comments  {size:6.1f} MB  "
                f"{result['seconds']:6.1f} s  {rate:7,.0f} comments/s  peak {peak:5.0f} MB  "
                f"(generated in {generated:.1f} s)",
                flush=True,
            )
    engine = "PostgreSQL" if args.database_url else "SQLite (WAL)"
    lines = [
        "# Importer speed and peak memory",
        "",
        f"`bench/import_speed.py`: generated archives of {args.comments:,} comments "
        f"({PER_THREAD} per thread, about half of them replies), imported into an empty "
        f"{engine} site, one child process per format. Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs.",
        "",
        "| format | comments | file MB | seconds | comments/s | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {fmt} | {created:,} | {size:.1f} | {seconds:.1f} | {rate:,.0f} | {peak:.0f} |"
            for fmt, created, size, seconds, rate, peak in rows
        ),
        "",
        "Peak RSS is the whole process (Python, Django, the parser, the staging database's",
        "page cache and one thread's comments); `tests/integration/test_import_streaming.py`",
        "checks that it does not grow with the file.",
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines))
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
