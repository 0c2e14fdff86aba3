"""Import jobs: an uploaded archive stored for the background task, and the task's run.

The upload is written under MEDIA_ROOT/imports/ with a random name (media may
be served publicly, and an archive holds readers' data) and removed when the
import ends, whatever the outcome. The run records its progress on the job
row at most a few times a second, between threads, never inside one.
"""

import logging
import secrets
import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from django.conf import settings

from broadsheet.accounts.models import User
from broadsheet.core.clock import now
from broadsheet.core.errors import BroadsheetError, InvalidInput

from .detect import detect_file_format
from .models import ImportFormat, ImportJob, ImportStatus
from .run import import_file

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5  # seconds between progress writes


def imports_directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _check_url(url: str) -> str:
    url = url.strip()
    if url and not url.lower().startswith(("http://", "https://")):
        raise InvalidInput("The page address must start with http:// or https://.", field="url")
    if len(url) > 500:
        raise InvalidInput("The page address is over 500 characters long.", field="url")
    return url


def import_job_create(
    *,
    chunks: Iterable[bytes],
    original_name: str,
    fmt: str,
    created_by: User | None,
    url: str = "",
    published_at: datetime | None = None,
    moderate: bool = False,
) -> ImportJob:
    """Stores the upload and records the job; a file of no known format is refused here."""
    if fmt not in ImportFormat.values:
        raise InvalidInput(f"Unknown format {fmt!r}.", code="unknown_format", field="format")
    url = _check_url(url)
    directory = imports_directory()
    directory.mkdir(parents=True, exist_ok=True)
    file_name = f"{secrets.token_hex(16)}.upload"
    path = directory / file_name
    size = 0
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
            size += len(chunk)
    try:
        if size == 0:
            raise InvalidInput("The file is empty.", code="empty", field="file")
        if fmt == ImportFormat.AUTO:
            fmt = detect_file_format(path)
    except BroadsheetError:
        path.unlink(missing_ok=True)
        raise
    return ImportJob.objects.create(
        format=fmt,
        file_name=file_name,
        original_name=original_name[:255],
        size=size,
        url=url,
        published_at=published_at,
        moderate=moderate,
        created_by=created_by,
    )


class _JobProgress:
    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.stage = ""
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        moment = time.monotonic()
        if stage == self.stage and moment - self.last < PROGRESS_INTERVAL and done != total:
            return
        self.stage, self.last = stage, moment
        ImportJob.objects.filter(pk=self.job_id).update(stage=stage, processed=done, total=total)


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Runs a queued job once; a job already started (a retried task) is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=now()
    )
    job = ImportJob.objects.filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    path = imports_directory() / job.file_name
    try:
        report = import_file(
            fmt=job.format,
            path=path,
            url=job.url or None,
            published=job.published_at,
            moderate=job.moderate,
            progress=_JobProgress(job.pk),
        )
    except BroadsheetError as error:
        fields = {"status": ImportStatus.FAILED, "error": error.message}
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        fields = {
            "status": ImportStatus.FAILED,
            "error": "The import stopped on an unexpected error; the server log has the details. "
            "Threads written before it are complete; running it again adds only what is missing.",
        }
    else:
        fields = {"status": ImportStatus.DONE, "report": report.as_dict()}
    finally:
        path.unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job.pk).update(finished_at=now(), **fields)
    job.refresh_from_db()
    return job
