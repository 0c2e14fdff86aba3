#!/usr/bin/env python3
"""Says loudly, before the suite runs, whether the browser tests can run.

The browser tests drive Debian's Chromium (the `chromium` package) found on the
PATH; they never download a browser. Without it they are skipped, so this
prints a banner that is hard to miss; under CI (the CI environment variable
set) a missing browser is an error and this exits 1.
"""

import os
import shutil
import subprocess
import sys

MESSAGE = "BROWSER TESTS WILL NOT RUN: chromium not found on PATH (apt-get install -y chromium)"


def banner(text: str) -> str:
    line = "!" * (len(text) + 8)
    return f"\n{line}\n!!! {text} !!!\n{line}\n"


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print(banner(MESSAGE), file=sys.stderr, flush=True)
        if os.environ.get("CI"):
            print("CI is set: a missing browser fails the run.", file=sys.stderr)
            return 1
        return 0
    try:
        result = subprocess.run(
            [chromium, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
        version = result.stdout.strip() or result.stderr.strip()
    except (OSError, subprocess.TimeoutExpired) as error:
        version = f"(version unknown: {error})"
    print(f"Browser tests will use {chromium}: {version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
