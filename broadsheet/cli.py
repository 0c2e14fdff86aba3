"""The `broadsheet` console command: one entry point for an operator.

Each subcommand is a thin wrapper over a Django management command (or, for
`serve`, over uvicorn), so the work and its checks live in one place and
`manage.py <command>` does the same thing. Django is imported only once a
subcommand runs, so `--help` answers at once.
"""

import argparse
import os
import sys
from collections.abc import Callable, Sequence

DEFAULT_SETTINGS = "config.settings.dev"
ASGI_APP = "config.asgi:application"

Runner = Callable[[argparse.Namespace, list[str]], int]


def _django(command: str, *args: str) -> int:
    """Runs a management command as `manage.py` would (errors print; the exit code tells)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["broadsheet", command, *args])
    except SystemExit as exit:
        return exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    return 0


def _passthrough(command: str) -> Runner:
    def run(_options: argparse.Namespace, extra: list[str]) -> int:
        return _django(command, *extra)

    return run


def _serve(options: argparse.Namespace, extra: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import uvicorn

    uvicorn.run(
        ASGI_APP,
        host=options.host,
        port=options.port,
        workers=options.workers,
        lifespan="off",
        proxy_headers=False,
    )
    return 0


def _worker(options: argparse.Namespace, extra: list[str]) -> int:
    return _django("db_worker", "--queue-name", options.queue_name, *extra)


def _import(options: argparse.Namespace, extra: list[str]) -> int:
    args = [options.format, options.file]
    if options.url:
        args += ["--url", options.url]
    if options.published:
        args += ["--published", options.published]
    if options.moderate:
        args.append("--moderate")
    return _django("import_comments", *args, *extra)


def _export(options: argparse.Namespace, extra: list[str]) -> int:
    output = ["--output", options.output]
    if options.thread is not None:
        return _django("export_thread", options.thread, *output, *extra)
    flags = ["--include-emails"] if options.include_emails else []
    return _django("export_site", "--format", options.format, *output, *flags, *extra)


def _backup(options: argparse.Namespace, extra: list[str]) -> int:
    return _django("backup", *([options.output] if options.output else []), *extra)


def _restore(options: argparse.Namespace, extra: list[str]) -> int:
    return _django("restore", options.archive, *extra)


PASSED_ON = "Other options go to the Django command `manage.py {command}`; see its --help."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="Run and look after a Broadsheet site.",
        epilog="`broadsheet <command> --help` describes each command.",
    )
    commands = parser.add_subparsers(dest="command", metavar="<command>", required=True)

    def add(name: str, help: str, run: Runner, *, passes: str | None = None):
        sub = commands.add_parser(
            name,
            help=help,
            description=help + (" " + PASSED_ON.format(command=passes) if passes else ""),
        )
        sub.set_defaults(run=run, passes_extra=passes is not None)
        return sub

    serve = add("serve", "Serve the site over HTTP with uvicorn (ASGI).", _serve)
    serve.add_argument("--host", default="127.0.0.1", help="Address to bind (default 127.0.0.1).")
    serve.add_argument("--port", type=int, default=8000, help="Port to bind (default 8000).")
    serve.add_argument(
        "--workers", type=int, default=1, help="Worker processes (default 1; share nothing)."
    )

    worker = add(
        "worker",
        "Run the background task worker (mail, imports).",
        _worker,
        passes="db_worker",
    )
    worker.add_argument(
        "--queue-name", default="*", help="Queues to work ('*', the default, for all)."
    )

    add("migrate", "Create or update the database tables.", _passthrough("migrate"),
        passes="migrate")  # fmt: skip
    demo = add("demo", "Fill the site with demo articles, people and discussions.",
               _passthrough("demo"), passes="demo")  # fmt: skip
    demo.epilog = "Useful options: --if-empty, --huge, --seed N."

    imp = add("import", "Import comments from an archive (Disqus, WordPress, Isso, ...).", _import,
              passes="import_comments")  # fmt: skip
    imp.add_argument("format", help="The archive's format, e.g. disqus, wordpress, isso, jsonl.")
    imp.add_argument("file", help="The file to import.")
    imp.add_argument("--url", help="Attach the discussion to this external page's thread.")
    imp.add_argument("--published", help="Publication date for a text that lacks one.")
    imp.add_argument(
        "--moderate", action="store_true", help="Run imported comments through the content checks."
    )

    export = add("export", "Export the site (JSON Lines or Disqus XML) or one thread (JSON).",
                 _export)  # fmt: skip
    export.add_argument(
        "--format", choices=["jsonl", "disqus"], default="jsonl", help="Site export format."
    )
    export.add_argument("--thread", help="Export only this thread (its id or key), as JSON.")
    export.add_argument("-o", "--output", default="-", help="File to write (default: stdout).")
    export.add_argument(
        "--include-emails", action="store_true", help="Include members' e-mail addresses."
    )

    backup = add("backup", "Write a consistent backup (database + media) while the site runs.",
                 _backup)  # fmt: skip
    backup.add_argument("output", nargs="?", help="The .tar.gz file to write.")

    restore = add("restore", "Restore a backup into an empty site.", _restore)
    restore.add_argument("archive", help="The .tar.gz file that `broadsheet backup` wrote.")

    add("createsuperuser", "Create an administrator account.", _passthrough("createsuperuser"),
        passes="createsuperuser")  # fmt: skip
    add("check", "Check the configuration (add --deploy for production).",
        _passthrough("check"), passes="check")  # fmt: skip
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    options, extra = parser.parse_known_args(argv)
    if extra and not options.passes_extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return options.run(options, extra)
    except BrokenPipeError:
        # `broadsheet export | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
