"""Prepares the live server's database for the browser tests and reports what the tests need.

Run by the `live_server` fixture in a subprocess with the server's own environment
(settings, database), after `migrate` and `manage.py demo`:

    python tests/browser/site_facts.py [--seed-demo]

It always adds two quiet articles of its own, one with three guest comments, for
the posting tests. With --seed-demo (only when `manage.py demo` is not available) it
also makes a small stand-in for the demo: the admin login and a breaking story
with a reply chain deeper than ten levels. The last line of its output is
`BROWSER-FACTS <json>`: slugs, comment ids and the depth-10 comment.
"""

import json
import secrets
import sys
from datetime import timedelta
from pathlib import Path

FACTS_PREFIX = "BROWSER-FACTS "
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "broadsheet-demo"
DEEP_DEPTH = 10

QUIET_COMMENTS = [
    (
        "Odalys Pemberton-Vu",
        "The ferry timetable is the part nobody on the council has read.\n\n"
        "Ask anyone who commutes from the north shore.",
    ),
    ("Tobiah Quarrington", "I was at the meeting. The vote was closer than this makes it sound."),
    (
        "Wenonah Fairweather",
        "If the harbour plan passes, the fish market moves inland. That is the real story.",
    ),
]


def _setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    import django

    django.setup()


def _stand_in_demo() -> None:
    """A small stand-in for `manage.py demo`: the admin and a deep breaking story."""
    from broadsheet.accounts.models import User
    from broadsheet.articles.services import article_save
    from broadsheet.core.clock import now
    from broadsheet.discussion.bulk import CommentRecord, load_comments

    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None:
        admin = User.objects.create_superuser(
            ADMIN_EMAIL, ADMIN_PASSWORD, display_name="Demo Editor"
        )
    article = article_save(
        title="Breaking: the harbour bridge closes for a year",
        body="The city closed the bridge on Monday.\n\n> It is not safe, said the engineer.",
        author=admin,
        status="published",
        dek="Commuters face a year of detours.",
        tags=["city", "transport"],
    )
    start = now() - timedelta(hours=6)
    records: list[CommentRecord] = []
    for n in range(40):
        records.append(
            CommentRecord(
                key=f"top-{n}",
                body=f"Top-level opinion number {n} about the bridge closure and the detours.",
                created_at=start + timedelta(minutes=n),
                guest_name=f"Commuter {n}",
            )
        )
    parent = "top-3"
    for depth in range(1, 14):
        key = f"chain-{depth}"
        records.append(
            CommentRecord(
                key=key,
                body=f"A reply at depth {depth}: no, you are missing the point about the ferry.",
                created_at=start + timedelta(minutes=60 + depth),
                parent_key=parent,
                guest_name=f"Arguer {depth % 2}",
            )
        )
        parent = key
    load_comments(thread=article.thread, records=records)


def _quiet_article(*, comments: bool = True) -> dict:
    """An article of our own, with three guest comments, for the posting tests."""
    from broadsheet.accounts.models import User
    from broadsheet.articles.services import article_save
    from broadsheet.core.clock import now
    from broadsheet.discussion.bulk import CommentRecord, load_comments

    author = User.objects.filter(is_staff=True).order_by("pk").first()
    if author is None:
        author = User.objects.create_user(
            f"browser-author-{secrets.token_hex(4)}@example.com",
            secrets.token_urlsafe(16),
            display_name="Browser Test Desk",
            is_staff=True,
        )
    token = secrets.token_hex(3)
    article = article_save(
        title=f"Harbour plan: what the council left out ({token})",
        slug=f"browser-harbour-plan-{token}",
        body="The council met on *Tuesday*.\n\n> We will not be rushed, said the mayor.",
        author=author,
        status="published",
        published_at=now() - timedelta(days=400),
        dek="A quiet corner of the site for the browser tests.",
    )
    start = now() - timedelta(hours=2)
    load_comments(
        thread=article.thread,
        records=[
            CommentRecord(
                key=f"quiet-{i}",
                body=body,
                guest_name=name,
                created_at=start + timedelta(minutes=i),
            )
            for i, (name, body) in enumerate(QUIET_COMMENTS)
        ],
    )
    comments = article.thread.comments.order_by("path")
    return {
        "slug": article.slug,
        "url": article.get_absolute_url(),
        "comments": [{"id": c.pk, "name": c.guest_name, "body": c.body_source} for c in comments],
    }


def _breaking_story() -> dict:
    """The article with the largest discussion and a published comment at depth 10."""
    from broadsheet.articles.models import Article
    from broadsheet.discussion.models import Comment, CommentStatus

    article = Article.objects.select_related("thread").order_by("-thread__comment_count").first()
    if article is None:
        raise SystemExit("No articles: did `manage.py demo` run?")
    deep = None
    candidates = Comment.objects.filter(
        thread=article.thread, depth=DEEP_DEPTH, status=CommentStatus.PUBLISHED
    ).order_by("path")
    for candidate in candidates[:50]:
        prefixes = [candidate.path[:end] for end in range(6, len(candidate.path), 6)]
        ancestors = list(
            Comment.objects.filter(thread=article.thread, path__in=prefixes).order_by("path")
        )
        if all(a.status == CommentStatus.PUBLISHED for a in ancestors):
            deep = {
                "id": candidate.pk,
                "depth": candidate.depth,
                "ancestor_ids": [a.pk for a in ancestors],
            }
            break
    if deep is None:
        raise SystemExit(f"No published comment at depth {DEEP_DEPTH} in {article.slug!r}.")
    return {
        "slug": article.slug,
        "url": article.get_absolute_url(),
        "comment_count": article.thread.comment_count,
        "deep": deep,
    }


def main(argv: list[str]) -> None:
    _setup_django()
    if "--seed-demo" in argv:
        _stand_in_demo()
    facts = {
        "admin": {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        "quiet": _quiet_article(),
        "members_article": _quiet_article(comments=False),
        "breaking": _breaking_story(),
        "demo_stand_in": "--seed-demo" in argv,
    }
    print(FACTS_PREFIX + json.dumps(facts))


if __name__ == "__main__":
    main(sys.argv[1:])
