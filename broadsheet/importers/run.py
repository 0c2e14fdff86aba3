"""The import entry point: a file and its format in, an ImportReport out.

The console command, the `broadsheet` command and the upload page's task all
call `import_file`. It picks the parser, meters the file's bytes for the
progress bar, and hands the records to the one loader.
"""

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from django.utils import timezone

from broadsheet.core.clock import now
from broadsheet.core.errors import InvalidInput
from broadsheet.core.planner_stats import refresh_planner_stats

from . import disqus, isso, jsonl, textarchive, wordpress
from .detect import FORMATS, detect_file_format
from .loader import Progress, load_records
from .records import Record
from .report import ImportReport

# Report reading progress about this often.
METER_STEP = 1024 * 1024


class _Metered(io.RawIOBase):
    """A file that reports how far it has been read."""

    def __init__(self, stream: BinaryIO, size: int, progress: Progress | None) -> None:
        self.stream = stream
        self.size = size
        self.progress = progress
        self.position = 0
        self.reported = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self.stream.readinto(buffer)  # type: ignore[attr-defined]
        self.position += count or 0
        if self.progress and (self.position - self.reported >= METER_STEP or not count):
            self.reported = self.position
            self.progress("reading", self.position, self.size)
        return count or 0


def _records(
    fmt: str,
    path: Path,
    stream: BinaryIO,
    *,
    url: str | None,
    published: datetime | None,
) -> Iterator[Record]:
    if fmt == "disqus":
        return disqus.parse(stream)
    if fmt == "wordpress":
        return wordpress.parse(stream)
    if fmt == "jsonl":
        return jsonl.parse(stream)
    if fmt == "isso":
        return isso.parse(path, base_url=url)
    return textarchive.parse(
        stream, now=now(), zone=timezone.get_default_timezone(), url=url, published=published
    )


def import_file(
    *,
    fmt: str,
    path: Path,
    url: str | None = None,
    published: datetime | None = None,
    moderate: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Imports `path` in format `fmt` ("auto" detects it); raises InvalidInput on a bad file.

    `url`: for a text archive, the external page whose discussion it becomes
    (instead of an article); for Isso, the site address its page paths are
    relative to. `published`: a text archive's publication time. `moderate`:
    run the content checks over every comment.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"There is no file at {path}.", code="no_file")
    if fmt == "auto":
        fmt = detect_file_format(path)
    if fmt not in FORMATS:
        raise InvalidInput(
            f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)} or auto.",
            code="unknown_format",
        )
    if published is not None and timezone.is_naive(published):
        published = timezone.make_aware(published)
    size = path.stat().st_size
    with path.open("rb") as raw:
        stream = io.BufferedReader(_Metered(raw, size, progress), buffer_size=256 * 1024)
        records = _records(fmt, path, stream, url=url, published=published)
        report = load_records(records=records, source=fmt, moderate=moderate, progress=progress)
    refresh_planner_stats()  # a bulk load can change which index suits a query
    return report
