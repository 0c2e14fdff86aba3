"""Every write to an account: registration, addresses, passwords, profile, avatar, API tokens.

Pages, the admin and commands call these; each validates its input, raises
`InvalidInput` (with a message, a code and the field at fault) before writing
anything, and writes in one transaction.

Mail is queued inside that transaction on purpose: with the database task
backend the queued task commits or rolls back with the account it is about,
so a registration that fails leaves no stray mail, and one that succeeds
cannot lose its mail.
"""

from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare

from broadsheet.core.clock import now
from broadsheet.core.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from broadsheet.core.text import check_text, normalize_newlines

from . import api_tokens, avatars, tasks, throttles, tokens
from .models import ApiToken, TokenScope, User
from .names import name_key

DISPLAY_NAME_MAX_LENGTH = 50
BIO_MAX_LENGTH = 2000
EMAIL_MAX_LENGTH = 254
NAME_KEY_MAX_LENGTH = 255
TOKEN_NAME_MAX_LENGTH = 100
# Enough for every script a member runs; a bound, so a stolen session cannot mint thousands.
ACTIVE_TOKENS_MAX = 20
# `last_used_at` is a hint for the token list, not an audit trail: one write a minute at most.
TOKEN_TOUCH_SECONDS = 60
# Names that would pass for the site speaking; compared folded, like every name.
RESERVED_NAMES = (
    "admin", "administrator", "moderator", "moderators", "mod", "staff", "editor", "editors",
    "system", "root", "support", "broadsheet", "anonymous", "guest", "deleted", "unknown",
)  # fmt: skip
# Characters that reorder or hide text: "Maya\u202eOkafor" must not pass for another name.
_HIDDEN = frozenset("\u200b\u2060\ufeff\u00ad\u061c\u200e\u200f") | frozenset(
    chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


# -- checks: each returns the clean value or raises InvalidInput ------------------------------


def check_email(email: str, *, field: str = "email") -> str:
    """A syntactically valid address, trimmed and lowercased (addresses compare case-blind)."""
    email = check_text(email, field=field, label="The e-mail address").strip()
    if not email:
        raise InvalidInput("Enter your e-mail address.", code="email_required", field=field)
    if len(email) > EMAIL_MAX_LENGTH:
        raise InvalidInput(
            f"The e-mail address is {len(email)} characters long; the limit is {EMAIL_MAX_LENGTH}.",
            code="email_too_long",
            field=field,
        )
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(
            "That is not a valid e-mail address.", code="email_invalid", field=field
        ) from None
    return email.lower()


def _check_email_free(email: str, *, field: str, exclude_user_id: int | None = None) -> None:
    taken = User.objects.with_email(email)
    if exclude_user_id is not None:
        taken = taken.exclude(pk=exclude_user_id)
    if taken.exists():
        raise InvalidInput(
            "An account with this e-mail address already exists. Sign in, or reset its password.",
            code="email_taken",
            field=field,
        )


def check_display_name(name: str, *, exclude_user_id: int | None = None) -> tuple[str, str]:
    """The trimmed name and its folded key; refuses names confusable with another member's."""
    field = "display_name"
    name = " ".join(check_text(name, field=field, label="The display name").split())
    if not name:
        raise InvalidInput("Choose a display name.", code="name_required", field=field)
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        raise InvalidInput(
            f"The display name is {len(name)} characters long; "
            f"the limit is {DISPLAY_NAME_MAX_LENGTH}.",
            code="name_too_long",
            field=field,
        )
    if any(ch in _HIDDEN for ch in name):
        raise InvalidInput(
            "The display name contains an invisible or text-direction character.",
            code="name_hidden_character",
            field=field,
        )
    key = name_key(name)
    if not key:
        raise InvalidInput(
            "The display name needs at least one letter or digit.", code="name_invalid", field=field
        )
    if len(key) > NAME_KEY_MAX_LENGTH:
        raise InvalidInput(
            "The display name is too long once its characters are spelled out.",
            code="name_too_long",
            field=field,
        )
    if key in {name_key(reserved) for reserved in RESERVED_NAMES}:
        raise InvalidInput(
            f"“{name}” is reserved for the site itself. Choose another name.",
            code="name_reserved",
            field=field,
        )
    others = User.objects.filter(name_key=key)
    if exclude_user_id is not None:
        others = others.exclude(pk=exclude_user_id)
    if others.exists():
        raise InvalidInput(
            f"“{name}” is taken, or looks too much like a member's name. Choose another.",
            code="name_taken",
            field=field,
        )
    return name, key


def check_bio(bio: str) -> str:
    bio = normalize_newlines(check_text(bio, field="bio", label="The bio")).strip()
    if len(bio) > BIO_MAX_LENGTH:
        raise InvalidInput(
            f"The bio is {len(bio)} characters long; the limit is {BIO_MAX_LENGTH}.",
            code="bio_too_long",
            field="bio",
        )
    return bio


def check_new_password(password: str, *, user: User, field: str = "password") -> str:
    """Django's configured validators (length, common, numeric, similar to the address)."""
    # Any character may be in a password (it is never shown), but it must be encodable text.
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            "The password contains an invalid character.", code="invalid_unicode", field=field
        ) from None
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), code="password_weak", field=field) from None
    return password


