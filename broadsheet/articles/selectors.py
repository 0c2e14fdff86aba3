"""Reads of articles: only what is published and due is public; editors see drafts."""

from django.db.models import QuerySet

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
    qs = Article.objects.select_related("author", "thread").prefetch_related("tags")
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
    author = User.objects.filter(pk=author_id, articles__status=ArticleStatus.PUBLISHED).first()
    if author is None:
        raise NotFound("There is no such author.")
    return author
