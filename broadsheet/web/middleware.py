"""Request checks of the web edge: strict UTF-8 forms, and the embed's header identity."""

from urllib.parse import parse_qsl

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from broadsheet.accounts import embed_tokens

from .errors import error_response


class StrictUTF8FormMiddleware:
    """Refuses form posts whose text is not valid UTF-8, instead of letting Django replace
    the bytes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            try:
                parse_qsl(request.body.decode("ascii"), encoding="utf-8", errors="strict")
            except UnicodeDecodeError:
                return error_response(
                    request,
                    "The form contained bytes that are not valid UTF-8 text; nothing was saved.",
                    code="invalid_utf8",
                    status=400,
                )
        return self.get_response(request)


class EmbedTokenMiddleware:
    """Requests from the embedded discussion carry their identity in a header, not a cookie.

    The embed's script sends `X-Broadsheet-Embed: <token>` (accounts.embed_tokens)
    because inside another site's page the browser may keep no cookies for us. The
    token's user (or guest key) acts for this request. A custom header can't be sent
    across sites without a CORS preflight, which this site never grants, and the
    token is secret, so such a request is no forgery: the CSRF check is waived for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.headers.get(embed_tokens.HEADER)
        if token is not None:
            identity = embed_tokens.read_token(token)
            if identity is None:
                return error_response(
                    request,
                    "Your sign-in for the embedded discussion has expired; reload the page.",
                    code="embed_token_invalid",
                    status=401,
                )
            request.user = identity.user or AnonymousUser()
            request.embed_guest_key = identity.guest_key
            # The attribute Django's own test client uses to waive the check.
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
