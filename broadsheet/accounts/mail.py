"""Account mail composed from templates: a subject, a plain-text body and an HTML body.

Mail is sent by tasks, away from any request, so links are made absolute from
the configured site address (`BROADSHEET_SITE_URL`) rather than from a Host
header an attacker could choose.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    return settings.BROADSHEET_SITE_URL.rstrip("/") + path


def mail_compose(*, template: str, to: str, context: dict) -> EmailMultiAlternatives:
    """The message `accounts/mail/<template>.{txt,html}` addressed to one recipient."""
    context = {
        "site_name": settings.BROADSHEET_SITE_NAME,
        "site_url": settings.BROADSHEET_SITE_URL.rstrip("/"),
        **context,
    }
    subject = render_to_string(f"accounts/mail/{template}_subject.txt", context)
    # A header must be one line, whatever the template's whitespace.
    subject = " ".join(subject.split())
    text = render_to_string(f"accounts/mail/{template}.txt", context)
    html = render_to_string(f"accounts/mail/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    return message
