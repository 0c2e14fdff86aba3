"""Reads of articles: only what is published and due is public; editors see drafts."""

from typing import NamedTuple

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from broadsheet.accounts.models import User
from broadsheet.accounts.viewers import Viewer
from broadsheet.core.clock import now
from broadsheet.core.errors import NotFound
from broadsheet.discussion.models import ThreadStatus

from .models import Article, ArticleStatus, Tag


def articles_live() -> QuerySet[Article]:
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED, published_at__lte=now())
        .select_related("author", "thread")
        .order_by("-published_at", "-pk")
    )


def articles_by_tag(*, tag: Tag) -> QuerySet[Article]:
    return articles_live().filter(tags=tag)


def articles_by_author(*, author: User) -> QuerySet[Article]:
    return articles_live().filter(author=author)


def article_get(*, slug: str, viewer: Viewer) -> Article:
    """A live article, or for staff any article (to preview drafts and scheduled ones)."""
    tags = Prefetch("tags", queryset=Tag.objects.order_by("name"))
    qs = Article.objects.select_related("author", "thread").prefetch_related(tags)
    if not (viewer.user and viewer.user.is_staff):
        qs = qs.filter(status=ArticleStatus.PUBLISHED, published_at__lte=now())
    try:
        return qs.get(slug=slug)
    except Article.DoesNotExist:
        raise NotFound("There is no such article.") from None


def discussion_visible(article: Article, viewer: Viewer) -> bool:
    return article.thread.status != ThreadStatus.HIDDEN or viewer.is_moderator


def tag_get(*, slug: str) -> Tag:
    try:
        return Tag.objects.get(slug=slug)
    except Tag.DoesNotExist:
        raise NotFound("There is no such tag.") from None


def author_get(*, author_id: int) -> User:
    """An author page exists once the person has a live article (not a draft or a scheduled one)."""
    author = authors_live().filter(pk=author_id).first()
    if author is None:
        raise NotFound("There is no such author.")
    return author


def authors_live() -> QuerySet[User]:
    """People with at least one live article: the author pages that exist."""
    live = articles_live().filter(author=OuterRef("pk"))
    return User.objects.filter(Exists(live)).order_by("pk")


def tags_live() -> QuerySet[Tag]:
    """Tags with at least one live article: the tag pages worth listing in the sitemap."""
    live = articles_live().filter(tags=OuterRef("pk"))
    return Tag.objects.filter(Exists(live)).order_by("slug")


class Revision(NamedTuple):
    article_id: int
    token: str  # changes with the article or its discussion
    thread_id: int
    thread_version: int


def article_revision(*, slug: str) -> Revision | None:
    """A live article's revision: one narrow query, enough to find a cached page and to
    answer a conditional GET."""
    row = (
        Article.objects.filter(slug=slug, status=ArticleStatus.PUBLISHED, published_at__lte=now())
        .values_list("pk", "updated_at", "thread__version", "thread__status", "thread_id")
        .first()
    )
    if row is None:
        return None
    pk, updated_at, version, thread_status, thread_id = row
    token = f"{pk}.{int(updated_at.timestamp())}.{version}.{thread_status}"
    return Revision(pk, token, thread_id, version)
