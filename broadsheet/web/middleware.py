"""Refuses form posts whose text is not valid UTF-8, instead of letting Django replace the bytes."""

from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse

from .errors import error_response


class StrictUTF8FormMiddleware:
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