def _check_current_password(user: User, password: str, *, field: str) -> None:
    if not user.check_password(password):
        raise InvalidInput("That is not your current password.", code="password_wrong", field=field)


# -- registration and addresses ----------------------------------------------------------------


def user_register(*, email: str, password: str, display_name: str) -> User:
    """Creates an account with an unverified address and mails the link that verifies it."""
    email = check_email(email)
    name, key = check_display_name(display_name)
    check_new_password(password, user=User(email=email, display_name=name))
    _check_email_free(email, field="email")
    try:
        with transaction.atomic():
            user = User(email=email, display_name=name, name_key=key)
            user.set_password(password)
            user.save()
            throttles.mail_allowed(kind="verify", user_id=user.pk)
            tasks.verification_mail_send.enqueue(user.pk)
    except IntegrityError:
        # Another request registered the same address between the check and the insert.
        _check_email_free(email, field="email")
        raise
    return user


def user_resend_verification(*, user: User) -> None:
    """Mails a fresh verification link, at most once a minute."""
    if user.email_verified:
        raise InvalidInput(
            "Your e-mail address is already confirmed.", code="already_verified", field="email"
        )
    throttles.mail_allow_or_raise(kind="verify", user_id=user.pk)
    tasks.verification_mail_send.enqueue(user.pk)


def _claim_user(token: str, *, purpose: str) -> tuple[tokens.EmailClaim, User]:
    try:
        claim = tokens.email_token_read(token, purpose=purpose)
    except tokens.TokenInvalid as error:
        if error.reason == "expired":
            raise InvalidInput(
                "This link has expired. Ask for a new one from your profile page.",
                code="link_expired",
            ) from None
        raise InvalidInput(
            "This link is not valid. Check that you copied all of it.", code="link_invalid"
        ) from None
    user = User.objects.select_for_update().filter(pk=claim.user_id, is_active=True).first()
    if user is None:
        raise InvalidInput("This link belongs to an account that is closed.", code="link_invalid")
    return claim, user


def _link_used() -> InvalidInput:
    return InvalidInput(
        "This link was already used, or a newer one replaced it. "
        "Use the latest message we sent, or ask for a new link.",
        code="link_used",
    )


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    """Marks the address in a verification link as confirmed; opening it twice is harmless."""
    claim, user = _claim_user(token, purpose=tokens.VERIFY_PURPOSE)
    if user.email == claim.email and user.email_verified:
        return user
    if not tokens.email_token_current(claim, user=user, purpose=tokens.VERIFY_PURPOSE):
        raise _link_used()
    user.email_verified_at = now()
    user.save(update_fields=["email_verified_at"])
    return user


def user_change_email(*, user: User, new_email: str, password: str) -> str:
    """Mails a confirmation link to `new_email`; the account keeps its address until it is opened.

    Asks for the password so that a borrowed, signed-in browser cannot move the account.
    Returns the normalized new address.
    """
    new_email = check_email(new_email, field="new_email")
    _check_current_password(user, password, field="password")
    if new_email == user.email:
        raise InvalidInput(
            "That is already your e-mail address.", code="email_unchanged", field="new_email"
        )
    _check_email_free(new_email, field="new_email", exclude_user_id=user.pk)
    throttles.mail_allow_or_raise(kind="change", user_id=user.pk)
    tasks.email_change_mail_send.enqueue(user.pk, new_email)
    return new_email


@transaction.atomic
def user_confirm_email_change(*, token: str) -> User:
    """Moves the account to the address in the link, verified, and tells the old address."""
    claim, user = _claim_user(token, purpose=tokens.CHANGE_PURPOSE)
    if user.email == claim.email:
        return user
    if not tokens.email_token_current(claim, user=user, purpose=tokens.CHANGE_PURPOSE):
        raise _link_used()
    _check_email_free(claim.email, field="new_email", exclude_user_id=user.pk)
    old_email = user.email
    user.email = claim.email
    user.email_verified_at = now()
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_verified_at"])
    except IntegrityError:
        user.email = old_email
        raise InvalidInput(
            "Another account took this address in the meantime.",
            code="email_taken",
            field="new_email",
        ) from None
    tasks.email_changed_notice_send.enqueue(user.pk, old_email)
    return user


# -- passwords -----------------------------------------------------------------------------------


