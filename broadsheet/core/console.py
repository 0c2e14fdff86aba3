"""Terminal output for management commands that draw progress bars."""

from django.core.management.base import OutputWrapper


class ProgressStream:
    """Lets rich write partial lines through Django's OutputWrapper, which would end each one."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()
