"""Builds the benchmark's content in the database the environment names; prints its facts.

    DJANGO_SETTINGS_MODULE=config.settings.production ... python bench/seed.py 60 1000 10000

One published article per size whose thread holds that many comments (30 %
replies to an earlier comment, bodies of 50-800 characters of Markdown, two
thirds by registered readers, a third by guests, random vote tallies), loaded
through the bulk loader (the same rendering and sanitizing as the intake), and
one more article, `bench-posting`, whose small thread takes the posting
benchmark's comments. The last line of output is `BENCH-FACTS {json}`.
"""

import json
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django

django.setup()

from broadsheet.accounts.models import User  # noqa: E402
from broadsheet.articles.services import article_save  # noqa: E402
from broadsheet.core.clock import now  # noqa: E402
from broadsheet.discussion.bulk import CommentRecord, load_comments  # noqa: E402
from broadsheet.discussion.models import Comment  # noqa: E402

REPLY_SHARE = 0.30
POSTING_SEED = 20
WORDS = (
    "council", "harbour", "tram", "plan", "budget", "ferry", "quay", "residents", "vote",
    "delay", "cost", "street", "bus", "parking", "market", "bridge", "school", "years",
    "promise", "report", "meeting", "minutes", "mayor", "taxes", "rent", "housing", "cyclists",
    "drivers", "traffic", "summer", "flood", "wall", "tender", "contract", "audit", "timetable",
    "station", "library", "closure", "petition", "consultation", "developer", "heritage",
    "noise", "night", "shift", "workers",
)  # fmt: skip
GUEST_NAMES = ["Ana", "Ben", "Cleo", "Dev", "Esme", "Farid", "Gus", "Hana", "Ivo", "June"]


def markdown_body(rng: random.Random, serial: str) -> str:
    """50-800 characters of Markdown: sentences with emphasis, links, a quote or a list."""
    target = rng.randint(50, 800)
    parts: list[str] = []
    if rng.random() < 0.15:
        parts.append("> " + " ".join(rng.choices(WORDS, k=rng.randint(4, 12))) + ".\n")
    while sum(len(p) + 1 for p in parts) < target:
        words = rng.choices(WORDS, k=rng.randint(6, 18))
        roll = rng.random()
        if roll < 0.15:
            words[0] = f"*{words[0]}*"
        elif roll < 0.25:
            words[-1] = f"**{words[-1]}**"
        elif roll < 0.30:
            words[1] = f"[{words[1]}](https://example.org/{words[1]})"
        elif roll < 0.35:
            words[2] = f"`{words[2]}`"
        sentence = " ".join(words).capitalize() + "."
        if rng.random() < 0.08:
            sentence = "\n- " + sentence + "\n- " + " ".join(rng.choices(WORDS, k=5)) + "\n"
        elif rng.random() < 0.2:
            sentence += "\n\n"
        parts.append(sentence)
    body = " ".join(parts)[: target - len(serial) - 1].rstrip()
    return f"{body} {serial}"


def records(count: int, *, rng: random.Random, readers: list[User], tag: str) -> list:
    start = now() - timedelta(days=2)
    step = timedelta(days=2) / max(count, 1)
    out: list[CommentRecord] = []
    for index in range(count):
        parent = None
        if index and rng.random() < REPLY_SHARE:
            parent = out[rng.randrange(index)].key
        author = rng.choice(readers) if rng.random() < 2 / 3 else None
        out.append(
            CommentRecord(
                key=f"{tag}-{index}",
                body=markdown_body(rng, f"({tag} #{index})"),
                created_at=start + step * index,
                parent_key=parent,
                author=author,
                guest_name="" if author else rng.choice(GUEST_NAMES),
                upvotes=rng.randint(0, 30),
                downvotes=rng.randint(0, 10),
            )
        )
    return out


def thread_facts(article, sample: int = 50) -> dict:
    ids = list(
        Comment.objects.filter(thread=article.thread, depth=0)
        .order_by("seq")
        .values_list("id", flat=True)[:sample]
    )
    return {
        "slug": article.slug,
        "path": article.get_absolute_url(),
        "thread": article.thread_id,
        "comments": Comment.objects.filter(thread=article.thread).count(),
        "top_ids": ids,
    }


def main(sizes: list[int]) -> None:
    rng = random.Random(8)
    editor = User.objects.create_user(
        email="bench-editor@example.com", display_name="Bench Editor", is_staff=True
    )
    readers = [
        User.objects.create_user(
            email=f"bench-reader{n}@example.com",
            display_name=f"Bench Reader {n}",
            email_verified_at=now(),
        )
        for n in range(40)
    ]
    body = "\n\n".join(markdown_body(rng, "") for _ in range(8))
    facts: dict = {"sizes": {}}
    for size in sizes:
        article = article_save(
            title=f"A story with {size:,} comments",
            slug=f"bench-{size}",
            body=body,
            author=editor,
            status="published",
        )
        load_comments(
            thread=article.thread,
            records=records(size, rng=rng, readers=readers, tag=f"b{size}"),
        )
        facts["sizes"][str(size)] = thread_facts(article)
        print(f"seeded {size} comments", flush=True)
    posting = article_save(
        title="Where the posting benchmark writes",
        slug="bench-posting",
        body=body,
        author=editor,
        status="published",
    )
    load_comments(
        thread=posting.thread, records=records(POSTING_SEED, rng=rng, readers=readers, tag="post")
    )
    facts["posting"] = thread_facts(posting)
    print("BENCH-FACTS " + json.dumps(facts), flush=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [60, 1000, 10000])
