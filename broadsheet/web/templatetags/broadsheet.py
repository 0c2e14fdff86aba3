"""Template filters and tags for the site's own way of writing things (see `web.formats`)."""

from django import template
from django.utils.safestring import SafeString

from broadsheet.discussion.trees import CommentNode
from broadsheet.web import formats
from broadsheet.web.comment_html import render_comments

register = template.Library()

register.filter("avatar_url", formats.avatar_url)
register.filter("stamp", formats.stamp)
register.filter("iso", formats.iso)
register.filter("ago", formats.ago)


@register.simple_tag(takes_context=True)
def comments(context: template.Context, nodes: CommentNode | list[CommentNode]) -> SafeString:
    """`{% comments page.roots %}`: the comments' HTML (`web.comment_html`)."""
    return render_comments(nodes, context.flatten(), context.get("request"))
