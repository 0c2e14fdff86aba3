"""A member's data download and account erasure, against the database."""

import io
from itertools import count

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from broadsheet.accounts.models import User
from broadsheet.accounts.services import user_set_avatar
from broadsheet.core.clock import now
from broadsheet.core.errors import InvalidInput
from broadsheet.core.markup import render_comment
from broadsheet.discussion.models import Comment, CommentStatus, EventKind, Thread, ThreadEvent
from broadsheet.discussion.services import NewComment, insert_comment
from broadsheet.portability.erasure import user_data, user_erase

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # what make_user gives
NAME = "Zelda Quintrell"
EMAIL = "zelda.q@example.org"
BIO = "Retired ferry pilot; opinions my own."
_n = count(1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def add(thread: Thread, parent: Comment | None, author: User, **fields) -> Comment:
    body = f"{author.display_name} writes opinion {next(_n)}"
    return insert_comment(
        thread=thread,
        parent=parent,
        new=NewComment(
            body_source=body,
            body_html=render_comment(body),
            status=fields.pop("status", CommentStatus.PUBLISHED),
            created_at=now(),
            author=author,
            address_hash="f0" * 16,
        ),
    )


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), (200, 40, 40)).save(out, "PNG")
    return SimpleUploadedFile("me.png", out.getvalue(), "image/png")


@pytest.fixture
def zelda(make_user):
    return make_user(display_name=NAME, email=EMAIL, bio=BIO)


@pytest.fixture
def discussion(article, zelda, make_user):
    """Zelda's comments: some others replied to, some not, some only she replied to."""
    other = make_user(display_name="Otto Other")
    thread = article.thread
    c = {}
    c["replied"] = add(thread, None, zelda)  # Otto replies: tombstone
    add(thread, c["replied"], other)
    c["alone"] = add(thread, None, zelda)  # nobody replies: removed
    otto_top = add(thread, None, other)
    c["reply_to_otto"] = add(thread, otto_top, zelda)  # a leaf: removed
    c["own_chain_top"] = add(thread, None, zelda)  # only her own replies: all removed
    c["own_chain_reply"] = add(thread, c["own_chain_top"], zelda)
    c["deep_top"] = add(thread, None, zelda)  # her reply below has Otto's reply: both stay
    c["deep_mid"] = add(thread, c["deep_top"], zelda)
    add(thread, c["deep_mid"], other)
    c["held"] = add(thread, None, zelda, status=CommentStatus.HELD)  # removed
    return {"thread": thread, "other": other, "comments": c}


def test_download_has_the_profile_and_every_comment(zelda, discussion):
    data = user_data(user=zelda)
    assert data["format"] == "broadsheet-user-data"
    assert data["profile"]["email"] == EMAIL
    assert data["profile"]["display_name"] == NAME
    assert data["profile"]["bio"] == BIO
    mine = Comment.objects.filter(author=zelda)
    assert sorted(c["id"] for c in data["comments"]) == sorted(mine.values_list("id", flat=True))
    held = next(c for c in data["comments"] if c["id"] == discussion["comments"]["held"].pk)
    assert held["status"] == "held"
    assert held["body"].startswith(f"{NAME} writes opinion")
    assert held["thread"]["key"] == discussion["thread"].key
    assert "f0" * 16 not in str(data)


def test_erasure_tombstones_what_replies_need_and_removes_the_rest(
    zelda, discussion, client, media, django_capture_on_commit_callbacks
):
    c = discussion["comments"]
    thread = discussion["thread"]
    user_set_avatar(user=zelda, upload=png())
    avatar_dir = media / "avatars" / str(zelda.pk)
    assert len(list(avatar_dir.iterdir())) == 2
    client.force_login(zelda)
    assert Session.objects.count() == 1
    AccessAttempt.objects.create(
        username=EMAIL, ip_address="203.0.113.9", user_agent="x", failures_since_start=1
    )
    version = Thread.objects.get(pk=thread.pk).version
    others_before = Comment.objects.exclude(author=zelda).count()

    with django_capture_on_commit_callbacks(execute=True):
        report = user_erase(user=zelda, password=PASSWORD)

    kept = {"replied", "deep_top", "deep_mid"}
    assert report.tombstoned == 3 and report.removed == len(c) - 3 and report.threads == 1
    remaining = set(Comment.objects.filter(pk__in=[x.pk for x in c.values()]).values_list("pk"))
    assert remaining == {(c[name].pk,) for name in kept}
    for name in kept:
        tomb = Comment.objects.get(pk=c[name].pk)
        assert tomb.status == CommentStatus.DELETED
        assert tomb.author_id is None and tomb.guest_name == "[deleted]"
        assert tomb.body_source == tomb.body_html == ""
        assert tomb.address_hash == tomb.guest_key_hash == tomb.guest_email_hash == ""
        assert tomb.moderation_reasons == []
    # Replies by others are untouched and still hang where they did.
    assert (
        Comment.objects.exclude(pk__in=[c[n].pk for n in kept]).filter(author__isnull=True).count()
        == 0
    )
    assert Comment.objects.filter(author=discussion["other"]).count() == others_before
    thread.refresh_from_db()
    published = Comment.objects.filter(thread=thread, status=CommentStatus.PUBLISHED)
    assert thread.comment_count == published.count() == others_before
    assert thread.top_level_count == published.filter(depth=0).count()
    assert thread.version > version
    # Live readers are told about every comment that went or became a tombstone.
    removed = ThreadEvent.objects.filter(thread=thread, kind=EventKind.REMOVED)
    assert set(removed.values_list("comment_id", flat=True)) == {x.pk for x in c.values()}
    # Personal data: none left on the row, nor files, sessions or sign-in records.
    row = User.objects.get(pk=zelda.pk)
    values = [str(getattr(row, f.attname)) for f in User._meta.concrete_fields]
    for value in values:
        assert EMAIL not in value and NAME not in value and BIO not in value
    assert row.bio == "" and row.avatar_key == "" and row.email_verified_at is None
    assert not row.has_usable_password() and not row.is_active and row.last_login is None
    assert not avatar_dir.exists() or not list(avatar_dir.iterdir())
    assert Session.objects.count() == 0
    assert not AccessAttempt.objects.exists()


def test_nothing_personal_is_left_anywhere_in_the_database(zelda, discussion):
    user_erase(user=zelda)
    out = io.StringIO()
    call_command("dumpdata", exclude=["contenttypes", "auth.permission"], stdout=out)
    dump = out.getvalue()
    assert EMAIL not in dump and NAME not in dump and BIO not in dump
    assert f"{NAME} writes opinion" not in dump


def test_wrong_password_erases_nothing(zelda, discussion):
    before = Comment.objects.filter(author=zelda).count()
    with pytest.raises(InvalidInput) as refused:
        user_erase(user=zelda, password="not it")
    assert refused.value.code == "password_wrong" and refused.value.field == "password"
    zelda.refresh_from_db()
    assert zelda.email == EMAIL and zelda.is_active
    assert Comment.objects.filter(author=zelda).count() == before


def test_erasing_an_author_keeps_their_articles(author, article):
    user_erase(user=author)
    article.refresh_from_db()
    assert article.author_id == author.pk
    assert article.author.display_name == "Erased member"
