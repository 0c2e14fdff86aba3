"""A member's own data: the download of everything we hold about them, and erasure.

Erasure keeps the account row as an inert placeholder instead of deleting it:
articles (PROTECT), votes (their tallies stay right) and moderation records
point at it, and deleting it would either fail or change other people's
numbers. Everything personal on it goes: the address, name, bio, picture,
password, sessions, API tokens and sign-in records. Their comments go too: a comment with
no replies is deleted outright; one that replies hang under becomes a
"[deleted]" tombstone (no author, no text), so the discussion around it still
reads. All of it in one transaction; the pictures go once it commits.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import transaction

from broadsheet.accounts import avatars
from broadsheet.accounts.models import User
from broadsheet.accounts.services import user_remove_avatar
from broadsheet.core.clock import now
from broadsheet.core.errors import InvalidInput
from broadsheet.discussion.models import Comment
from broadsheet.discussion.services import comment_delete

USER_DATA_FORMAT = "broadsheet-user-data"
USER_DATA_VERSION = 1
ERASED_NAME = "Erased member"
TOMBSTONE_NAME = "[deleted]"
CHUNK_SIZE = 1000


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# -- download ------------------------------------------------------------------------------------


def user_data_chunks(*, user: User) -> Iterator[str]:
    """Everything we hold about `user`, as one JSON document written a comment at a time.

    Their own address is in it (it is theirs); hashes that identify a browser or
    a network are not, since they mean nothing outside the site.
    """
    dump = json.JSONEncoder(ensure_ascii=False, indent=None, separators=(",", ":")).encode
    profile = {
        "id": user.pk,
        "email": user.email,
        "email_verified_at": _iso(user.email_verified_at),
        "display_name": user.display_name,
        "bio": user.bio,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "is_staff": user.is_staff,
        "avatar": {
            str(size): avatars.avatar_url(user, size) for size in avatars.SIZES if user.avatar_key
        },
    }
    head = {
        "format": USER_DATA_FORMAT,
        "version": USER_DATA_VERSION,
        "exported_at": _iso(now()),
        "profile": profile,
    }
    yield dump(head)[:-1] + ',"comments":['
    comments = (
        Comment.objects.filter(author=user)
        .order_by("created_at", "id")
        .values(
            "id", "thread_id", "thread__key", "thread__title", "parent_id", "body_source",
            "status", "created_at", "edited_at", "upvotes", "downvotes",
        )
    )  # fmt: skip
    for n, c in enumerate(comments.iterator(chunk_size=CHUNK_SIZE)):
        record = {
            "id": c["id"],
            "thread": {"id": c["thread_id"], "key": c["thread__key"], "title": c["thread__title"]},
            "parent": c["parent_id"],
            "body": c["body_source"],
            "status": c["status"],
            "created_at": _iso(c["created_at"]),
            "edited_at": _iso(c["edited_at"]),
            "upvotes": c["upvotes"],
            "downvotes": c["downvotes"],
        }
        yield ("," if n else "") + dump(record)
    yield "]}"


def user_data(*, user: User) -> dict[str, Any]:
    """The download as a dict (for tests and the admin; the page streams the chunks)."""
    return json.loads("".join(user_data_chunks(user=user)))


# -- erasure ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureReport:
    removed: int
    tombstoned: int
    threads: int


def check_erasure_password(user: User, password: str) -> None:
    """Erasure cannot be undone, so a borrowed signed-in browser must not be enough."""
    if not password or not user.check_password(password):
        raise InvalidInput(
            "That is not your password. Your account has not been erased.",
            code="password_wrong",
            field="password",
        )


def user_erase(*, user: User, password: str | None = None) -> ErasureReport:
    """Erases a member's personal data and comments; see the module docstring.

    `password` is checked first when given (the page always gives it; an
    operator's command may erase without it).
    """
    if password is not None:
        check_erasure_password(user, password)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        email = user.email
        removed, tombstoned, thread_ids = _erase_comments(user)
        user_remove_avatar(user=user)  # the files go once this commits
        _forget_all_pictures(user.pk)
        user.email = f"erased-{user.pk}@erased.invalid"
        user.display_name = ERASED_NAME
        user.name_key = f"erased-{user.pk}"
        user.bio = ""
        user.email_verified_at = None
        user.last_login = None
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        _end_sessions(user.pk)
        user.api_tokens.all().delete()  # like the sessions: nothing may act for them any more
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=email).delete()
    return ErasureReport(removed=removed, tombstoned=tombstoned, threads=len(thread_ids))


def _erase_comments(user: User) -> tuple[int, int, set[int]]:
    """Deletes the member's comments through the author's own delete, deepest first.

    `comment_delete` removes a comment nothing hangs under and tombstones one
    with replies (keeping the thread's counts, bumping its version and telling
    live readers); going deepest first, a comment whose only replies are the
    member's own goes too instead of staying as an empty tombstone. What it
    leaves is then cut loose from the account: no author, no hashes.
    """
    mine = list(
        Comment.objects.filter(author=user).order_by("-depth", "-id").values_list("id", "thread_id")
    )
    for pk, _ in mine:
        # A tombstone of theirs may already have gone with its last reply.
        comment = Comment.objects.filter(pk=pk).first()
        if comment is not None:
            comment_delete(comment=comment)
    still_there = _existing([pk for pk, _ in mine])
    kept = [pk for pk, _ in mine if pk in still_there]
    for start in range(0, len(kept), CHUNK_SIZE):
        Comment.objects.filter(pk__in=kept[start : start + CHUNK_SIZE]).update(
            author=None,
            guest_name=TOMBSTONE_NAME,
            guest_email_hash="",
            guest_key_hash="",
            address_hash="",
            body_source="",
            body_html="",
            moderation_reasons=[],
        )
    return len(mine) - len(kept), len(kept), {thread_id for _, thread_id in mine}


def _existing(ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK_SIZE):
        batch = ids[start : start + CHUNK_SIZE]
        found.update(Comment.objects.filter(pk__in=batch).values_list("pk", flat=True))
    return found


def _forget_all_pictures(user_id: int) -> None:
    """Earlier pictures too, should any file of theirs have outlived its key."""

    def delete() -> None:
        directory = f"avatars/{user_id}"
        try:
            _, files = default_storage.listdir(directory)
        except (FileNotFoundError, NotImplementedError):
            return
        for name in files:
            default_storage.delete(f"{directory}/{name}")

    transaction.on_commit(delete)


def _end_sessions(user_id: int) -> None:
    """Deletes the member's stored sessions (the unusable password already voids them)."""
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return
    wanted = str(user_id)
    doomed = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=now()).iterator(chunk_size=500)
        if str(session.get_decoded().get(SESSION_KEY)) == wanted
    ]
    Session.objects.filter(session_key__in=doomed).delete()
