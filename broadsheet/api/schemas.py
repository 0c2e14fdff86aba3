"""What the API answers, field by field: no e-mail, address or guest hash is ever listed."""

from datetime import datetime

from ninja import Field, Schema


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


class CommentIn(Schema):
    body: str = Field(max_length=100_000)
    parent: int | None = None
    name: str = Field("", max_length=1000, description="A guest's name; ignored when signed in")
    email: str = Field("", max_length=1000, description="A guest's e-mail; never shown")
    notify: bool = False


class SubmittedOut(Schema):
    id: int
    parent: int | None
    status: str
    message: str
    comment: CommentOut | None


class VoteIn(Schema):
    value: int = Field(ge=-1, le=1, description="1 up, -1 down, 0 withdraws the vote")


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
