"""What the API answers, field by field: no e-mail, address or guest hash is ever listed."""

from datetime import datetime
from enum import StrEnum

from ninja import Field, Schema

from broadsheet.moderation.models import FlagReason


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorBody


class ThreadOut(Schema):
    id: int
    url: str
    title: str
    status: str
    premoderated: bool
    comment_count: int
    top_level_count: int


class CountsOut(Schema):
    counts: dict[str, int]


class CommentOut(Schema):
    id: int
    parent: int | None
    depth: int
    author: str
    guest: bool
    html: str
    created_at: datetime
    edited_at: datetime | None
    upvotes: int
    downvotes: int
    status: str = Field(description="published, held (the viewer's own), deleted or removed")
    is_own: bool
    can_edit: bool
    my_vote: int
    replying_to: str
    more_replies: int
    replies: list["CommentOut"]


CommentOut.model_rebuild()


class CommentsPageOut(Schema):
    thread: ThreadOut
    sort: str
    comments: list[CommentOut]
    next_cursor: str | None
    previous_cursor: str | None


# Request bodies are validated strictly (`strict=True` on numbers and flags): `true` is not a
# vote and "1" is not a parent id, as the schema says; such a body is a 422, not a guess.


class CommentIn(Schema):
    body: str = Field(max_length=100_000)
    parent: int | None = Field(
        None, ge=1, le=2**63 - 1, strict=True, description="The comment replied to"
    )
    name: str = Field("", max_length=1000, description="A guest's name; ignored when signed in")
    email: str = Field("", max_length=1000, description="A guest's e-mail; never shown")
    notify: bool = Field(False, strict=True)


class SubmittedOut(Schema):
    id: int
    parent: int | None
    status: str
    message: str
    comment: CommentOut | None


class VoteIn(Schema):
    value: int = Field(ge=-1, le=1, strict=True, description="1 up, -1 down, 0 withdraws the vote")


class VoteOut(Schema):
    id: int
    upvotes: int
    downvotes: int
    my_vote: int


class ArticleOut(Schema):
    slug: str
    title: str
    dek: str
    url: str
    author: str
    image_url: str
    published_at: datetime
    updated_at: datetime
    thread_id: int | None
    comment_count: int | None


class ArticleDetailOut(ArticleOut):
    html: str
    tags: list[str]


class ArticlesOut(Schema):
    articles: list[ArticleOut]
    page: int
    has_next: bool


class CommentEditIn(Schema):
    body: str = Field(max_length=100_000)


class EditedOut(Schema):
    id: int
    status: str = Field(description="published, or held when the checks (or a moderator) hold it")
    comment: CommentOut


class DeletedOut(Schema):
    id: int
    deleted: bool
    tombstone: bool = Field(description="True: replies hang under it, so a [deleted] mark stays")


class FlagIn(Schema):
    reason: FlagReason
    note: str = Field("", max_length=2000, description="Required when the reason is other")


class FlagOut(Schema):
    id: int
    flagged: bool
    held: bool = Field(description="The flags now weigh enough to hold it for the moderators")
    message: str


class QueueThreadOut(Schema):
    id: int
    url: str
    title: str


class ReasonOut(Schema):
    check: str
    outcome: str
    reason: str
    score: float | None


class QueueFlagOut(Schema):
    id: int
    reason: str
    note: str
    weight: float
    created_at: datetime


class DecisionOut(Schema):
    id: int
    kind: str
    reason: str
    actor: str
    created_at: datetime
    reverted: bool


class RecentOut(Schema):
    id: int
    status: str
    excerpt: str
    thread_title: str
    created_at: datetime


class HistoryOut(Schema):
    counts: dict[str, int]
    trust_level: int | None
    recent: list[RecentOut]
    decisions: list[DecisionOut]


class QueueItemOut(Schema):
    id: int
    thread: QueueThreadOut
    parent: int | None
    author: str
    author_id: int | None
    guest: bool
    status: str
    shadowed: bool
    featured: bool
    risk: float
    flag_weight: float
    created_at: datetime
    edited_at: datetime | None
    body: str
    html: str
    reasons: list[ReasonOut]
    flags: list[QueueFlagOut]
    history: HistoryOut


class QueueCountsOut(Schema):
    held: int
    flagged: int
    rejected: int


class QueueOut(Schema):
    tab: str
    query: str
    page: int
    total: int
    has_next: bool
    counts: QueueCountsOut
    items: list[QueueItemOut]


class ModerationVerb(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    SPAM = "spam"
    FEATURE = "feature"
    UNFEATURE = "unfeature"


class ModerationIn(Schema):
    action: ModerationVerb
    reason: str = Field("", max_length=2000, description="Required to reject; the author sees it")


class ActionOut(Schema):
    id: int
    kind: str
    reason: str
    created_at: datetime


class ModerationOut(Schema):
    comment: int
    status: str
    featured: bool
    message: str
    action: ActionOut


class TokenInfoOut(Schema):
    name: str
    prefix: str
    scope: str


class MeOut(Schema):
    id: int
    display_name: str
    bio: str
    avatar_url: str | None = Field(description="The uploaded picture; null for the identicon")
    email_verified: bool
    is_moderator: bool
    is_staff: bool
    date_joined: datetime
    token: TokenInfoOut | None = Field(description="The API token this request came with")


class ExportThreadOut(Schema):
    id: int
    key: str
    title: str


class ExportCommentOut(Schema):
    id: int
    thread: ExportThreadOut
    parent: int | None
    body: str
    status: str
    created_at: datetime
    edited_at: datetime | None
    upvotes: int
    downvotes: int


class ExportProfileOut(Schema):
    id: int
    display_name: str
    bio: str
    email_verified_at: datetime | None
    date_joined: datetime
    last_login: datetime | None
    is_staff: bool
    avatar: dict[str, str]


class ExportOut(Schema):
    format: str
    version: int
    exported_at: datetime
    profile: ExportProfileOut
    comments: list[ExportCommentOut]
