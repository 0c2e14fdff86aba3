"""The fragments behind "Load more comments" and "show K more replies"."""

import re

import pytest
from django.urls import reverse

from broadsheet.accounts.viewers import Viewer
from broadsheet.moderation.intake import submit_comment

pytestmark = pytest.mark.django_db


def items(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="comment[^"]*" id="c-(\d+)"', html)]


def test_page_fragment_lists_the_next_top_level_comments(client, article, settings):
    settings.BROADSHEET_PAGE_TOP_LEVEL = 2
    made = [
        submit_comment(
            thread=article.thread, viewer=Viewer(guest_key="g"), body=f"c{i}", guest_name="A"
        ).comment.pk
        for i in range(5)
    ]
    url = reverse("web:thread-page", args=[article.thread.pk])
    second = client.get(url + "?page=2&sort=oldest").content.decode()
    assert items(second) == made[2:4]
    assert "Load more comments" in second and "page=3" in second
    assert "Previous page" not in second
    last = client.get(url + "?page=3&sort=oldest").content.decode()
    assert items(last) == made[4:] and "Load more comments" not in last


def test_subtree_fragment_pages_replies_with_a_cursor(client, article, settings):
    settings.BROADSHEET_PAGE_MAX_COMMENTS = 3
    guest = Viewer(guest_key="g")
    root = submit_comment(thread=article.thread, viewer=guest, body="root", guest_name="A").comment
    replies = [
        submit_comment(
            thread=article.thread, viewer=guest, body=f"r{i}", guest_name="A", parent_id=root.pk
        ).comment.pk
        for i in range(5)
    ]
    url = reverse("web:comment-subtree", args=[root.pk])
    first = client.get(url).content.decode()
    assert items(first) == [root.pk, *replies[:3]]
    assert "focused" not in first
    cursor = re.search(r'data-subtree="[^"]*\?after=([0-9a-z]+)"', first).group(1)
    rest = client.get(f"{url}?after={cursor}").content.decode()
    assert items(rest) == replies[3:]
    assert "More replies" not in rest


def test_fragments_respect_visibility(client, article):
    from broadsheet.discussion.services import thread_update

    thread_update(thread=article.thread, status="hidden")
    assert client.get(reverse("web:thread-page", args=[article.thread.pk])).status_code == 404
