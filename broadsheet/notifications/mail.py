"""Notification mail from templates, with fixed subjects: no user text ever reaches a header.

Every header here is ours: the subject is fixed wording with the site's name
(operator configuration), and the List-Unsubscribe headers carry our own
signed link, so a reader's name or comment cannot inject or spoof a header.
"""

import email.policy
from email.message import EmailMessage
from email.policy import Policy

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

_ONE_LINE_HEADERS = ("List-Unsubscribe",)

REPLY_SUBJECT = "New reply to your comment on {site_name}"
CONFIRM_SUBJECT = "Confirm reply notifications from {site_name}"


class _OneLineHeader(str):
    """A header value written as is, on one line (RFC 5322 allows 998 characters).

    The email package folds a long unbreakable value, such as our unsubscribe
    URL, into RFC 2047 encoded-words, which mail providers do not decode in
    List-Unsubscribe; the policy uses an object with `name` and `fold` unchanged.
    """

    name: str

    def __new__(cls, name: str, value: str) -> "_OneLineHeader":
        if "\r" in value or "\n" in value:
            raise ValueError("Header values may not contain line breaks.")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy: Policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


class NotificationMessage(EmailMultiAlternatives):
    def message(self, *, policy: Policy = email.policy.default) -> EmailMessage:
        msg = super().message(policy=policy)
        for name in _ONE_LINE_HEADERS:
            if name in self.extra_headers:
                del msg[name]
                msg[name] = _OneLineHeader(name, self.extra_headers[name])
        return msg


def notification_mail_compose(
    *,
    template: str,
    subject: str,
    to: str,
    context: dict,
    unsubscribe_url: str = "",
) -> NotificationMessage:
    """`notifications/mail/<template>.{txt,html}` to one recipient; with `unsubscribe_url`,
    the RFC 2369 / RFC 8058 headers that let a mail client unsubscribe in one click."""
    site_name = settings.BROADSHEET_SITE_NAME
    context = {
        "site_name": site_name,
        "site_url": settings.BROADSHEET_SITE_URL.rstrip("/"),
        "unsubscribe_url": unsubscribe_url,
        **context,
    }
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = NotificationMessage(
        " ".join(subject.format(site_name=site_name).split()),
        render_to_string(f"notifications/mail/{template}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string(f"notifications/mail/{template}.html", context), "text/html"
    )
    return message
