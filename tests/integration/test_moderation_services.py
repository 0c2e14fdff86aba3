"""Moderation services with a database: decisions, reverts, counts, trust, bans, shadow-bans,
policies and rate limits, all through the one intake."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from broadsheet.accounts.viewers import ANONYMOUS, Viewer
from broadsheet.core.clock import now
from broadsheet.core.errors import Conflict, Forbidden, InvalidInput
from broadsheet.discussion import selectors
from broadsheet.discussion.models import Comment, CommentStatus, EventKind, Thread, ThreadEvent
from broadsheet.discussion.services import thread_recount, thread_update
from broadsheet.moderation import queue, sanctions, services
from broadsheet.moderation.fingerprints import from_column
from broadsheet.moderation.intake import RateLimited, email_hash, submit_comment
from broadsheet.moderation.models import ActionKind, Ban, ModerationAction, UserStanding
from broadsheet.moderation.notes import decision_notes
from broadsheet.moderation.policies import policy_set
from broadsheet.moderation.trust import trust_recompute

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CIVIL = "The ferry timetable matters more than the market, and the minutes say so clearly."
ADDRESS = "203.0.113.9"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def post(thread, viewer, body=CIVIL, *, name="Pat Guest", address=ADDRESS, **fields):
    if viewer.user is None:
        fields.setdefault("guest_name", name)
    return submit_comment(thread=thread, viewer=viewer, body=body, client_address=address, **fields)


def guest(key: str) -> Viewer:
    return Viewer(guest_key=key)


def refresh(thread: Thread) -> Thread:
    thread.refresh_from_db()
    return thread


def visible_ids(thread: Thread, viewer: Viewer) -> list[int]:
    page = selectors.thread_page(thread=thread, viewer=viewer)
    return [n.comment.pk for root in page.roots for n in root.walk()]


@pytest.fixture
def premoderated(article):
    return thread_update(thread=article.thread, premoderated=True)


# -- decisions ------------------------------------------------------------------------------------


def test_approve_publishes_counts_announces_logs_and_tells_the_guest(premoderated, moderator):
    held = post(premoderated, guest("g1")).comment
    assert held.status == CommentStatus.HELD
    assert refresh(premoderated).comment_count == 0
    assert held.pk not in visible_ids(premoderated, ANONYMOUS)
    version = premoderated.version

    action = services.comment_approve(comment_id=held.pk, actor=moderator)

    held.refresh_from_db()
    thread = refresh(premoderated)
    assert held.status == CommentStatus.PUBLISHED
    assert thread.comment_count == 1 and thread.top_level_count == 1
    assert thread.version > version
    assert ThreadEvent.objects.filter(comment_id=held.pk, kind=EventKind.CREATED).count() == 2
    assert held.pk in visible_ids(thread, ANONYMOUS)
    assert action.kind == ActionKind.APPROVE and action.actor == moderator
    assert action.change == {"status": ["held", "published"]}
    (note,) = decision_notes(viewer=guest("g1"))
    assert note.approved and "was approved" in note.text
    assert decision_notes(viewer=guest("someone-else")) == []


def test_reject_needs_a_reason_and_the_commenter_reads_it(article, moderator, make_user):
    writer = make_user()
    comment = post(article.thread, Viewer(user=writer)).comment
    assert refresh(article.thread).comment_count == 1
    with pytest.raises(InvalidInput, match="Give a reason"):
        services.comment_reject(comment_id=comment.pk, actor=moderator, reason=" ")

    services.comment_reject(comment_id=comment.pk, actor=moderator, reason="Personal attack.")

    assert refresh(article.thread).comment_count == 0
    (note,) = decision_notes(viewer=Viewer(user=writer))
    assert note.text.endswith("was rejected: Personal attack.")
    writer.standing.refresh_from_db()
    assert writer.standing.rejected_count == 1


def test_a_rejected_comment_with_replies_becomes_removed_and_keeps_them(article, moderator):
    parent = post(article.thread, guest("p")).comment
    reply = post(article.thread, guest("r"), "I disagree with that, politely.", parent_id=parent.pk)
    services.comment_reject(comment_id=parent.pk, actor=moderator, reason="Off topic.")
    page = selectors.thread_page(thread=article.thread, viewer=ANONYMOUS)
    (root,) = page.roots
    assert root.is_tombstone and not root.show_body
    assert [c.comment.pk for c in root.children] == [reply.comment.pk]


def test_spam_and_revert_restores_status_and_counts(article, moderator):
    comment = post(article.thread, guest("s")).comment
    action = services.comment_mark_spam(comment_id=comment.pk, actor=moderator)
    assert refresh(article.thread).comment_count == 0

    revert = services.revert_action(action_id=action.pk, actor=moderator)

    comment.refresh_from_db()
    action.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert refresh(article.thread).comment_count == 1
    assert action.reverted_by == revert and revert.kind == ActionKind.REVERT
    with pytest.raises(Conflict, match="reverted already"):
        services.revert_action(action_id=action.pk, actor=moderator)
    with pytest.raises(InvalidInput, match="can't be reverted"):
        services.revert_action(action_id=revert.pk, actor=moderator)


def test_a_stale_revert_is_refused(premoderated, moderator):
    comment = post(premoderated, guest("x")).comment
    approve = services.comment_approve(comment_id=comment.pk, actor=moderator)
    services.comment_reject(comment_id=comment.pk, actor=moderator, reason="Changed my mind.")
    with pytest.raises(Conflict, match="changed since"):
        services.revert_action(action_id=approve.pk, actor=moderator)


def test_deciding_twice_is_a_conflict(premoderated, moderator):
    comment = post(premoderated, guest("x")).comment
    services.comment_approve(comment_id=comment.pk, actor=moderator)
    with pytest.raises(Conflict, match="published already"):
        services.comment_approve(comment_id=comment.pk, actor=moderator)


def test_only_moderators_decide(article, make_user):
    comment = post(article.thread, guest("x")).comment
    with pytest.raises(Forbidden, match="Only moderators"):
        services.comment_mark_spam(comment_id=comment.pk, actor=make_user())


def test_edit_and_approve_goes_through_the_content_checks(premoderated, moderator):
    comment = post(premoderated, guest("e")).comment
    with pytest.raises(InvalidInput, match="would be rejected"):
        services.comment_edit_approve(
            comment_id=comment.pk, actor=moderator, body="Go kill yourself."
        )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD

    action = services.comment_edit_approve(
        comment_id=comment.pk, actor=moderator, body="The ferry timetable matters, **truly**."
    )

    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert "<strong>truly</strong>" in comment.body_html and comment.edited_at
    assert refresh(premoderated).comment_count == 1
    services.revert_action(action_id=action.pk, actor=moderator)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HELD and comment.body_source == CIVIL


def test_feature_and_unfeature(article, moderator):
    comment = post(article.thread, guest("f")).comment
    action = services.comment_feature(comment_id=comment.pk, actor=moderator)
    comment.refresh_from_db()
    assert comment.featured
    with pytest.raises(Conflict):
        services.comment_feature(comment_id=comment.pk, actor=moderator)
    services.revert_action(action_id=action.pk, actor=moderator)
    comment.refresh_from_db()
    assert not comment.featured


def test_bulk_approve_skips_what_cannot_be_approved(premoderated, moderator):
    first = post(premoderated, guest("b1")).comment
    second = post(premoderated, guest("b2"), "Another view on the harbour plan entirely.").comment
    services.comment_approve(comment_id=second.pk, actor=moderator)
    actions = services.comments_approve_bulk(
        comment_ids=[first.pk, second.pk, 999999], actor=moderator
    )
    assert [a.comment_id for a in actions] == [first.pk]
    assert refresh(premoderated).comment_count == 2


# -- trust ----------------------------------------------------------------------------------------


def test_trust_rises_with_approvals_and_age_and_falls_with_rejections(
    article, make_user, moderator
):
    writer = make_user()
    writer.date_joined = now() - timedelta(days=30)
    writer.save(update_fields=["date_joined"])
    assert trust_recompute(user=writer).trust_level == 0  # new accounts start at 0
    for n in range(11):
        Comment.objects.create(
            thread=article.thread, author=writer, path=f"{n:08d}", seq=n + 1000,
            body_source="x", body_html="x", status=CommentStatus.PUBLISHED,
        )  # fmt: skip
    thread_recount(thread=article.thread)
    assert trust_recompute(user=writer).trust_level == 2
    bad = Comment.objects.filter(author=writer).first()
    services.comment_reject(comment_id=bad.pk, actor=moderator, reason="Abuse.")
    assert UserStanding.objects.get(user=writer).trust_level == 1  # 10 - 5 < 10


# -- bans -----------------------------------------------------------------------------------------


def test_a_user_ban_acts_at_once_and_can_expire_or_be_lifted(article, make_user, moderator):
    writer = make_user()
    member = Viewer(user=writer)
    action = sanctions.user_ban(user_id=writer.pk, actor=moderator, reason="Threats.")
    with pytest.raises(Forbidden, match="banned") as refused:
        post(article.thread, member)
    assert refused.value.code == "banned"
    assert not Comment.objects.filter(author=writer).exists()  # a refusal stores nothing

    services.revert_action(action_id=action.pk, actor=moderator)
    assert post(article.thread, member).published

    sanctions.user_ban(user_id=writer.pk, actor=moderator, days=2)
    Ban.objects.filter(user=writer).update(expires_at=now() - timedelta(seconds=1))
    assert post(article.thread, member, "A new thought on the harbour, after the ban.").published


def test_a_banned_guest_cannot_return_under_a_new_name(article, moderator):
    first = post(article.thread, guest("old-token"), guest_email="troll@example.org").comment
    assert first.guest_email_hash == email_hash("troll@example.org")
    actions = sanctions.commenter_ban(comment_id=first.pk, actor=moderator, reason="Troll.")
    assert {a.change["ban_kind"] for a in actions} == {"address", "email"}

    # Same address, new token, new name: refused.
    with pytest.raises(Forbidden, match="banned"):
        post(article.thread, guest("new-token"), name="Totally Different")
    # Another address, but the same e-mail: refused.
    with pytest.raises(Forbidden, match="banned"):
        post(
            article.thread, guest("third-token"), name="Someone Else", address="198.51.100.1",
            guest_email="Troll@Example.org ",
        )  # fmt: skip
    # Someone else entirely: fine.
    assert post(article.thread, guest("nice"), name="Nice", address="198.51.100.2").published


def test_address_bans_spare_established_members_but_not_new_accounts(article, make_user, moderator):
    comment = post(article.thread, guest("t")).comment
    sanctions.address_ban(address_hash=comment.address_hash, actor=moderator)
    newcomer = make_user()
    with pytest.raises(Forbidden):
        post(article.thread, Viewer(user=newcomer))
    regular = make_user()
    UserStanding.objects.create(user=regular, trust_level=3, updated_at=now())
    assert post(article.thread, Viewer(user=regular)).published


def test_ban_lift_and_its_revert(article, moderator, make_user):
    writer = make_user()
    ban_action = sanctions.user_ban(user_id=writer.pk, actor=moderator)
    lift = sanctions.ban_lift(ban_id=ban_action.change["ban_id"], actor=moderator)
    assert post(article.thread, Viewer(user=writer)).published
    services.revert_action(action_id=lift.pk, actor=moderator)
    with pytest.raises(Forbidden):
        post(article.thread, Viewer(user=writer), "Something else entirely about trams.")


def test_suspension_refuses_until_its_end(article, make_user, moderator):
    writer = make_user()
    action = sanctions.user_suspend(user_id=writer.pk, actor=moderator, days=3)
    with pytest.raises(Forbidden, match="suspended from commenting until") as refused:
        post(article.thread, Viewer(user=writer))
    assert refused.value.code == "suspended"
    with pytest.raises(InvalidInput, match="number of days"):
        sanctions.user_suspend(user_id=writer.pk, actor=moderator, days=0)
    services.revert_action(action_id=action.pk, actor=moderator)
    assert post(article.thread, Viewer(user=writer)).published


# -- shadow-bans ----------------------------------------------------------------------------------


def test_shadow_ban_shows_comments_to_their_author_only(article, make_user, moderator):
    writer, reader = make_user(), make_user()
    author_view, reader_view = Viewer(user=writer), Viewer(user=reader)
    earlier = post(article.thread, author_view).comment
    assert refresh(article.thread).comment_count == 1

    action = sanctions.user_shadow_ban(user_id=writer.pk, actor=moderator)
    later = post(article.thread, author_view, "Another thought about the tram timetable.").comment

    assert later.shadowed and later.status == CommentStatus.PUBLISHED
    assert refresh(article.thread).comment_count == 0
    assert visible_ids(article.thread, author_view) == [earlier.pk, later.pk]
    assert visible_ids(article.thread, reader_view) == []
    assert visible_ids(article.thread, ANONYMOUS) == []
    assert set(visible_ids(article.thread, Viewer(user=moderator))) == {earlier.pk, later.pk}

    services.revert_action(action_id=action.pk, actor=moderator)
    # Lifting shows what was hidden by the ban; later comments stay as the ban left them
    # until unshadowed (user_unshadow_ban shows them all).
    assert visible_ids(article.thread, reader_view) == [earlier.pk]
    sanctions.user_shadow_ban(user_id=writer.pk, actor=moderator)
    sanctions.user_unshadow_ban(user_id=writer.pk, actor=moderator)
    assert visible_ids(article.thread, reader_view) == [earlier.pk, later.pk]
    assert refresh(article.thread).comment_count == 2


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
