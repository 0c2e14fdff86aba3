from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from broadsheet.accounts.avatars import avatar_url as _avatar_url
from broadsheet.accounts.models import User

register = template.Library()

# The site's one way of writing a time: "Oct 29, 2015 1:55 PM", in the site's zone.
DATETIME_FORMAT = "M j, Y g:i A"


@register.filter
def avatar_url(user: User, size: int = 48) -> str:
    return _avatar_url(user, int(size))


@register.filter
def stamp(value: datetime) -> str:
    return date_format(timezone.localtime(value), DATETIME_FORMAT)
