"""Backup and restore: the database and the uploaded media in one .tar.gz with a manifest.

The database copy is a consistent snapshot taken while the site keeps running:
SQLite's online backup API copies the pages of one read transaction, and
`pg_dump` reads inside one snapshot too. The media files are copied after the
database, so the only thing a busy site can lose between the two is a picture
replaced in that moment (its old file deleted) - never a file the snapshot
refers to and that was not yet written, since uploads store their files before
the row that names them.

A restore goes into an empty site only: one whose database has no tables, or
no rows in its content tables (an operator may have run `migrate` first), and
whose media directory holds no files. Anything else is refused with a message,
before anything is written.
"""

import contextlib
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import django
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

from broadsheet.core.clock import now
from broadsheet.core.errors import BroadsheetError, InvalidInput

BACKUP_FORMAT = "broadsheet-backup"
BACKUP_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"
# What makes a site "not empty": its people, discussions and articles.
CONTENT_TABLES = ("accounts_user", "discussion_thread", "discussion_comment", "articles_article")


class BackupError(BroadsheetError):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def _engine(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL; this site runs on {vendor}.")
    return vendor


def table_counts(*, alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows in each content table that exists (a table not yet created is left out)."""
    connection = connections[alias]
    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in CONTENT_TABLES:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# -- PostgreSQL command-line tools -----------------------------------------------------------------


def _pg_args(alias: str) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password goes in the environment."""
    conf = connections[alias].settings_dict
    args = []
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    env = {**os.environ}
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    return args, env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed; on Debian or Ubuntu: apt-get install postgresql-client"
        )
    return found


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tool = Path(argv[0]).name
        raise BackupError(f"{tool} failed (exit {done.returncode}): {done.stderr.strip()}")


# -- backup ----------------------------------------------------------------------------------------


def _snapshot_sqlite(alias: str, target: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # One step, so one read transaction: in WAL mode writers carry on meanwhile. (Copying
        # in several steps would restart from the first page after every write by another
        # connection, and a busy site could keep it from ever finishing.)
        connection.connection.backup(destination, pages=-1)
    finally:
        destination.close()


def _snapshot_postgresql(alias: str, target: Path) -> None:
    args, env = _pg_args(alias)
    name = connections[alias].settings_dict["NAME"]
    _run(
        [_pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
         f"--file={target}", f"--dbname={name}"],
        env,
    )  # fmt: skip


def backup_create(*, path: Path, alias: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Writes a backup to `path` (a .tar.gz); the file appears only once it is complete."""
    engine = _engine(alias)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    media_root = _media_root()
    with tempfile.TemporaryDirectory(prefix="broadsheet-backup-") as scratch:
        db_name = SQLITE_NAME if engine == "sqlite" else PG_NAME
        db_file = Path(scratch) / db_name
        counts = table_counts(alias=alias)
        if engine == "sqlite":
            _snapshot_sqlite(alias, db_file)
        else:
            _snapshot_postgresql(alias, db_file)
        media = _media_files(media_root)
        manifest = {
            "format": BACKUP_FORMAT,
            "version": BACKUP_VERSION,
            "created_at": now().isoformat(),
            "engine": engine,
            "database": {"file": db_name, "bytes": db_file.stat().st_size,
                         "sha256": _sha256(db_file)},
            "media": {"dir": MEDIA_DIR, "files": len(media),
                      "bytes": sum(p.stat().st_size for p in media)},
            # Read just before the snapshot: a busy site may hold a few more rows in it.
            "counts_before_snapshot": counts,
            "django": django.get_version(),
        }  # fmt: skip
        partial = path.with_name(path.name + ".partial")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(now().timestamp()), 0o600
                archive.addfile(info, io.BytesIO(data))
                archive.add(db_file, arcname=db_name, recursive=False)
                for file in media:
                    relative = file.relative_to(media_root).as_posix()
                    try:
                        archive.add(file, arcname=f"{MEDIA_DIR}/{relative}", recursive=False)
                    except FileNotFoundError:
                        continue  # deleted while we copied (a replaced picture)
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(path=path, manifest=manifest)


# -- restore ---------------------------------------------------------------------------------------


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.load(archive.extractfile(member))
    except (KeyError, ValueError, AttributeError, TypeError):
        raise InvalidInput(
            "This is not a Broadsheet backup: it has no readable manifest.json.",
            code="backup_invalid",
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        raise InvalidInput("This is not a Broadsheet backup.", code="backup_invalid")
    if manifest.get("version") != BACKUP_VERSION:
        raise InvalidInput(
            f"This backup is version {manifest.get('version')}; this Broadsheet reads "
            f"version {BACKUP_VERSION}.",
            code="backup_version",
        )
    return manifest


def restore_refusal(*, alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """Why this site cannot take a restore (it is not empty), or None when it can."""
    counts = {table: n for table, n in table_counts(alias=alias).items() if n}
    reasons = []
    if counts:
        held = ", ".join(f"{n:,} rows in {table}" for table, n in counts.items())
        reasons.append(f"the database is not empty ({held})")
    media = _media_files(_media_root())
    if media:
        reasons.append(f"the media directory {_media_root()} holds {len(media):,} files")
    if not reasons:
        return None
    return (
        "Refusing to restore: "
        + " and ".join(reasons)
        + ". Restore only into an empty site: a new database (migrated or not) "
        "and an empty MEDIA_ROOT."
    )


def _restore_sqlite(alias: str, snapshot: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    source = sqlite3.connect(snapshot)
    try:
        # Copies every page over the live database, through SQLite's own locking.
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()  # no cached schema or transaction state survives the swap


def _restore_postgresql(alias: str, dump: Path) -> None:
    args, env = _pg_args(alias)
    name = connections[alias].settings_dict["NAME"]
    connections[alias].close()
    _run(
        [_pg_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner",
         "--no-privileges", "--single-transaction", "--exit-on-error", f"--dbname={name}",
         str(dump)],
        env,
    )  # fmt: skip


def _safe_media_member(member: tarfile.TarInfo) -> PurePosixPath | None:
    """The path under media/ of a regular file, or None for anything else."""
    name = PurePosixPath(member.name)
    if not member.isfile() or name.is_absolute() or ".." in name.parts:
        return None
    if len(name.parts) < 2 or name.parts[0] != MEDIA_DIR:
        return None
    return PurePosixPath(*name.parts[1:])


def unapplied_migrations(*, alias: str = DEFAULT_DB_ALIAS) -> int:
    executor = MigrationExecutor(connections[alias])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def backup_restore(*, path: Path, alias: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Brings a backup back into an empty site; returns its manifest.

    Checks the archive (format, engine, checksum) and the site (empty) before
    writing anything.
    """
    engine = _engine(alias)
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"No backup file at {path}.", code="backup_missing")
    refusal = restore_refusal(alias=alias)
    if refusal:
        raise InvalidInput(refusal, code="site_not_empty")
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError):
        raise InvalidInput(
            f"{path} is not a .tar.gz file Broadsheet wrote.", code="backup_invalid"
        ) from None
    with archive, tempfile.TemporaryDirectory(prefix="broadsheet-restore-") as scratch:
        manifest = _read_manifest(archive)
        if manifest.get("engine") != engine:
            raise InvalidInput(
                f"This backup is of a {manifest.get('engine')} database and this site runs on "
                f"{engine}; restore it into a site on {manifest.get('engine')}, then move the "
                "data across with an export (`broadsheet export`) and an import.",
                code="backup_engine",
            )
        db_name = manifest["database"]["file"]
        if db_name not in (SQLITE_NAME, PG_NAME):
            raise InvalidInput(
                "The backup's manifest names no database file.", code="backup_invalid"
            )
        db_file = Path(scratch) / db_name
        source = archive.extractfile(db_name)
        if source is None:
            raise InvalidInput("The backup has no database file.", code="backup_invalid")
        with source, db_file.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        if _sha256(db_file) != manifest["database"].get("sha256"):
            raise InvalidInput(
                "The database file in the backup is damaged (its checksum does not match).",
                code="backup_damaged",
            )
        if engine == "sqlite":
            _restore_sqlite(alias, db_file)
        else:
            _restore_postgresql(alias, db_file)
        media_root = _media_root()
        for member in archive:
            relative = _safe_media_member(member)
            if relative is None:
                continue
            target = media_root.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as data, target.open("wb") as out:
                shutil.copyfileobj(data, out, 1 << 20)
    # The database cache came back with the rows: entries of the backed-up site
    # must not stand in for this one's pages. (A table `createcachetable` has not
    # made yet holds nothing.) A Redis cache is left alone: clearing it would
    # flush every key on that Redis database, other tenants' too.
    if isinstance(cache, DatabaseCache):
        with contextlib.suppress(DatabaseError):
            cache.clear()
    return manifest
