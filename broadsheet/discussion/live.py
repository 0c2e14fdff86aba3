"""Fan-out of thread events across processes. (Transport filled in by the live-updates work.)"""


def publish(*, thread_id: int, event_id: int) -> None:
    """Without Redis nothing needs waking: readers poll the ThreadEvent table."""
