"""Reads of import jobs for the upload page (staff only: the view checks)."""

from django.db.models import QuerySet

from .models import ImportJob

RECENT_JOBS = 20


def import_jobs_recent() -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").order_by("-created_at")[:RECENT_JOBS]


def import_job_get(*, job_id: int) -> ImportJob | None:
    return ImportJob.objects.filter(pk=job_id).first()
