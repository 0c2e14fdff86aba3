"""The one loader every format goes through: stage the parsed archive, then write it per thread.

Pass 1 streams the parser's records into the staging database (staging.py),
so memory does not grow with the file. Pass 2 takes one thread at a time:
its people become profiles, its page or article becomes a thread, its
comments are put parents first (ordering.py) and written by the bulk loader,
which renders and sanitizes them as the intake does. Each thread is one
transaction: a crash leaves whole threads or none, and since every comment
keeps its source id (`import_key`), running the import again adds only what
is missing.
"""

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from broadsheet.accounts.models import User
from broadsheet.articles.models import Article, Tag
from broadsheet.articles.services import article_save, tags_get_or_create
from broadsheet.core.addresses import address_hash
from broadsheet.core.clock import now
from broadsheet.core.errors import BroadsheetError, InvalidInput
from broadsheet.core.text import normalize_newlines
from broadsheet.discussion.bulk import CommentRecord, load_comments
from broadsheet.discussion.models import CommentStatus, Thread
from broadsheet.discussion.services import thread_get_or_create, thread_update
from broadsheet.moderation.intake import email_hash
from broadsheet.moderation.pipeline import Check

from .ordering import parents_first
from .profiles import clean_name, profiles_get_or_create
from .records import ImportedComment, ImportedThread, ImportedUser, Record, Skipped
from .report import ImportReport, ThreadReport
from .screening import import_checks, screen
from .staging import StagedComment, Staging

logger = logging.getLogger(__name__)

# Records per bulk-loader call: bounds the size of its `IN (...)` lookups.
CHUNK = 1000
IMPORT_KEY_MAX_LENGTH = 200
GUEST_NAME_MAX_LENGTH = 100
ANONYMOUS = "Anonymous"
# Control characters (but tab and newline) and lone surrogates.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

# progress(stage, done, total): stage "reading" counts bytes, "loading" comments.
Progress = Callable[[str, int, int | None], None]


def import_key(source: str, key: str) -> str:
    """The comment's source id, namespaced by format, within the column's length."""
    value = f"{source}:{key}"
    if len(value) > IMPORT_KEY_MAX_LENGTH:
        value = f"{source}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return value


def clean_body(body: str) -> str:
    """Source text as the intake would store it, minus what no renderer can show."""
    return _UNSHOWABLE.sub("", normalize_newlines(body)).strip()


def load_records(
    *,
    records: Iterable[Record],
    source: str,
    moderate: bool = False,
    progress: Progress | None = None,
    staging_dir: Path | None = None,
) -> ImportReport:
    """Stages `records`, then writes them thread by thread; returns what happened."""
    started = time.monotonic()
    report = ImportReport(format=source)
    with Staging(staging_dir) as staging:
        _stage(records, staging, report)
        total = staging.comments_staged
        for thread_key, count in staging.stray_comments():
            report.skip(
                f"{count:,} comment(s) of thread {thread_key}", "that thread is not in the archive"
            )
            total -= count
        loader = _ThreadLoader(
            source=source,
            staging=staging,
            report=report,
            checks=import_checks() if moderate else (),
            now=now(),
        )
        done = 0
        for imported in staging.threads():
            staged = staging.comments(imported.key)
            loader.load(imported, staged)
            done += len(staged)
            if progress:
                progress("loading", done, total)
    report.seconds = time.monotonic() - started
    return report


def _stage(records: Iterable[Record], staging: Staging, report: ImportReport) -> None:
    for record in records:
        if isinstance(record, ImportedComment):
            staging.add_comment(
                record,
                email_hash=email_hash(record.guest_email) if record.guest_email else "",
                address_hash=address_hash(record.address) if record.address else "",
            )
        elif isinstance(record, ImportedUser):
            staging.add_user(record)
        elif isinstance(record, ImportedThread):
            staging.add_thread(record)
        elif isinstance(record, Skipped):
            report.skip(record.item, record.reason)
    staging.finish()
    report.comments_read = staging.comments_offered
    repeated = staging.comments_offered - staging.comments_staged
    if repeated:
        report.skip(
            f"{repeated:,} comment(s)", "their ids repeat an earlier comment's; the first was kept"
        )
    repeated = staging.threads_offered - staging.threads_staged
    if repeated:
        report.skip(
            f"{repeated:,} thread(s)", "their ids repeat an earlier thread's; the first was kept"
        )


