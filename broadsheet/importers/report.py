"""What an import did: counts per thread and in all, and every item it skipped or repaired.

Lists of details are capped (a broken 1 GB file could name a million orphans);
the totals always count everything.
"""

from dataclasses import dataclass, field
from typing import Any

MAX_DETAILS = 500


@dataclass(frozen=True)
class ThreadReport:
    key: str
    title: str
    created: int
    skipped_existing: int
    orphans: int


@dataclass(frozen=True)
class Problem:
    item: str
    reason: str


@dataclass
class _Capped:
    items: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, item: str, reason: str) -> None:
        self.total += 1
        if len(self.items) < MAX_DETAILS:
            self.items.append(Problem(item, reason))


@dataclass
class ImportReport:
    format: str
    threads: list[ThreadReport] = field(default_factory=list)
    threads_total: int = 0
    threads_created: int = 0
    articles_created: int = 0
    users_created: int = 0
    comments_created: int = 0
    skipped_existing: int = 0
    comments_read: int = 0
    seconds: float = 0.0
    _orphans: _Capped = field(default_factory=_Capped)
    _repaired: _Capped = field(default_factory=_Capped)
    _skipped: _Capped = field(default_factory=_Capped)

    # Recording

    def add_thread(self, thread: ThreadReport) -> None:
        self.threads_total += 1
        self.comments_created += thread.created
        self.skipped_existing += thread.skipped_existing
        if len(self.threads) < MAX_DETAILS:
            self.threads.append(thread)

    def orphan(self, item: str, reason: str) -> None:
        self._orphans.add(item, reason)

    def repaired(self, item: str, reason: str) -> None:
        self._repaired.add(item, reason)

    def skip(self, item: str, reason: str) -> None:
        self._skipped.add(item, reason)

    # Reading

    @property
    def orphans(self) -> list[Problem]:
        """Comments re-rooted as top-level: parent missing, self-parent, cycle."""
        return self._orphans.items

    @property
    def orphans_total(self) -> int:
        return self._orphans.total

    @property
    def repairs(self) -> list[Problem]:
        """Comments kept in their thread but moved (too deep)."""
        return self._repaired.items

    @property
    def repairs_total(self) -> int:
        return self._repaired.total

    @property
    def skipped(self) -> list[Problem]:
        return self._skipped.items

    @property
    def skipped_total(self) -> int:
        return self._skipped.total

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe: what the upload page stores and shows."""
        return {
            "format": self.format,
            "threads_total": self.threads_total,
            "threads_created": self.threads_created,
            "articles_created": self.articles_created,
            "users_created": self.users_created,
            "comments_read": self.comments_read,
            "comments_created": self.comments_created,
            "skipped_existing": self.skipped_existing,
            "seconds": round(self.seconds, 2),
            "threads": [vars(thread) for thread in self.threads],
            "orphans_total": self.orphans_total,
            "orphans": [vars(p) for p in self.orphans],
            "repairs_total": self.repairs_total,
            "repairs": [vars(p) for p in self.repairs],
            "skipped_total": self.skipped_total,
            "skipped": [vars(p) for p in self.skipped],
        }

    def summary(self) -> list[str]:
        """The report as lines of text, for the terminal and the README."""
        lines = [
            f"Imported {self.comments_created:,} new comments into {self.threads_total:,} "
            f"threads ({self.threads_created:,} new threads, {self.articles_created:,} new "
            f"articles, {self.users_created:,} new profiles) in {self.seconds:.1f}s.",
            f"Read {self.comments_read:,} comments; {self.skipped_existing:,} were already "
            f"here; {self.orphans_total:,} re-rooted; {self.repairs_total:,} moved; "
            f"{self.skipped_total:,} items skipped.",
        ]
        for thread in self.threads:
            lines.append(
                f"  thread {thread.key}: {thread.created:,} new, "
                f"{thread.skipped_existing:,} already here, {thread.orphans:,} re-rooted"
            )
        if self.threads_total > len(self.threads):
            lines.append(f"  ... and {self.threads_total - len(self.threads):,} more threads")
        for title, problems, total in (
            ("Re-rooted", self.orphans, self.orphans_total),
            ("Moved", self.repairs, self.repairs_total),
            ("Skipped", self.skipped, self.skipped_total),
        ):
            for problem in problems:
                lines.append(f"{title}: {problem.item}: {problem.reason}")
            if total > len(problems):
                lines.append(f"{title}: ... and {total - len(problems):,} more")
        return lines
