"""The moderator queue through HTTP: every action, its audit entry, 403s, search, no-JS forms."""

import pytest
from django.urls import reverse

from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.models import Comment, CommentStatus
from broadsheet.discussion.services import thread_update
from broadsheet.moderation.intake import submit_comment
from broadsheet.moderation.models import ActionKind, Ban, ModerationAction, UserStanding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

QUEUE = reverse("moderation:queue")


@pytest.fixture
def thread(premoderated):
    return premoderated


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def held_guest(thread, body="The harbour plan deserves a second vote, frankly.", **fields):
    fields.setdefault("guest_name", "Gale Guest")
    fields.setdefault("client_address", "203.0.113.7")
    return submit_comment(
        thread=thread, viewer=Viewer(guest_key=f"k-{body[:12]}"), body=body, **fields
    ).comment


def held_member(thread, user, body="A member's view on the tram depot and the ferry."):
    return submit_comment(thread=thread, viewer=Viewer(user=user), body=body).comment


def act(client, comment, action, **data):
    url = reverse("moderation:action", args=[comment.pk, action])
    return client.post(url, {"next": QUEUE, **data})


def test_the_queue_is_for_moderators_only(client, make_user, thread):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user())
    assert client.get(QUEUE).status_code == 403
    comment = held_guest(thread)
    assert act(client, comment, "approve").status_code == 403
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD


def test_held_tab_shows_the_comment_in_context_with_reasons_and_history(
    mod_client, thread, make_user
):
    writer = make_user(display_name="Henrietta Writer")
    held = held_member(thread, writer)
    thread_update(thread=thread, premoderated=False)
    parent = submit_comment(
        thread=thread, viewer=Viewer(user=writer), body="Published first, then answered."
    ).comment
    thread_update(thread=thread, premoderated=True)
    reply = held_guest(thread, "Replying with a long thought about ferries.", parent_id=parent.pk)
    html = mod_client.get(QUEUE).content.decode()
    assert f'id="q-{reply.pk}"' in html and f'id="q-{held.pk}"' in html
    assert f'id="q-{parent.pk}"' not in html  # published: not in the held tab
    assert "In reply to Henrietta Writer" in html
    assert "premoderation" in html  # the reason
    assert "trust 0" in html
    assert f"{thread.article.get_absolute_url()}#c-{reply.pk}" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "moderation.js" in html


def test_approve_through_http_publishes_and_logs(mod_client, thread, moderator):
    comment = held_guest(thread)
    response = act(mod_client, comment, "approve")
    assert response.status_code == 303 and response["Location"] == QUEUE
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    action = ModerationAction.objects.get(comment=comment)
    assert action.kind == ActionKind.APPROVE and action.actor == moderator
    # The reader sees it now.
    assert (
        f'id="c-{comment.pk}"' in mod_client.get(thread.article.get_absolute_url()).content.decode()
    )


