"""The moderation queue and its actions through the API: moderators only, errors as JSON."""

import pytest
from api_calls import (  # tests/ is not a package
    API,
    error_of,
    post_json,
    token_client,
)
from django.test import Client

from broadsheet.accounts.viewers import Viewer
from broadsheet.discussion.services import thread_update
from broadsheet.moderation.flags import flag_comment
from broadsheet.moderation.intake import submit_comment
from broadsheet.moderation.models import ModerationAction

pytestmark = pytest.mark.django_db


def test_queue_is_for_moderators(client, make_user, moderator):
    assert error_of(client.get(f"{API}/moderation/queue"), 401)["code"] == "unauthenticated"
    member = token_client(make_user(), "read")
    assert error_of(member.get(f"{API}/moderation/queue"), 403)["code"] == "not_moderator"
    mod = token_client(moderator, "read")
    assert mod.get(f"{API}/moderation/queue").status_code == 200
    error_of(mod.get(f"{API}/moderation/queue", {"tab": "nope"}), 422)
    error_of(mod.get(f"{API}/moderation/queue", {"page": 0}), 422)
    error_of(mod.get(f"{API}/moderation/queue", {"q": "x" * 201}), 422)


def held_guest_comment(thread):
    """Ana's guest comment, waiting in a pre-moderated discussion."""
    return submit_comment(
        thread=thread, viewer=Viewer(guest_key="g1"), body="Hold me", guest_name="Ana"
    ).comment


def test_queue_lists_held_and_flagged_with_reasons(premoderated, make_user, moderator):
    thread = premoderated
    held = held_guest_comment(thread)
    thread_update(thread=thread, premoderated=False)
    shown = submit_comment(thread=thread, viewer=Viewer(user=make_user()), body="Shown").comment
    flag_comment(comment_id=shown.pk, viewer=Viewer(guest_key="g2"), reason="spam")
    mod = token_client(moderator, "read")

    queue = mod.get(f"{API}/moderation/queue").json()
    assert queue["tab"] == "held" and queue["total"] == 1 and queue["has_next"] is False
    assert queue["counts"] == {"held": 1, "flagged": 1, "rejected": 0}
    item = queue["items"][0]
    assert item["id"] == held.pk and item["status"] == "held" and item["author"] == "Ana"
    assert item["reasons"] and all(r["check"] for r in item["reasons"])
    assert item["thread"] == {"id": thread.pk, "url": thread.key, "title": thread.title}

    flagged = mod.get(f"{API}/moderation/queue", {"tab": "flagged"}).json()["items"]
    assert [i["id"] for i in flagged] == [shown.pk]
    assert [(f["reason"], f["weight"]) for f in flagged[0]["flags"]] == [("spam", 0.5)]
    found = mod.get(f"{API}/moderation/queue", {"q": "Hold"}).json()
    assert found["tab"] == "search" and [i["id"] for i in found["items"]] == [held.pk]


def test_moderation_actions(premoderated, make_user, moderator):
    thread = premoderated
    held = held_guest_comment(thread)
    mod = token_client(moderator)
    path = f"/moderation/comments/{held.pk}/actions"

    approved = post_json(mod, path, {"action": "approve"})
    assert approved.status_code == 200, approved.content
    data = approved.json()
    assert (data["comment"], data["status"], data["message"]) == (held.pk, "published", "Approved.")
    assert ModerationAction.objects.get(pk=data["action"]["id"]).actor == moderator
    assert error_of(post_json(mod, path, {"action": "approve"}), 409)["code"] == "already_decided"
    featured = post_json(mod, path, {"action": "feature"}).json()
    assert featured["featured"] is True
    assert post_json(mod, path, {"action": "unfeature"}).json()["featured"] is False
    assert error_of(post_json(mod, path, {"action": "reject"}), 400)["code"] == "reason_required"
    rejected = post_json(mod, path, {"action": "reject", "reason": "Off topic."}).json()
    assert rejected["status"] == "rejected" and rejected["action"]["reason"] == "Off topic."
    assert post_json(mod, path, {"action": "spam"}).json()["status"] == "spam"
    error_of(post_json(mod, path, {"action": "ban"}), 422)
    assert error_of(post_json(mod, "/moderation/comments/999999/actions", {"action": "spam"}), 404)

    member = post_json(token_client(make_user()), path, {"action": "approve"})
    assert error_of(member, 403)["code"] == "not_moderator"
    read_only = post_json(token_client(moderator, "read"), path, {"action": "approve"})
    assert error_of(read_only, 403)["code"] == "token_read_only"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(moderator)
    assert error_of(post_json(browser, path, {"action": "approve"}), 403)["code"] == "csrf_failed"
    assert error_of(post_json(Client(), path, {"action": "approve"}), 401)["code"] == (
        "unauthenticated"
    )
