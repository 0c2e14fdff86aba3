import pytest
from django.urls import reverse

from broadsheet.moderation.intake import submit_comment

pytestmark = pytest.mark.django_db


def test_permalink_page_highlights_comment_with_ancestors_and_link_back(client, article, guest):
    top = submit_comment(
        thread=article.thread, viewer=guest, body="first", guest_name="Ana"
    ).comment
    reply = submit_comment(
        thread=article.thread, viewer=guest, body="second", guest_name="Ben", parent_id=top.pk
    ).comment
    page = client.get(reverse("web:comment", args=[reply.pk])).content.decode()
    assert f'class="comment focused" id="c-{reply.pk}"' in page
    assert 'class="ancestor"' in page and "first" in page
    assert f'href="{article.get_absolute_url()}#comments"' in page


def test_missing_permalink_is_a_clear_404(client):
    response = client.get(reverse("web:comment", args=[999999]))
    assert response.status_code == 404
    assert "There is no such comment" in response.content.decode()
