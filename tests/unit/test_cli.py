"""The installed `broadsheet` console command: its help lists every subcommand, each has --help."""

import subprocess
import sys
from pathlib import Path

import pytest

SUBCOMMANDS = (
    "serve", "worker", "migrate", "demo", "import", "export", "backup", "restore",
    "createsuperuser", "check",
)  # fmt: skip
SCRIPT = Path(sys.executable).parent / "broadsheet"


def broadsheet(*args: str) -> subprocess.CompletedProcess:
    assert SCRIPT.exists(), f"{SCRIPT} is missing: `make setup` installs it (pip install -e .)"
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_help_lists_every_subcommand_with_a_line_each():
    done = broadsheet("--help")
    assert done.returncode == 0, done.stderr
    for name in SUBCOMMANDS:
        line = next((ln for ln in done.stdout.splitlines() if ln.strip().startswith(name)), "")
        assert len(line.split()) > 1, f"{name} has no help line in:\n{done.stdout}"


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_each_subcommand_has_help(name):
    done = broadsheet(name, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: broadsheet {name}")


def test_unknown_subcommand_and_stray_options_are_errors():
    assert broadsheet("frobnicate").returncode == 2
    assert broadsheet("backup", "--no-such-option").returncode == 2


def test_import_passes_its_arguments_to_the_management_command(monkeypatch):
    from broadsheet import cli

    calls = []
    monkeypatch.setattr(cli, "_django", lambda *args: calls.append(args) or 0)
    assert cli.main(["import", "disqus", "export.xml", "--moderate"]) == 0
    assert cli.main(["export", "--format", "disqus", "-o", "out.xml"]) == 0
    assert cli.main(["export", "--thread", "12"]) == 0
    assert cli.main(["migrate", "--plan"]) == 0
    assert cli.main(["worker"]) == 0
    assert calls == [
        ("import_comments", "disqus", "export.xml", "--moderate"),
        ("export_site", "--format", "disqus", "--output", "out.xml"),
        ("export_thread", "12", "--output", "-"),
        ("migrate", "--plan"),
        ("db_worker", "--queue-name", "*"),
    ]
