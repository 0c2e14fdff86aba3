"""Comment HTML, rendered by Jinja2.

A first page lists up to 300 comments. Django's template language, including
one template per comment, spent about 100 ms on such a page, most of a cold
render; the same markup from one compiled Jinja2 macro takes a fraction of it.
Everything else stays in Django templates: they call `{% comments nodes %}`,
and views that answer with one comment call `render_comments`.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment, StrictUndefined, Template

from broadsheet.discussion.trees import CommentNode
from broadsheet.web.formats import ago, avatar_url, iso, stamp

# What the comment markup reads from its page's context.
PAGE_KEYS = ("comments_prefix", "article_author_id", "site_name", "cacheable", "thread_open")


def environment(**options: Any) -> Environment:
    """The Jinja2 environment (TEMPLATES' jinja2 backend): the site's filters, and a
    missing name is an error rather than an empty string."""
    options.pop("autoescape", None)
    options["undefined"] = StrictUndefined
    env = Environment(autoescape=True, **options)
    env.filters.update(avatar_url=avatar_url, stamp=stamp, iso=iso, ago=ago)
    return env


def _template() -> Template:
    # The environment keeps compiled templates (and reloads them under DEBUG).
    return engines["jinja2"].env.get_template("discussion/comments.html")


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
    html = _template().render(
        nodes=[nodes] if isinstance(nodes, CommentNode) else nodes,
        csrf_input=csrf,
        mutes_url=reverse("web:mutes"),
        **values,
    )
    return mark_safe(html)  # autoescaped by the environment
