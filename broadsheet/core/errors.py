"""Domain errors: every one carries a stable code and a message a person can read.

Edges turn them into 4xx answers; nothing below the edges knows about HTTP.
"""


class BroadsheetError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field


class InvalidInput(BroadsheetError):
    """The request itself is wrong: the same request will never succeed."""


class NotFound(BroadsheetError):
    status = 404
    code = "not_found"


class Forbidden(BroadsheetError):
    status = 403
    code = "forbidden"


class Conflict(BroadsheetError):
    status = 409
    code = "conflict"


class Unauthenticated(BroadsheetError):
    """The caller is not known: no credentials, or credentials that are not (or no longer) good."""

    status = 401
    code = "unauthenticated"
