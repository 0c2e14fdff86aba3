"""Reader tools and the moderators' back office over HTTP: flag and mute pages, the audit log,
the moderator-role page, word lists, the dashboard's SVG charts and the re-scoring button."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts.guests import COOKIE_NAME
from broadsheet.accounts.models import User
from broadsheet.accounts.viewers import Viewer
from broadsheet.core.clock import now
from broadsheet.discussion.models import CommentStatus, Thread
from broadsheet.discussion.services import NewComment, insert_comment, thread_get_or_create
from broadsheet.moderation.flags import flag_comment
from broadsheet.moderation.models import ActionKind, Flag, ModerationAction, Mute, Term
from broadsheet.moderation.stats import dashboard_stats

pytestmark = pytest.mark.django_db


def comment_on(thread: Thread, *, author=None, body: str = "A point.", days_ago: int = 0):
    return insert_comment(
        thread=thread,
        parent=None,
        new=NewComment(
            body_source=body,
            body_html=f"<p>{body}</p>",
            status=CommentStatus.PUBLISHED,
            created_at=now() - timedelta(days=days_ago),
            author=author,
            guest_name="" if author else "Pat",
        ),
    )


@pytest.fixture
def loud(make_user) -> User:
    return make_user(display_name="Loud Larry")


@pytest.fixture
def target(article, loud):
    return comment_on(article.thread, author=loud, body="You are all fools.")


@pytest.fixture
def admin(make_user) -> User:
    return make_user(display_name="Ada Admin", is_superuser=True, is_staff=True)


# -- flags ----------------------------------------------------------------------------------


def test_the_flag_page_offers_reasons_and_confirms(client, make_user, target):
    client.force_login(make_user())
    url = reverse("web:comment-flag", args=[target.pk])
    page = client.get(url).content.decode()
    for value in ("spam", "abuse", "hate", "off_topic", "other"):
        assert f'name="reason" value="{value}"' in page
    response = client.post(url, {"reason": "abuse", "note": "Name-calling"})
    assert response.status_code == 200
    assert "The moderators will look at this comment." in response.content.decode()
    flag = Flag.objects.get()
    assert (flag.reason, flag.note, flag.comment_id) == ("abuse", "Name-calling", target.pk)
    again = client.post(url, {"reason": "spam"})
    assert again.status_code == 409
    assert "You have already flagged this comment." in again.content.decode()
    assert Flag.objects.count() == 1


def test_flagging_inline_answers_json_and_errors_clearly(client, make_user, target):
    client.force_login(make_user())
    url = reverse("web:comment-flag", args=[target.pk])
    bad = client.post(url, {"reason": "meh"}, headers={"Accept": "application/json"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "flag_reason"
    ok = client.post(url, {"reason": "spam"}, headers={"Accept": "application/json"})
    assert ok.status_code == 201
    assert ok.json() == {
        "id": target.pk,
        "flagged": True,
        "held": False,
        "message": "Thank you. The moderators will look at this comment.",
    }


def test_a_guest_can_flag_and_gets_a_token(client, target):
    response = client.post(reverse("web:comment-flag", args=[target.pk]), {"reason": "spam"})
    assert response.status_code == 200
    assert COOKIE_NAME in response.cookies
    assert Flag.objects.get().reporter_guest_hash


def test_the_comment_shows_flag_and_mute_to_others_only(client, article, target, loud):
    page = client.get(article.get_absolute_url()).content.decode()
    assert reverse("web:comment-flag", args=[target.pk]) in page
    assert reverse("web:comment-mute", args=[target.pk]) in page
    client.force_login(loud)
    own = client.get(article.get_absolute_url()).content.decode()
    assert reverse("web:comment-flag", args=[target.pk]) not in own
    assert reverse("web:comment-mute", args=[target.pk]) not in own


# -- mutes ----------------------------------------------------------------------------------


def test_muting_collapses_for_the_muter_only_and_can_be_undone(client, make_user, article, target):
    muter = make_user()
    client.force_login(muter)
    url = reverse("web:comment-mute", args=[target.pk])
    assert "Mute Loud Larry?" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 303
    assert response["Location"].endswith(f"#c-{target.pk}")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "muted by you" in page and 'class="comment muted"' in page
    mutes_page = client.get(reverse("web:mutes")).content.decode()
    assert "Loud Larry" in mutes_page

    client.force_login(make_user())
    assert "muted by you" not in client.get(article.get_absolute_url()).content.decode()
    client.logout()
    assert "muted by you" not in client.get(article.get_absolute_url()).content.decode()

    client.force_login(muter)
    mute = Mute.objects.get()
    assert client.post(reverse("web:mute-remove", args=[mute.pk])).status_code == 303
    assert "muted by you" not in client.get(article.get_absolute_url()).content.decode()
    assert not Mute.objects.exists()


def test_a_muting_reader_pays_one_query_more(client, make_user, article, target):
    reader = make_user()
    client.force_login(reader)
    client.get(article.get_absolute_url())  # warm the session and the user
    with CaptureQueriesContext(connection) as before:
        client.get(article.get_absolute_url())
    client.post(reverse("web:comment-mute", args=[target.pk]))
    with CaptureQueriesContext(connection) as after:
        client.get(article.get_absolute_url())
    assert len(after) == len(before)
    assert any("moderation_mute" in q["sql"] for q in after.captured_queries)


# -- the audit log --------------------------------------------------------------------------


@pytest.fixture
def log(moderator, admin, target, loud):
    a = ModerationAction.objects.create(
        actor=moderator, kind=ActionKind.REJECT, comment=target, target_user=loud, reason="rude"
    )
    b = ModerationAction.objects.create(
        actor=moderator, kind=ActionKind.APPROVE, comment=target, target_user=loud
    )
    c = ModerationAction.objects.create(actor=admin, kind=ActionKind.REVERT, comment=target)
    ModerationAction.objects.filter(pk=b.pk).update(reverted_by=c)
    old = ModerationAction.objects.create(
        actor=admin,
        kind=ActionKind.BAN,
        target_user=loud,
        created_at=now() - timedelta(days=40),
    )
    return {"reject": a, "approve": b, "revert": c, "old": old}


def test_the_log_is_for_moderators(client, make_user):
    url = reverse("moderation_admin:log")
    assert client.get(url).status_code == 302
    client.force_login(make_user())
    refused = client.get(url)
    assert refused.status_code == 403 and "for moderators" in refused.content.decode()


def test_the_log_lists_and_filters(client, moderator, log, loud, target):
    client.force_login(moderator)
    url = reverse("moderation_admin:log")
    page = client.get(url).content.decode()
    for action in log.values():
        assert f'id="action-{action.pk}"' in page
    assert "reverted by" in page and f"#{log['revert'].pk}" in page
    assert reverse("web:comment", args=[target.pk]) in page

    def shown(**query) -> set[int]:
        text = client.get(url, query).content.decode()
        return {a.pk for a in log.values() if f'id="action-{a.pk}"' in text}

    assert shown(kind="reject") == {log["reject"].pk}
    assert shown(actor=moderator.pk) == {log["reject"].pk, log["approve"].pk}
    assert shown(target=loud.pk) == {log["reject"].pk, log["approve"].pk, log["old"].pk}
    assert shown(comment=target.pk) == {log["reject"].pk, log["approve"].pk, log["revert"].pk}
    # The filter's days are the site's (TIME_ZONE), not UTC's: they differ for hours a day.
    day = timezone.localdate(now() - timedelta(days=40))
    assert shown(since=str(day), until=str(day)) == {log["old"].pk}
    bad = client.get(url, {"since": "yesterday"})
    assert bad.status_code == 400 and "a date like" in bad.content.decode()


def test_the_log_pages(client, moderator, target):
    ModerationAction.objects.bulk_create(
        ModerationAction(actor=moderator, kind=ActionKind.APPROVE, comment=target)
        for _ in range(55)
    )
    client.force_login(moderator)
    first = client.get(reverse("moderation_admin:log"), {"kind": "approve"}).content.decode()
    assert "Page 1 of 2" in first and "kind=approve&amp;page=2" in first
    second = client.get(reverse("moderation_admin:log"), {"kind": "approve", "page": 2})
    assert second.content.decode().count('class="kind-approve') == 5


# -- moderator roles ------------------------------------------------------------------------


def test_admins_grant_and_remove_the_role(client, admin, make_user):
    reader = make_user(email="new.mod@example.com", display_name="Nia")
    client.force_login(admin)
    url = reverse("moderation_admin:roles")
    response = client.post(url, {"action": "grant", "email": "New.Mod@example.com"})
    assert response.status_code == 303
    assert Viewer(user=User.objects.get(pk=reader.pk)).is_moderator
    grant = ModerationAction.objects.get(kind=ActionKind.ROLE_GRANT)
    assert (grant.actor, grant.target_user) == (admin, reader)
    page = client.get(url).content.decode()
    assert "Nia" in page and "Moderators group" in page
    again = client.post(url, {"action": "grant", "email": "new.mod@example.com"})
    assert again.status_code == 409 and "already a moderator" in again.content.decode()
    assert client.post(url, {"action": "revoke", "user": reader.pk}).status_code == 303
    assert not Viewer(user=User.objects.get(pk=reader.pk)).is_moderator
    assert ModerationAction.objects.filter(kind=ActionKind.ROLE_REVOKE, target_user=reader)
    missing = client.post(url, {"action": "grant", "email": "nobody@example.com"})
    assert missing.status_code == 404


def test_the_role_page_refuses_non_admins(client, moderator, make_user):
    client.force_login(moderator)
    url = reverse("moderation_admin:roles")
    assert client.get(url).status_code == 403
    other = make_user(email="x@example.com")
    assert client.post(url, {"action": "grant", "email": "x@example.com"}).status_code == 403
    assert not Viewer(user=User.objects.get(pk=other.pk)).is_moderator
    assert not ModerationAction.objects.exists()


def test_staff_allowed_to_change_groups_are_admins(client, make_user):
    staff = make_user(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="change_group"))
    client.force_login(staff)
    assert client.get(reverse("moderation_admin:roles")).status_code == 200


# -- word lists -----------------------------------------------------------------------------


def test_moderators_edit_the_word_lists(client, moderator, make_user):
    url = reverse("moderation_admin:terms")
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    response = client.post(url, {"kind": "suspect", "text": "  grifter  ", "category": "abuse"})
    assert response.status_code == 303
    term = Term.objects.get()
    assert (term.kind, term.text, term.created_by) == ("suspect", "grifter", moderator)
    assert "grifter" in client.get(url).content.decode()
    dup = client.post(url, {"kind": "suspect", "text": "grifter", "category": "abuse"})
    assert dup.status_code == 409 and "already on that list" in dup.content.decode()
    bad = client.post(url, {"kind": "banned", "text": "***", "category": "abuse"})
    assert bad.status_code == 400
    remove = reverse("moderation_admin:term-remove", args=[term.pk])
    assert client.post(remove).status_code == 303
    assert not Term.objects.exists()


# -- the dashboard --------------------------------------------------------------------------


@pytest.fixture
def busy(make_user, moderator):
    thread = thread_get_or_create(
        key="https://elsewhere.example/p/1", title='<script>alert("x")</script> & more'
    )
    author = make_user()
    comments = [comment_on(thread, author=author, body=f"Point {i}") for i in range(4)]
    for comment in comments[:2]:
        flag_comment(comment_id=comment.pk, viewer=Viewer(user=make_user()), reason="spam")
    held = comment_on(thread, author=author, body="held one", days_ago=1)
    type(held).objects.filter(pk=held.pk).update(status=CommentStatus.HELD)
    Flag.objects.filter(comment=comments[0]).update(created_at=now() - timedelta(minutes=30))
    ModerationAction.objects.create(actor=moderator, kind=ActionKind.APPROVE, comment=comments[0])
    return thread


def test_the_dashboard_draws_svg_charts_with_escaped_labels(client, moderator, busy):
    client.force_login(moderator)
    url = reverse("moderation_admin:dashboard")
    page = client.get(url).content.decode()
    assert page.count("<svg") == 4
    assert "Comments per hour" in page and "Most-flagged" in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in page
    assert '<script>alert("x")' not in page
    assert 'href="https://elsewhere.example/p/1"' in page
    assert "30 min" in page  # the median time to decision
    assert "cdn" not in page.lower()
    month = client.get(url, {"days": 30}).content.decode()
    assert 'aria-current="page">Last 30 days' in month


def test_the_dashboard_figures_cost_five_queries(busy):
    with CaptureQueriesContext(connection) as queries:
        figures = dashboard_stats(days=30)
    assert len(queries) == 5
    assert figures.comments == 5
    assert figures.shares == {"approved": 4, "held": 1, "rejected": 0}
    assert figures.most_flagged[0].flags == 2
    assert figures.decisions == 1
    assert len(figures.per_hour) in (720, 721)


def test_the_dashboard_is_for_moderators(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("moderation_admin:dashboard")).status_code == 403


# -- re-scoring -----------------------------------------------------------------------------


def test_the_rescore_button_previews_then_applies(client, admin, moderator, article):
    Term.objects.create(kind="banned", text="zorblax", category="abuse")
    bad = comment_on(article.thread, body="Zorblax, the lot of you.")
    client.force_login(admin)
    dashboard = client.get(reverse("moderation_admin:dashboard")).content.decode()
    assert "Preview the changes" in dashboard
    start = reverse("moderation_admin:rescore")
    refused = client.post(start, {"days": "7", "apply": "1"})
    assert refused.status_code == 400 and "Preview the changes" in refused.content.decode()
    preview = client.post(start, {"days": "7"})
    assert preview.status_code == 303
    run_page = client.get(preview["Location"]).content.decode()
    assert "What would change" in run_page and "published→rejected" in run_page
    assert "<progress" in run_page and "Apply these changes" in run_page
    run_id = preview["Location"].rstrip("/").rsplit("/", 1)[-1]
    state = client.get(preview["Location"], headers={"Accept": "application/json"}).json()
    assert state["status"] == "done" and state["percent"] == 100
    assert type(bad).objects.get(pk=bad.pk).status == "published"
    applied = client.post(start, {"days": "7", "apply": "1", "preview": run_id})
    assert applied.status_code == 303
    assert type(bad).objects.get(pk=bad.pk).status == "rejected"
    assert ModerationAction.objects.get(kind=ActionKind.RESCORE).actor == admin

    client.force_login(moderator)
    assert client.post(start, {"days": "7"}).status_code == 403
    assert "Preview the changes" not in (
        client.get(reverse("moderation_admin:dashboard")).content.decode()
    )