class _ThreadLoader:
    """Writes one staged thread at a time, each in its own transaction."""

    def __init__(
        self,
        *,
        source: str,
        staging: Staging,
        report: ImportReport,
        checks: Sequence[Check],
        now: datetime,
    ) -> None:
        self.source = source
        self.staging = staging
        self.report = report
        self.checks = checks
        self.now = now
        self.rerooted = 0  # in the thread being loaded

    def load(self, imported: ImportedThread, staged: list[StagedComment]) -> None:
        label = f"thread {imported.key}"
        if not staged and imported.article is None:
            self.report.skip(label, "it has no comments")
            return
        try:
            with transaction.atomic():
                thread_report = self._load(imported, staged)
        except BroadsheetError as error:
            self.report.skip(f"{label} ({imported.url or imported.title})", error.message)
            logger.warning("Import skipped %s: %s", label, error.message)
            return
        self.report.add_thread(thread_report)

    def _load(self, imported: ImportedThread, staged: list[StagedComment]) -> ThreadReport:
        wanted = {s.comment.author_key for s in staged if s.comment.author_key}
        if imported.article is not None:
            wanted.add(imported.article.author_key)
        people = self.staging.users(wanted)
        users, created = profiles_get_or_create(people=people.values(), source=self.source)
        self.report.users_created += created
        self.rerooted = 0
        thread = self._thread(imported, users)
        records, parents = self._records(imported, staged, users)
        created = existing = 0
        orphans: list[str] = []
        for start in range(0, len(records), CHUNK):
            result = load_comments(thread=thread, records=records[start : start + CHUNK])
            created += result.created
            existing += result.skipped_existing
            orphans.extend(result.orphans)
        for key in orphans:
            source_key = key.split(":", 1)[1]
            self._problem(
                imported,
                source_key,
                f"its parent {parents.get(key)} is not in the archive; made top-level",
                rerooted=True,
            )
        return ThreadReport(
            key=imported.key,
            title=thread.title or thread.key,
            created=created,
            skipped_existing=existing,
            orphans=self.rerooted,
        )

    def _problem(self, thread: ImportedThread, key: str, reason: str, *, rerooted: bool) -> None:
        item = f"comment {key} in thread {thread.key}"
        self.rerooted += rerooted
        (self.report.orphan if rerooted else self.report.repaired)(item, reason)
        logger.info("Import: %s: %s", item, reason)

    def _thread(self, imported: ImportedThread, users: dict[str, User]) -> Thread:
        if imported.article is not None:
            return self._article_thread(imported, users)
        url = imported.url.strip()
        if not url:
            raise InvalidInput("It has no page address.", code="no_url")
        if len(url) > 500:
            raise InvalidInput("Its page address is over 500 characters long.", code="url_too_long")
        existing = Thread.objects.filter(key=url).first()
        if existing is not None:
            return existing
        thread = thread_get_or_create(key=url, title=clean_name(imported.title, limit=300))
        if imported.status or imported.premoderated:
            thread = thread_update(
                thread=thread,
                status=imported.status,
                premoderated=imported.premoderated or None,
            )
        self.report.threads_created += 1
        return thread

    def _article_thread(self, imported: ImportedThread, users: dict[str, User]) -> Thread:
        article = imported.article
        assert article is not None
        title = clean_name(article.title, limit=200)
        slug = (article.slug or slugify(title))[:200]
        if not slug:
            raise InvalidInput("Its article has no title to make an address from.", code="no_slug")
        existing = Article.objects.filter(slug=slug).select_related("thread").first()
        if existing is not None:
            return existing.thread
        author = users.get(article.author_key)
        if author is None:
            raise InvalidInput(
                f"Its article's author ({article.author_key}) is not in the archive.",
                code="no_author",
            )
        tags = [
            Tag.objects.filter(slug=tag_slug).first() or tags_get_or_create(names=[name])[0]
            for tag_slug, name in article.tags
        ]
        saved = article_save(
            title=title,
            body=clean_body(article.body),
            author=author,
            slug=slug,
            dek=clean_name(article.dek, limit=400),
            status=article.status,
            published_at=article.published_at,
            tags=tags,
            image_url=article.image_url if len(article.image_url) <= 200 else "",
            discussion_status=imported.status,
            premoderated=imported.premoderated or None,
        )
        self.report.articles_created += 1
        self.report.threads_created += 1
        return saved.thread

    def _records(
        self, imported: ImportedThread, staged: list[StagedComment], users: dict[str, User]
    ) -> tuple[list[CommentRecord], dict[str, str]]:
        """Bulk-loader records, parents first; and the source parent of each external reply."""
        order: Sequence[int] = range(len(staged))
        if not imported.ordered:
            order = sorted(order, key=lambda n: (staged[n].comment.created_at or self.now, n))
        by_key = {s.comment.key: s for s in staged}
        placed, repairs = parents_first(
            [(staged[n].comment.key, staged[n].comment.parent_key) for n in order],
            max_depth=settings.BROADSHEET_MAX_DEPTH,
        )
        for repair in repairs:
            self._problem(imported, repair.key, repair.reason, rerooted=repair.rerooted)
        records: list[CommentRecord] = []
        external: dict[str, str] = {}
        for place in placed:
            item = by_key[place.key]
            comment = item.comment
            key = import_key(self.source, comment.key)
            parent_key = import_key(self.source, place.parent_key) if place.parent_key else None
            if place.parent_key and place.parent_key not in by_key:
                external[key] = place.parent_key
            records.append(self._record(imported, item, key, parent_key, users))
        return records, external

    def _record(
        self,
        imported: ImportedThread,
        item: StagedComment,
        key: str,
        parent_key: str | None,
        users: dict[str, User],
    ) -> CommentRecord:
        comment = item.comment
        author = users.get(comment.author_key) if comment.author_key else None
        guest_name = ""
        if author is None:
            guest_name = clean_name(comment.guest_name, limit=GUEST_NAME_MAX_LENGTH) or ANONYMOUS
            if comment.author_key:
                self._problem(
                    imported,
                    comment.key,
                    f"its author {comment.author_key} is not in the archive; kept as a guest",
                    rerooted=False,
                )
        body = clean_body(comment.body)
        status = CommentStatus(comment.status)
        if not body and status != CommentStatus.DELETED:
            status = CommentStatus.DELETED
            self._problem(
                imported,
                comment.key,
                "it has no text; kept as a deleted tombstone so replies keep their place",
                rerooted=False,
            )
        reasons: tuple[dict, ...] = ()
        if self.checks:
            status, reasons = screen(
                body=body,
                status=status,
                is_guest=author is None,
                is_reply=parent_key is not None,
                author_is_staff=bool(author and author.is_staff),
                checks=self.checks,
            )
        return CommentRecord(
            key=key,
            body=body,
            created_at=comment.created_at or self.now,
            parent_key=parent_key,
            author=author,
            guest_name=guest_name,
            status=status,
            upvotes=comment.upvotes,
            downvotes=comment.downvotes,
            guest_email_hash=item.email_hash if author is None else "",
            address_hash=item.address_hash,
            edited_at=comment.edited_at,
            reasons=reasons,
        )