def user_change_password(*, user: User, current_password: str, new_password: str) -> User:
    """Sets a new password after checking the current one. (The page keeps the session alive.)"""
    _check_current_password(user, current_password, field="current_password")
    check_new_password(new_password, user=user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


def user_request_password_reset(*, email: str) -> None:
    """Mails a reset link if an active account has this address; says nothing either way.

    The page answers the same whether or not the address is known, so the form
    cannot be used to find out who has an account; repeated requests for one
    account within a minute are dropped quietly for the same reason.
    """
    try:
        email = check_email(email)
    except InvalidInput:
        return
    for user in User.objects.with_email(email).filter(is_active=True):
        if user.has_usable_password() and throttles.mail_allowed(kind="reset", user_id=user.pk):
            tasks.password_reset_mail_send.enqueue(user.pk)


def user_reset_password(*, user: User, new_password: str) -> User:
    """Sets the password chosen through a reset link.

    Following the link proves the address, so an unverified one becomes
    verified, and the login lockout for the account is lifted.
    """
    check_new_password(new_password, user=user, field="new_password1")
    user.set_password(new_password)
    fields = ["password"]
    if not user.email_verified:
        user.email_verified_at = now()
        fields.append("email_verified_at")
    user.save(update_fields=fields)
    _lift_login_lockout(user)
    return user


def _lift_login_lockout(user: User) -> None:
    axes_reset(username=user.email)


# -- profile and avatar ---------------------------------------------------------------------------


def user_update_profile(*, user: User, display_name: str, bio: str) -> User:
    name, key = check_display_name(display_name, exclude_user_id=user.pk)
    bio = check_bio(bio)
    user.display_name, user.name_key, user.bio = name, key, bio
    user.save(update_fields=["display_name", "name_key", "bio"])
    return user


def user_set_avatar(*, user: User, upload) -> User:
    """Stores a new picture (validated and resized first) and deletes the one it replaces."""
    renditions = avatars.avatar_render(upload)
    key = avatars.avatar_store(user_id=user.pk, renditions=renditions)
    try:
        _avatar_key_swap(user, key)
    except BaseException:
        avatars.avatar_delete(key)
        raise
    return user


def user_remove_avatar(*, user: User) -> User:
    """Back to the identicon; the stored files go once the change commits."""
    _avatar_key_swap(user, "")
    return user


def _avatar_key_swap(user: User, key: str) -> None:
    with transaction.atomic():
        # The row lock orders two uploads at once, so each old key is deleted exactly once.
        old = User.objects.select_for_update().values_list("avatar_key", flat=True).get(pk=user.pk)
        User.objects.filter(pk=user.pk).update(avatar_key=key)
        if old:
            transaction.on_commit(lambda: avatars.avatar_delete(old))
    user.avatar_key = key


# -- API tokens ----------------------------------------------------------------------------------


def check_token_name(name: str) -> str:
    name = " ".join(check_text(name, field="name", label="The token's name").split())
    if not name:
        raise InvalidInput(
            "Name the token after what will use it.", code="token_name_required", field="name"
        )
    if len(name) > TOKEN_NAME_MAX_LENGTH:
        raise InvalidInput(
            f"The name is {len(name)} characters long; the limit is {TOKEN_NAME_MAX_LENGTH}.",
            code="token_name_too_long",
            field="name",
        )
    return name


def check_token_scope(scope: str) -> TokenScope:
    if scope not in TokenScope.values:
        raise InvalidInput(
            "A token's scope is read or write.", code="token_scope_invalid", field="scope"
        )
    return TokenScope(scope)


def token_create(*, user: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """Makes an API token for `user`; returns it with its plaintext, which is shown only now.

    The member's own page and the admin (for any member) both call this.
    """
    name = check_token_name(name)
    scope = check_token_scope(scope)
    if not user.is_active:
        raise Forbidden("This account is closed.", code="account_inactive")
    with transaction.atomic():
        # The row lock counts one member's concurrent requests one at a time.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= ACTIVE_TOKENS_MAX:
            raise InvalidInput(
                f"You have {active} tokens; revoke one you no longer use first.",
                code="tokens_too_many",
            )
        made = api_tokens.token_make()
        token = ApiToken.objects.create(
            user=user, name=name, scope=scope, prefix=made.prefix, secret_hash=made.secret_hash
        )
    return token, made.plaintext


def token_revoke(*, token_id: int, actor: User) -> ApiToken:
    """Revokes a token at once, by its owner or by staff; revoking twice is harmless."""
    token = ApiToken.objects.filter(pk=token_id).select_related("user").first()
    if token is None or (token.user_id != actor.pk and not actor.is_staff):
        # Someone else's token is "not found": its existence is not the caller's business.
        raise NotFound("There is no such token.", code="token_not_found")
    if token.revoked_at is None:
        token.revoked_at = now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
    return token


def token_authenticate(*, plaintext: str) -> ApiToken:
    """The live token (with its user) a request presents; 401 errors with stable codes otherwise.

    Notes when it was last used, at most once a minute, so a busy script costs
    one extra write a minute rather than one per call.
    """
    prefix = api_tokens.token_prefix(plaintext)
    token = (
        ApiToken.objects.select_related("user").filter(prefix=prefix).first() if prefix else None
    )
    if token is None or not constant_time_compare(
        token.secret_hash, api_tokens.token_hash(plaintext)
    ):
        raise Unauthenticated("The API token is not valid.", code="token_invalid")
    if token.revoked_at is not None:
        raise Unauthenticated("The API token was revoked.", code="token_revoked")
    if not token.user.is_active:
        raise Unauthenticated("The token's account is closed.", code="token_invalid")
    at = now()
    last = token.last_used_at
    if last is None or (at - last).total_seconds() >= TOKEN_TOUCH_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
        token.last_used_at = at
    return token
