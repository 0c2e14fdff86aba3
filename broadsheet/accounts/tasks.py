"""Account mail, sent in the background by `django.tasks`.

Tasks take ids, not tokens: a token is made when the mail is composed, so no
live secret sits in the task queue's table, and a mail whose purpose has
passed by the time the worker runs (the address was verified, the account
closed) is simply not sent.
"""

import logging

from django.contrib.auth.tokens import default_token_generator
from django.tasks import task
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from . import tokens
from .mail import absolute_url, mail_compose
from .models import User

logger = logging.getLogger(__name__)


def _active_user(user_id: int) -> User | None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.info("Account mail skipped: account %s is gone or inactive.", user_id)
    return user


@task
def verification_mail_send(user_id: int) -> None:
    """Asks the owner of a new (or unverified) address to confirm it."""
    user = _active_user(user_id)
    if user is None or user.email_verified:
        return
    token = tokens.email_token_make(user=user, email=user.email, purpose=tokens.VERIFY_PURPOSE)
    link = absolute_url(reverse("accounts:verify-email", args=[token]))
    days = tokens.MAX_AGE[tokens.VERIFY_PURPOSE].days
    mail_compose(
        template="verify_email", to=user.email, context={"user": user, "link": link, "days": days}
    ).send()


@task
def email_change_mail_send(user_id: int, new_email: str) -> None:
    """Sends the link that moves the account to `new_email` to that new address."""
    user = _active_user(user_id)
    if user is None or user.email == new_email:
        return
    token = tokens.email_token_make(user=user, email=new_email, purpose=tokens.CHANGE_PURPOSE)
    link = absolute_url(reverse("accounts:confirm-email-change", args=[token]))
    hours = int(tokens.MAX_AGE[tokens.CHANGE_PURPOSE].total_seconds() // 3600)
    mail_compose(
        template="change_email",
        to=new_email,
        context={"user": user, "link": link, "hours": hours, "new_email": new_email},
    ).send()


@task
def email_changed_notice_send(user_id: int, old_email: str) -> None:
    """Tells the previous address that the account moved, so a hijack does not go unnoticed."""
    user = _active_user(user_id)
    if user is None:
        return
    mail_compose(
        template="email_changed",
        to=old_email,
        context={"user": user, "reset_link": absolute_url(reverse("accounts:password-reset"))},
    ).send()


@task
def password_reset_mail_send(user_id: int) -> None:
    """Django's one-use reset link (invalid once the password or last login changes)."""
    user = _active_user(user_id)
    if user is None or not user.has_usable_password():
        return
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    mail_compose(
        template="password_reset",
        to=user.email,
        context={"user": user, "link": absolute_url(path)},
    ).send()
