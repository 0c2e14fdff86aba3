"""Bans (account, address, a guest's e-mail; expiry, lifting) and shadow-bans, via the intake."""

from datetime import timedelta

import pytest
from moderation_calls import (  # tests/ is not a package
    guest,
    post,
    refresh,
    visible_ids,
)

from broadsheet.accounts.viewers import ANONYMOUS, Viewer
from broadsheet.core.clock import now
from broadsheet.core.errors import Forbidden, InvalidInput
from broadsheet.discussion.models import Comment, CommentStatus
from broadsheet.moderation import sanctions, services
from broadsheet.moderation.intake import email_hash
from broadsheet.moderation.models import Ban, UserStanding

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


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
