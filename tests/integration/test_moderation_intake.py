"""The intake with a database: policies, content outcomes, duplicates and floods, rate limits."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from moderation_calls import (  # tests/ is not a package
    CIVIL,
    guest,
    post,
    refresh,
)

from broadsheet.accounts.viewers import Viewer
from broadsheet.core.clock import now
from broadsheet.core.errors import Conflict, Forbidden
from broadsheet.discussion.models import Comment, CommentStatus, Thread
from broadsheet.moderation import queue, sanctions, services
from broadsheet.moderation.fingerprints import from_column
from broadsheet.moderation.intake import RateLimited
from broadsheet.moderation.models import ModerationAction
from broadsheet.moderation.policies import policy_set

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


# -- policies -------------------------------------------------------------------------------------


def test_first_k_holds_a_users_first_comments(article, make_user, moderator):
    policy_set(mode="first_k", first_k=2)
    writer = make_user()
    member = Viewer(user=writer)
    one = post(article.thread, member, "First thought about the harbour and the ferry.").comment
    assert one.status == CommentStatus.HELD
    services.comment_approve(comment_id=one.pk, actor=moderator)
    two = post(article.thread, member, "Second thought: the tram depot is badly placed.").comment
    assert two.status == CommentStatus.HELD
    services.comment_approve(comment_id=two.pk, actor=moderator)
    assert post(article.thread, member, "Third: I was at the meeting.").published


def test_a_thread_policy_overrides_the_site_policy(article, make_article):
    policy_set(mode="all")
    other = make_article()
    policy_set(thread=other.thread, mode="none")
    assert post(article.thread, guest("a")).comment.status == CommentStatus.HELD
    assert post(other.thread, guest("b")).published


def test_guests_and_links_policies(article, make_user):
    policy_set(thread=article.thread, mode="guests")
    assert post(article.thread, guest("g")).comment.status == CommentStatus.HELD
    assert post(article.thread, Viewer(user=make_user())).published
    policy_set(thread=article.thread, mode="links")
    writer = Viewer(user=make_user())
    assert post(article.thread, writer, "No links in this one, just an opinion.").published
    linked = post(article.thread, writer, "The minutes: https://example.org/minutes").comment
    assert linked.status == CommentStatus.HELD
    assert any(r["check"] == "policy" for r in linked.moderation_reasons)


def test_a_first_comment_with_a_link_is_held_without_any_policy(article):
    linked = post(article.thread, guest("new"), "The minutes: https://example.org/minutes")
    assert linked.comment.status == CommentStatus.HELD
    assert any("first comment" in r["reason"] for r in linked.comment.moderation_reasons)


def test_auto_close_after_n_days(article):
    policy_set(thread=article.thread, mode="none", auto_close_days=3)
    assert post(article.thread, guest("early")).published
    Thread.objects.filter(pk=article.thread.pk).update(created_at=now() - timedelta(days=4))
    with pytest.raises(Forbidden, match="closed 3 days after it opened") as refused:
        post(refresh(article.thread), guest("late"), "Late to the party on this one, sorry.")
    assert refused.value.code == "thread_closed"


def test_drift_is_judged_against_the_story_the_discussion_sits_under(make_article):
    story = json.loads((FIXTURES / "moderation" / "story.json").read_text())
    article = make_article(title=story["title"], body=story["text"])
    assert article.thread.topic.startswith("The city council voted 31 to 24")
    regular = guest("regular")
    assert post(article.thread, regular, "The Eastgate vote was 31 to 24; too close.").published
    chatter = "Anyone know a decent plumber near the railway station? Mine charges a fortune."
    held = post(article.thread, regular, f"{chatter} plumbfast.co.uk")
    assert held.comment.status == CommentStatus.HELD
    assert [r["check"] for r in held.comment.moderation_reasons] == ["off_topic"]
    # A brief is too short to say what is off its topic: the same kind of comment stands.
    brief = make_article()
    assert post(brief.thread, regular, f"{chatter} Try plumbrite.co.uk instead.").published


def test_the_premoderated_switch_is_honoured(premoderated, author):
    assert post(premoderated, guest("p")).comment.status == CommentStatus.HELD
    assert post(premoderated, Viewer(user=author)).published  # staff


def test_sensitive_stories_hold_borderline_comments(article, make_article):
    borderline = "Anyone who believes this council is a fool and an idiot, frankly."
    sensitive = make_article()
    policy_set(thread=sensitive.thread, sensitive=True)
    normal = post(article.thread, guest("n"), borderline).comment.status
    touchy = post(sensitive.thread, guest("s"), borderline).comment.status
    order = [CommentStatus.PUBLISHED, CommentStatus.HELD, CommentStatus.REJECTED]
    assert order.index(touchy) >= order.index(normal)
    assert touchy == CommentStatus.HELD


# -- content outcomes, duplicates -----------------------------------------------------------------


def test_the_comment_model_holds_through_the_intake(article):
    insult = "A goldfish would grasp the borrowing figures better than you, you dim little man."
    held = post(article.thread, guest("m"), insult).comment
    assert held.status == CommentStatus.HELD
    model = [r for r in held.moderation_reasons if "comment model" in r["reason"]]
    assert model and model[0]["check"] == "abuse" and model[0]["outcome"] == "hold"
    assert refresh(article.thread).comment_count == 0


def test_a_rejected_comment_is_stored_and_carries_the_message(article):
    submitted = post(article.thread, guest("r"), "Just go kill yourself, nobody wants you.")
    assert submitted.rejected and submitted.comment.status == CommentStatus.REJECTED
    assert "can't be published" in submitted.message
    assert submitted.comment.moderation_reasons[0]["check"] == "words"
    assert refresh(article.thread).comment_count == 0


def test_the_same_text_twice_is_refused_and_fingerprints_are_stored(article, make_article):
    first = post(article.thread, guest("d")).comment
    assert first.simhash is not None and from_column(first.simhash) > 0
    with pytest.raises(Conflict, match="posted this comment here already"):
        post(article.thread, guest("d"), CIVIL.upper())
    elsewhere = make_article()
    again = post(elsewhere.thread, guest("d")).comment
    assert again.status == CommentStatus.HELD
    assert any(r["check"] == "duplicate" for r in again.moderation_reasons)


def test_a_flood_counts_other_discussions_not_the_busy_one(article, make_article):
    # Many readers agreeing in the same words under one story is not a flood...
    for n in range(5):
        same = post(article.thread, guest(f"s{n}"), address=f"203.0.113.{n}").comment
        assert same.status == CommentStatus.PUBLISHED
    # ...one text from new browsers across discussions is.
    for n in range(2):
        post(make_article().thread, guest(f"f{n}"), address=f"198.51.100.{n}")
    flooded = post(make_article().thread, guest("f-next"), address="198.51.100.9").comment
    assert flooded.status == CommentStatus.HELD
    assert any(r["check"] == "duplicate" for r in flooded.moderation_reasons)


def test_the_duplicate_windows_end(article, make_article):
    """A double post is refused only within a day; a flood counts only the last hour."""
    reader = guest("windows")
    first = post(article.thread, reader).comment
    with pytest.raises(Conflict):
        post(article.thread, reader)
    Comment.objects.filter(pk=first.pk).update(created_at=now() - timedelta(hours=25))
    assert post(article.thread, reader).published

    for n in range(2):
        post(make_article().thread, guest(f"w{n}"), address=f"198.51.100.{n}")
    Comment.objects.exclude(thread=article.thread).update(created_at=now() - timedelta(hours=2))
    assert post(make_article().thread, guest("w-late"), address="198.51.100.9").published


def test_the_queue_orders_held_comments_by_risk(premoderated, moderator):
    calm = post(premoderated, guest("c")).comment
    angry = post(
        premoderated, guest("a"), "You are a worthless idiot and a moron, shut up.", name="Angry"
    ).comment
    assert angry.risk > calm.risk
    page = queue.queue_page(viewer=Viewer(user=moderator), tab=queue.Tab.HELD)
    assert [i.comment.pk for i in page.items] == [angry.pk, calm.pk]


def test_queue_page_query_count_is_fixed(
    premoderated, moderator, make_user, django_assert_num_queries
):
    for n in range(6):
        post(premoderated, guest(f"q{n}"), f"{CIVIL} Number {n}.", name=f"Guest {n}")
        writer = make_user()
        post(premoderated, Viewer(user=writer), f"{CIVIL} Member {n}.")
    services.comment_reject(comment_id=Comment.objects.first().pk, actor=moderator, reason="Test.")
    viewer = Viewer(user=moderator)
    assert viewer.is_moderator
    # Tab counts, the total, the page (with authors, standings, threads, parents), the
    # authors' counts by status, their recent comments, earlier decisions.
    with django_assert_num_queries(6):
        page = queue.queue_page(viewer=viewer, tab=queue.Tab.HELD)
        for item in page.items:
            assert item.history.total >= 1
            _ = [item.comment.thread.title, item.comment.author, item.history.decisions]
    assert len(page.items) == 11


def test_the_queue_is_for_moderators(make_user):
    with pytest.raises(Forbidden):
        queue.queue_page(viewer=Viewer(user=make_user()), tab=queue.Tab.HELD)


# -- rate limits through HTTP ---------------------------------------------------------------------


def test_rate_limits_hold_when_x_forwarded_for_is_spoofed(article, settings):
    settings.BROADSHEET_RATE_LIMITS = {"address": [(3, 60)], "author": [(100, 60)]}
    settings.BROADSHEET_TRUSTED_PROXIES = []
    url = reverse("web:comment-post", args=[article.thread.pk])
    statuses = []
    for n in range(5):
        # A fresh browser each time (a new guest token), a new spoofed address each time.
        client = Client(REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        response = client.post(
            url,
            {"body": f"Comment number {n} on the harbour plan.", "name": f"Guest {n}"},
            HTTP_ACCEPT="application/json",
        )
        statuses.append(response.status_code)
    assert statuses == [201, 201, 201, 429, 429]
    assert "too quickly" in response.json()["error"]["message"]
    assert Comment.objects.filter(thread=article.thread).count() == 3


def test_a_trusted_proxy_passes_the_real_client_address_to_the_limit(article, settings):
    settings.BROADSHEET_RATE_LIMITS = {"address": [(2, 60)], "author": [(100, 60)]}
    settings.BROADSHEET_TRUSTED_PROXIES = ["192.0.2.1"]
    url = reverse("web:comment-post", args=[article.thread.pk])
    statuses = []
    for n in range(3):
        client = Client(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        statuses.append(
            client.post(
                url,
                {"body": f"Distinct readers {n} behind one proxy.", "name": f"Reader {n}"},
                HTTP_ACCEPT="application/json",
            ).status_code
        )
    assert statuses == [201, 201, 201]  # three clients, each under its own limit


def test_per_account_and_thread_burst_limits(article, make_user, settings):
    settings.BROADSHEET_RATE_LIMITS = {"address": [(100, 60)], "author": [(100, 60)]}
    writer = Viewer(user=make_user())
    bodies = [f"Point {n}: the harbour plan needs another look, clearly." for n in range(5)]
    for body in bodies[:4]:
        post(article.thread, writer, body)
    with pytest.raises(RateLimited) as refused:
        post(article.thread, writer, bodies[4])
    assert refused.value.status == 429


def test_moderation_actions_are_all_logged(premoderated, moderator):
    comment = post(premoderated, guest("l")).comment
    services.comment_approve(comment_id=comment.pk, actor=moderator)
    services.comment_feature(comment_id=comment.pk, actor=moderator)
    sanctions.commenter_ban(comment_id=comment.pk, actor=moderator)
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["approve", "feature", "ban"]
