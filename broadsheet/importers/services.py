"""What the upload page calls: store the archive, record the job, queue the task."""

from collections.abc import Iterable
from datetime import datetime

from broadsheet.accounts.models import User

from .jobs import import_job_create
from .models import ImportJob
from .tasks import import_job_task


def import_upload_start(
    *,
    chunks: Iterable[bytes],
    original_name: str,
    fmt: str,
    created_by: User | None,
    url: str = "",
    published_at: datetime | None = None,
    moderate: bool = False,
) -> ImportJob:
    """Starts a background import; raises InvalidInput (nothing stored) on a bad upload."""
    job = import_job_create(
        chunks=chunks,
        original_name=original_name,
        fmt=fmt,
        created_by=created_by,
        url=url,
        published_at=published_at,
        moderate=moderate,
    )
    # With the database backend the task row commits with the job's; with the
    # immediate backend (tests) it runs here.
    import_job_task.enqueue(job.pk)
    job.refresh_from_db()
    return job
