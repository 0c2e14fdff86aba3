"""Domain errors as pages (or JSON for the inline scripts): a clear 4xx, never a 500."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from broadsheet.core.errors import BroadsheetError


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def error_response(
    request: HttpRequest, message: str, *, code: str = "invalid", status: int = 400
) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    return render(request, "web/error.html", {"message": message, "code": code}, status=status)


def domain_error_response(request: HttpRequest, error: BroadsheetError) -> HttpResponse:
    return error_response(request, error.message, code=error.code, status=error.status)
