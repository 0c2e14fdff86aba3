"""Re-scoring as a background task (`django.tasks`): the dashboard's button enqueues it.

The task takes the run's id only; the run's window, mode and actor are in its
state (Django's cache), where the dashboard reads its progress.
"""

from django.tasks import task

from .rescoring import rescore_run_create, rescore_run_execute


@task
def rescore_task(run_id: str) -> None:
    rescore_run_execute(run_id=run_id)


def rescore_start(*, days: int, apply: bool, actor, preview: str = "") -> dict:
    """Creates the run and enqueues it; returns its state (final already with the immediate
    backend the tests use)."""
    state = rescore_run_create(days=days, apply=apply, actor=actor, preview=preview)
    rescore_task.enqueue(state["id"])
    return state
