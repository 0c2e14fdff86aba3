"""The staff-only upload page: an archive in, a background import, a status page that polls.

Parse the form, make one call (`import_upload_start`), redirect to the job's
page; that page refreshes itself every two seconds until the job ends.
"""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from broadsheet.core.errors import BroadsheetError
from broadsheet.importers import selectors
from broadsheet.importers.models import ImportFormat, ImportJob
from broadsheet.importers.services import import_upload_start
from broadsheet.web.errors import error_response

POLL_SECONDS = 2


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign in first; signed in but not staff: 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            return error_response(
                request, "Only staff can import archives.", code="forbidden", status=403
            )
        return view(request, *args, **kwargs)

    return wrapped


class ImportForm(forms.Form):
    format = forms.ChoiceField(choices=ImportFormat.choices, initial=ImportFormat.AUTO)
    file = forms.FileField(label="Archive")
    url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Page address",
        help_text="Text archive: attach the discussion to this page instead of making an article. "
        "Isso: the site address its page paths are relative to.",
    )
    published_at = forms.DateTimeField(
        required=False,
        label="Published",
        help_text="Text archive: the article's publication time, e.g. 2021-03-05 16:07.",
    )
    moderate = forms.BooleanField(
        required=False, label="Run the content checks over every comment (not the rate limits)"
    )


def _form_page(request: HttpRequest, form: ImportForm, status: int = 200) -> HttpResponse:
    context = {"form": form, "jobs": selectors.import_jobs_recent()}
    return render(request, "imports/upload.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    data = form.cleaned_data
    try:
        job = import_upload_start(
            chunks=data["file"].chunks(),
            original_name=data["file"].name,
            fmt=data["format"],
            created_by=request.user,
            url=data["url"] or "",
            published_at=data["published_at"],
            moderate=data["moderate"],
        )
    except BroadsheetError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _form_page(request, form, status=error.status)
    response = redirect("web:import", job_id=job.pk)
    response.status_code = 303
    return response


def _job_or_404(request: HttpRequest, job_id: int) -> ImportJob | HttpResponse:
    job = selectors.import_job_get(job_id=job_id)
    if job is None:
        return error_response(request, "There is no such import.", code="not_found", status=404)
    return job


@require_GET
@staff_required
def detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(request, job_id)
    if isinstance(job, HttpResponse):
        return job
    context = {"job": job, "report": job.report, "poll_seconds": POLL_SECONDS}
    return render(request, "imports/detail.html", context)


@require_GET
@staff_required
def status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(request, job_id)
    if isinstance(job, HttpResponse):
        return job
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "stage": job.stage,
            "processed": job.processed,
            "total": job.total,
            "percent": job.percent,
            "error": job.error,
            "report": job.report or None,
        }
    )
