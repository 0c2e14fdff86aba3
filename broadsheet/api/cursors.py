"""The opaque page token of a comments listing: the page and the sort it was read in, signed."""

from django.core import signing

from broadsheet.core.errors import InvalidInput
from broadsheet.discussion.sorts import CommentSort

_SALT = "broadsheet.api.cursor"


def cursor_for(*, page: int, sort: CommentSort) -> str:
    return signing.dumps([page, str(sort)], salt=_SALT, compress=False)


def read_cursor(token: str) -> tuple[int, CommentSort]:
    try:
        page, sort = signing.loads(token, salt=_SALT)
        page = int(page)
        sort = CommentSort(sort)
    except (signing.BadSignature, TypeError, ValueError):
        raise InvalidInput("The cursor is not valid.", code="cursor_invalid") from None
    if page < 1:
        raise InvalidInput("The cursor is not valid.", code="cursor_invalid")
    return page, sort