def test_json_answers_for_the_keyboard(mod_client, thread):
    comment = held_guest(thread)
    response = mod_client.post(
        reverse("moderation:action", args=[comment.pk, "approve"]), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "published" and response.json()["ok"]
    again = mod_client.post(
        reverse("moderation:action", args=[comment.pk, "approve"]), HTTP_ACCEPT="application/json"
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"


def test_reject_needs_a_reason(mod_client, thread):
    comment = held_guest(thread)
    assert act(mod_client, comment, "reject").status_code == 400
    assert act(mod_client, comment, "reject", reason="Off topic.").status_code == 303
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert ModerationAction.objects.get(comment=comment).reason == "Off topic."


def test_spam_feature_and_unfeature(mod_client, thread):
    comment = held_guest(thread)
    assert act(mod_client, comment, "spam").status_code == 303
    comment.refresh_from_db()
    assert comment.status == CommentStatus.SPAM
    assert act(mod_client, comment, "feature").status_code == 409  # not published
    act(mod_client, comment, "approve")
    assert act(mod_client, comment, "feature").status_code == 303
    comment.refresh_from_db()
    assert comment.featured
    assert act(mod_client, comment, "feature", featured="0").status_code == 303
    comment.refresh_from_db()
    assert not comment.featured


def test_edit_and_approve_page_and_post(mod_client, thread):
    comment = held_guest(thread)
    url = reverse("moderation:edit", args=[comment.pk])
    page = mod_client.get(url)
    assert page.status_code == 200 and comment.body_source in page.content.decode()
    refused = mod_client.post(url, {"body": "Go kill yourself."})
    assert refused.status_code == 400 and "would be rejected" in refused.content.decode()
    done = mod_client.post(url, {"body": "The plan deserves *a second vote*.", "next": QUEUE})
    assert done.status_code == 303
    comment.refresh_from_db()
    assert (
        comment.status == CommentStatus.PUBLISHED and "<em>a second vote</em>" in comment.body_html
    )


def test_ban_a_member_and_a_guest(mod_client, thread, make_user):
    writer = make_user()
    member_comment = held_member(thread, writer)
    assert act(mod_client, member_comment, "ban", days="7").status_code == 303
    ban = Ban.objects.get(user=writer)
    assert ban.expires_at is not None

    guest_comment = held_guest(thread, guest_email="gale@example.org")
    assert act(mod_client, guest_comment, "ban").status_code == 303
    assert set(Ban.objects.filter(user=None).values_list("kind", flat=True)) == {"address", "email"}
    assert act(mod_client, guest_comment, "ban").status_code == 409


def test_ban_address_and_email_hashes_separately(mod_client, thread):
    comment = held_guest(thread, guest_email="gale@example.org")
    assert act(mod_client, comment, "ban-address").status_code == 303
    assert act(mod_client, comment, "ban-email").status_code == 303
    kinds = ModerationAction.objects.filter(kind=ActionKind.BAN).values_list(
        "change__ban_kind", flat=True
    )
    assert sorted(kinds) == ["address", "email"]
    nothing = held_guest(
        thread, "No e-mail given by this guest, only words.", client_address="198.51.100.4"
    )
    assert act(mod_client, nothing, "ban-email").status_code == 400


def test_suspend_and_shadow_ban_a_member(mod_client, thread, make_user):
    writer = make_user()
    comment = held_member(thread, writer)
    assert act(mod_client, comment, "suspend").status_code == 400  # days required
    assert act(mod_client, comment, "suspend", days="3").status_code == 303
    assert UserStanding.objects.get(user=writer).suspended_until is not None
    assert act(mod_client, comment, "shadow-ban").status_code == 303
    assert UserStanding.objects.get(user=writer).shadow_banned
    guest_comment = held_guest(thread)
    response = act(mod_client, guest_comment, "suspend", days="3")
    assert response.status_code == 400 and "guest has no account" in response.content.decode()


def test_unknown_action_and_comment_are_404(mod_client, thread):
    comment = held_guest(thread)
    assert act(mod_client, comment, "explode").status_code == 404
    missing = reverse("moderation:action", args=[999999, "approve"])
    assert mod_client.post(missing).status_code == 404


def test_bulk_approve_and_reject(mod_client, thread):
    first = held_guest(thread, "First held comment about the harbour plan.")
    second = held_guest(thread, "Second held comment about the tram depot.")
    third = held_guest(thread, "Third held comment about the ferry timetable.")
    url = reverse("moderation:bulk")
    response = mod_client.post(url, {"action": "approve", "ids": [first.pk, second.pk]})
    assert response.status_code == 303
    assert set(Comment.objects.filter(status="published").values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert mod_client.post(url, {"action": "reject", "ids": [third.pk]}).status_code == 400
    ok = mod_client.post(url, {"action": "reject", "ids": [third.pk], "reason": "Spam-ish."})
    assert ok.status_code == 303
    assert mod_client.post(url, {"action": "approve"}).status_code == 400
    assert mod_client.post(url, {"action": "approve", "ids": ["x"]}).status_code == 400


def test_revert_through_http(mod_client, thread):
    comment = held_guest(thread)
    act(mod_client, comment, "approve")
    action = ModerationAction.objects.get(comment=comment)
    response = mod_client.post(reverse("moderation:revert", args=[action.pk]), {"next": QUEUE})
    assert response.status_code == 303
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD


def test_tabs_and_search(mod_client, thread, make_user):
    writer = make_user(display_name="Ottoline Searchable")
    member = held_member(thread, writer, "Nothing about trams in this one at all.")
    guest_comment = held_guest(thread, "A unique word: quokka, in a held comment.")
    act(mod_client, member, "reject", reason="No.")

    rejected = mod_client.get(QUEUE, {"tab": "rejected"}).content.decode()
    assert f'id="q-{member.pk}"' in rejected and f'id="q-{guest_comment.pk}"' not in rejected
    recent = mod_client.get(QUEUE, {"tab": "recent"}).content.decode()
    assert f'id="q-{member.pk}"' in recent and f'id="q-{guest_comment.pk}"' in recent

    by_name = mod_client.get(QUEUE, {"q": "ottoline"}).content.decode()
    assert f'id="q-{member.pk}"' in by_name and f'id="q-{guest_comment.pk}"' not in by_name
    by_text = mod_client.get(QUEUE, {"q": "quokka"}).content.decode()
    assert f'id="q-{guest_comment.pk}"' in by_text and f'id="q-{member.pk}"' not in by_text
    by_hash = mod_client.get(QUEUE, {"q": guest_comment.address_hash}).content.decode()
    assert f'id="q-{guest_comment.pk}"' in by_hash
    assert mod_client.get(QUEUE, {"tab": "nonsense"}).status_code == 400


def test_flagged_tab_lists_by_flag_weight(mod_client, article):
    light = submit_comment(
        thread=article.thread, viewer=Viewer(guest_key="l"), body="Light.", guest_name="L"
    ).comment
    heavy = submit_comment(
        thread=article.thread, viewer=Viewer(guest_key="h"), body="Heavy.", guest_name="H"
    ).comment
    Comment.objects.filter(pk=light.pk).update(flag_weight=1.0)
    Comment.objects.filter(pk=heavy.pk).update(flag_weight=2.5)
    html = mod_client.get(QUEUE, {"tab": "flagged"}).content.decode()
    assert html.index(f'id="q-{heavy.pk}"') < html.index(f'id="q-{light.pk}"')


def test_the_guest_sees_a_note_about_the_decision(client, mod_client, thread, moderator):
    # The guest posts through the page, so their browser carries the token.
    from django.test import Client

    guest = Client()
    url = reverse("web:comment-post", args=[thread.pk])
    guest.post(url, {"body": "Please publish my thoughtful comment.", "name": "Noted Guest"})
    comment = Comment.objects.get(guest_name="Noted Guest")
    act(mod_client, comment, "reject", reason="Duplicate of an earlier point.")
    page = guest.get(thread.article.get_absolute_url()).content.decode()
    assert "was rejected: Duplicate of an earlier point." in page
    assert (
        "Duplicate of an earlier point."
        not in Client().get(thread.article.get_absolute_url()).content.decode()
    )


def test_a_rejected_submission_shows_the_message_not_an_error(client, article):
    url = reverse("web:comment-post", args=[article.thread.pk])
    response = client.post(url, {"body": "Just go kill yourself.", "name": "Rude Guest"})
    assert response.status_code == 200
    assert "can&#x27;t be published" in response.content.decode()
    assert Comment.objects.get(guest_name="Rude Guest").status == CommentStatus.REJECTED
    as_json = client.post(
        url,
        {"body": "Kill yourself, seriously.", "name": "Rude Guest"},
        HTTP_ACCEPT="application/json",
    )
    assert as_json.status_code == 201
    assert as_json.json()["status"] == "rejected" and as_json.json()["message"]
