"""Building nested nodes: capped indentation, "replying to", tombstones."""

from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.models import Comment, CommentStatus
from broadsheet.discussion.positions import child_path, segment
from broadsheet.discussion.trees import build_forest


def chain(length: int, *, status_of=lambda i: CommentStatus.PUBLISHED) -> list[Comment]:
    comments, path, parent = [], "", None
    for i in range(1, length + 1):
        path = child_path(path, i) if path else segment(i)
        c = Comment(pk=i, parent_id=parent, path=path, depth=i - 1, status=status_of(i))
        c.guest_name = f"N{i}"
        comments.append(c)
        parent = i
    return comments


def test_indent_is_capped_and_deep_replies_say_whom_they_answer():
    roots = build_forest(chain(10), viewer=Viewer(), max_indent=3)
    nodes = list(roots[0].walk())
    assert [n.indent for n in nodes] == [0, 1, 2, 3, 3, 3, 3, 3, 3, 3]
    assert [n.replying_to for n in nodes][4:] == ["N4", "N5", "N6", "N7", "N8", "N9"]
    assert nodes[3].replying_to == ""


def test_tombstone_without_replies_is_dropped_with_replies_kept():
    comments = chain(3, status_of=lambda i: CommentStatus.DELETED if i in (2, 3) else "published")
    roots = build_forest(comments, viewer=Viewer(), max_indent=6)
    assert [n.comment.pk for n in roots[0].walk()] == [1]
    comments = chain(3, status_of=lambda i: CommentStatus.DELETED if i == 2 else "published")
    nodes = list(build_forest(comments, viewer=Viewer(), max_indent=6)[0].walk())
    assert [n.comment.pk for n in nodes] == [1, 2, 3]
    assert nodes[1].is_tombstone and not nodes[1].show_body


def test_reply_whose_parent_is_not_visible_is_dropped():
    comments = chain(3)
    del comments[1]
    assert [
        n.comment.pk for n in build_forest(comments, viewer=Viewer(), max_indent=6)[0].walk()
    ] == [1]


def test_own_comment_is_recognised_for_guests_by_token_hash():
    viewer = Viewer(guest_key="k")
    comment = chain(1)[0]
    comment.guest_key_hash = viewer.guest_hash
    assert build_forest([comment], viewer=viewer, max_indent=6)[0].is_own
    assert not build_forest([comment], viewer=Viewer(guest_key="other"), max_indent=6)[0].is_own
