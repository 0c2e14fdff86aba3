"""Comment HTML, rendered by Jinja2 and kept per comment on shared pages.

A first page lists up to 300 comments. Django's template language, including
one template per comment, spent about 100 ms on such a page, most of a cold
render; the same markup from one compiled Jinja2 macro takes a fraction of it.
Everything else stays in Django templates: they call `{% comments nodes %}`,
and views that answer with one comment call `render_comments`.

Under a stream of posts a big thread's shared first page is rendered again after
every one, while nearly all of its 300 comments are unchanged. So on shared
(`cacheable`) pages each comment's markup is kept in this process, keyed by its
`CommentView`: every value the macro reads of the comment, the page's names
and the time zone, so a key that matches is the same markup (the macro is given
nothing else). "5 minutes ago" is part of the view, so that text stays current.
Pages with per-reader parts (a CSRF token differs per request) are not kept.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, StrictUndefined, Template

from broadsheet.discussion.models import CommentStatus
from broadsheet.discussion.trees import CommentNode
from broadsheet.web.formats import ago, avatar_src, avatar_url, iso, stamp

# What the comment markup reads from its page's context.
PAGE_KEYS = ("comments_prefix", "article_author_id", "site_name", "cacheable", "thread_open")
# Comments' markup kept per process: about 2.5 KB each, so some 10 MB.
KEPT_COMMENTS = 4096


class CommentView(NamedTuple):
    """All the comment markup reads of one comment, and so the key its HTML is kept under."""

    pk: int
    depth: int
    status: str
    status_label: str
    tombstone: bool
    show_body: bool
    focused: bool
    held: bool
    muted: bool
    own: bool
    can_edit: bool
    my_vote: int
    replying_to: str
    author_id: int | None
    name: str
    staff: bool
    avatar_key: str
    has_guest_key: bool
    body_html: str
    created_at: datetime
    ago: str
    edited_at: datetime | None
    upvotes: int
    downvotes: int


def comment_view(node: CommentNode) -> CommentView:
    c = node.comment
    author = c.author if c.author_id else None
    status = str(c.status)
    return CommentView(
        pk=c.pk,
        depth=c.depth,
        status=status,
        status_label=CommentStatus(status).label,
        tombstone=node.is_tombstone,
        show_body=node.show_body,
        focused=node.focused,
        held=node.awaiting_moderation,
        muted=node.muted,
        own=node.is_own,
        can_edit=node.can_edit,
        my_vote=node.my_vote,
        replying_to=node.replying_to,
        author_id=c.author_id,
        name=author.display_name if author else c.guest_name,
        staff=bool(author and author.is_staff),
        avatar_key=author.avatar_key if author else "",
        has_guest_key=bool(c.guest_key_hash),
        body_html=c.body_html,
        created_at=c.created_at,
        ago=ago(c.created_at),
        edited_at=c.edited_at,
        upvotes=c.upvotes,
        downvotes=c.downvotes,
    )


def environment(**options: Any) -> Environment:
    """The Jinja2 environment (TEMPLATES' jinja2 backend): the site's filters, and a
    missing name is an error rather than an empty string."""
    options.pop("autoescape", None)
    options["undefined"] = StrictUndefined
    env = Environment(autoescape=True, **options)
    env.filters.update(avatar_url=avatar_url, avatar_src=avatar_src, stamp=stamp, iso=iso, ago=ago)
    return env


def _template() -> Template:
    # The environment keeps compiled templates (and reloads them under DEBUG).
    return engines["jinja2"].env.get_template("discussion/comments.html")


@lru_cache(maxsize=16)
def _kept_module(names: tuple[tuple[str, Any], ...]) -> Any:
    return _template().make_module(dict(names))


@lru_cache(maxsize=KEPT_COMMENTS)
def _kept_head(names: tuple[tuple[str, Any], ...], view: CommentView) -> str:
    return str(_kept_module(names).head(view))


def render_comments(
    nodes: CommentNode | Iterable[CommentNode],
    page: Mapping[str, Any],
    request: HttpRequest | None = None,
) -> SafeString:
    """The <li> of each node with its replies; `page` gives PAGE_KEYS (a missing one is
    None). A page that is not shared (not `cacheable`) gets CSRF fields in its vote forms."""
    values = {key: page.get(key) for key in PAGE_KEYS}
    csrf = ""
    if not values["cacheable"] and request is not None:
        csrf = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
    values.update(csrf_input=csrf, mutes_url=reverse("web:mutes"))
    if values["cacheable"] and settings.BROADSHEET_KEEP_COMMENT_MARKUP and not settings.DEBUG:
        # stamp and iso write times in the current zone.
        names = (*values.items(), ("zone", timezone.get_current_timezone_name()))
        module = _kept_module(names)

        def head(view: CommentView) -> str:
            return _kept_head(names, view)

    else:
        module = _template().make_module(values)

        def head(view: CommentView) -> str:
            return str(module.head(view))

    parts: list[str] = []

    def add(node: CommentNode) -> None:
        view = comment_view(node)
        parts.append(head(view))
        if node.children:
            parts.append('<ol class="replies">')
            for child in node.children:
                add(child)
            parts.append("</ol>")
        if node.more_replies > 0:
            parts.append(str(module.more(view.pk, node.more_replies)))
        parts.append("</li>")

    for node in [nodes] if isinstance(nodes, CommentNode) else nodes:
        add(node)
    return mark_safe("".join(parts))  # autoescaped by the environment
