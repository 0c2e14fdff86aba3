"""Renders deploy/nginx.conf with the values of an install: prints the config.

    python deploy/render_nginx.py --listen 80 --upstream 127.0.0.1:8000 \
        --static-root /srv/broadsheet/staticfiles --media-root /srv/broadsheet/var/media

`render(**values)` does the same for the test and the benchmark. Placeholders
are `{{name}}`; nginx's own `$variables` are left alone.
"""

import argparse
import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().with_name("nginx.conf")
DEFAULTS = {
    "listen": "80",
    "upstream": "127.0.0.1:8000",
    "static_root": "/srv/broadsheet/staticfiles",
    "media_root": "/srv/broadsheet/var/media",
    "cache_dir": "/var/cache/nginx/broadsheet",
    "temp_dir": "/var/lib/nginx",
    "user": "www-data",
    "worker_processes": "auto",
    "pid": "/run/nginx.pid",
    "error_log": "/var/log/nginx/error.log",
    "access_log": "/var/log/nginx/broadsheet.access.log",
    "mime_types": "/etc/nginx/mime.types",
}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def render(**values: str) -> str:
    """The config with every placeholder filled; `upstream` may list several host:port,
    comma-separated (one per app process)."""
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"Unknown nginx template values: {sorted(unknown)}")
    filled = {**DEFAULTS, **{k: str(v) for k, v in values.items()}}
    servers = [s.strip() for s in filled.pop("upstream").split(",") if s.strip()]
    filled["upstream_servers"] = "\n        ".join(f"server {s};" for s in servers)

    def substitute(match: re.Match) -> str:
        name = match.group(1)
        if name not in filled:
            raise ValueError(f"The template names an unknown value: {name}")
        return filled[name]

    return _PLACEHOLDER.sub(substitute, TEMPLATE.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    for name, default in DEFAULTS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", default=default, help=f"({default})")
    args = parser.parse_args()
    print(render(**{name: getattr(args, name) for name in DEFAULTS}), end="")


if __name__ == "__main__":
    main()
