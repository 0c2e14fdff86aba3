"""What every parser yields: plain records, no ORM, so parsers stay pure and testable.

Keys are the source's own ids, as strings. A comment names its thread and its
parent by those keys; the loader remaps them to database rows, so parent links
survive whatever order the source lists them in.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ImportedUser:
    """A registered commenter or author in the source; becomes a profile that can't sign in."""

    key: str
    display_name: str
    # Only Broadsheet's own export carries addresses; other sources' profiles
    # get a reserved, undeliverable one (see profiles.py).
    email: str = ""
    bio: str = ""
    date_joined: datetime | None = None
    # Text archives know people only by name: reuse a member with that name.
    match_by_name: bool = False


@dataclass(frozen=True)
class ImportedArticle:
    title: str
    body: str  # Markdown
    author_key: str
    slug: str = ""
    dek: str = ""
    status: str = "published"
    published_at: datetime | None = None
    # (slug, name) pairs.
    tags: tuple[tuple[str, str], ...] = ()
    image_url: str = ""


@dataclass(frozen=True)
class ImportedThread:
    """A discussion: under a page of another site (`url`) or under an imported article."""

    key: str
    url: str
    title: str = ""
    # open / closed / hidden; None leaves a new thread open. Never changes an existing thread.
    status: str | None = None
    premoderated: bool = False
    created_at: datetime | None = None
    article: ImportedArticle | None = None
    # The source lists comments in display order (a page): keep it rather than sort by time.
    ordered: bool = False


@dataclass(frozen=True)
class ImportedComment:
    key: str
    thread_key: str
    body: str  # Markdown source; HTML sources are converted by their parser
    created_at: datetime | None  # None: the import time
    parent_key: str | None = None
    author_key: str | None = None
    guest_name: str = ""
    # Raw values from the source; the loader keeps only their keyed hashes.
    guest_email: str = ""
    address: str = ""
    status: str = "published"  # a CommentStatus value
    edited_at: datetime | None = None
    upvotes: int = 0
    downvotes: int = 0


@dataclass(frozen=True)
class Skipped:
    """Something in the source that will not be imported, and why."""

    item: str
    reason: str


Record = ImportedUser | ImportedThread | ImportedComment | Skipped
