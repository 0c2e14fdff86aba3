"""The upload page's imports, run in the background by `django.tasks`.

The task takes the job's id; everything else (the file, the options) is on
the job row, so the queue holds no readers' data.
"""

from django.tasks import task

from .jobs import import_job_run


@task
def import_job_task(job_id: int) -> None:
    import_job_run(job_id=job_id)
