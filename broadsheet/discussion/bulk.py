"""The bulk loader: the one write path besides the intake, for demo content and importers.

Comments arrive as plain records with their own keys; parents are linked by
key. Bodies go through the same rendering and sanitizing as the intake; rows
are written in batches, a level of the tree at a time so parents have ids.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from broadsheet.accounts.models import User
from broadsheet.core.markup import render_comment

from .models import Comment, CommentStatus, Thread
from .positions import SEGMENT_WIDTH, child_path, depth_of, segment
from .services import reserve_positions, thread_recount
from .sorts import controversy, wilson_lower_bound

BATCH_SIZE = 1000


@dataclass(frozen=True)
class CommentRecord:
    key: str
    body: str
    created_at: datetime
    parent_key: str | None = None
    author: User | None = None
    guest_name: str = ""
    status: CommentStatus = CommentStatus.PUBLISHED
    upvotes: int = 0
    downvotes: int = 0
    # Importers: the keyed hashes the intake would have stored, the source's
    # edit time, and what the content checks said (with --moderate).
    guest_email_hash: str = ""
    address_hash: str = ""
    edited_at: datetime | None = None
    reasons: tuple[dict, ...] = ()


@dataclass(frozen=True)
class LoadReport:
    created: int
    skipped_existing: int
    orphans: tuple[str, ...]


def load_comments(*, thread: Thread, records: Iterable[CommentRecord]) -> LoadReport:
    """Adds records to the thread in one transaction; keys already there are skipped.

    A record whose parent is unknown is re-rooted as a top-level comment and
    reported as an orphan. Records must list parents before their children.
    """
    records = list(records)
    with transaction.atomic():
        # Comments already in the thread: ones this load repeats, and parents
        # that an earlier load brought.
        wanted = {r.key for r in records} | {r.parent_key for r in records if r.parent_key}
        known = dict(
            Comment.objects.filter(thread=thread, import_key__in=wanted).values_list(
                "import_key", "path"
            )
        )
        existing = {r.key for r in records if r.key in known}
        fresh = [r for r in records if r.key not in known]
        first_seq = reserve_positions(thread_id=thread.pk, count=len(fresh)) if fresh else 0
        paths = dict(known)
        orphans: list[str] = []
        levels: dict[int, list[tuple[CommentRecord, str]]] = {}
        for offset, record in enumerate(fresh):
            parent_path = paths.get(record.parent_key) if record.parent_key else None
            if record.parent_key and parent_path is None:
                orphans.append(record.key)
            seq = first_seq + offset
            path = child_path(parent_path, seq) if parent_path else segment(seq)
            paths[record.key] = path
            levels.setdefault(depth_of(path), []).append((record, path))
        ids_by_path: dict[str, tuple[int, int | None]] = {}
        if known:
            ids_by_path.update(
                (path, (pk, root))
                for path, pk, root in Comment.objects.filter(
                    thread=thread, path__in=list(known.values())
                ).values_list("path", "id", "root_id")
            )
        for depth in sorted(levels):
            rows = []
            for record, path in levels[depth]:
                parent_id = root_id = None
                if depth:
                    parent_id, parent_root = ids_by_path[path[:-SEGMENT_WIDTH]]
                    root_id = parent_root or parent_id
                rows.append(
                    Comment(
                        thread=thread,
                        parent_id=parent_id,
                        root_id=root_id,
                        path=path,
                        depth=depth,
                        seq=int(path[-SEGMENT_WIDTH:], 36),
                        author=record.author,
                        guest_name=record.guest_name if record.author is None else "",
                        guest_email_hash=record.guest_email_hash if record.author is None else "",
                        address_hash=record.address_hash,
                        body_source=record.body,
                        body_html=render_comment(record.body),
                        status=record.status,
                        created_at=record.created_at,
                        edited_at=record.edited_at,
                        moderation_reasons=list(record.reasons),
                        upvotes=record.upvotes,
                        downvotes=record.downvotes,
                        net_score=record.upvotes - record.downvotes,
                        best_score=wilson_lower_bound(record.upvotes, record.downvotes),
                        controversy=controversy(record.upvotes, record.downvotes),
                        import_key=record.key,
                    )
                )
            for start in range(0, len(rows), BATCH_SIZE):
                created = Comment.objects.bulk_create(rows[start : start + BATCH_SIZE])
                for comment in created:
                    ids_by_path[comment.path] = (comment.pk, comment.root_id)
        thread_recount(thread=thread)
    return LoadReport(created=len(fresh), skipped_existing=len(existing), orphans=tuple(orphans))
