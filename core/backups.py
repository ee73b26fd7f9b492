"""Backups of the tracker: a consistent dump of the database and a tarball of the media folder
in a dated folder, with a manifest of what is inside; and their restore into an empty database.

A backup folder holds::

    manifest.json       when, which database, migrations, row counts, files with SHA-256
    database.pgdump     pg_dump --format=custom (PostgreSQL), or
    database.sqlite3    a copy made with SQLite's backup API (SQLite)
    media.tar           the regular files under MEDIA_ROOT (report photos and their thumbnails)

Both directions are written for a site that keeps running (backup) or is stopped (restore): the
backup is one snapshot of the database, built under a hidden temporary name and renamed only
when complete; the restore checks everything it can (checksums, vendor, migrations, an empty
database, a safe tarball) before it changes anything. See docs/backup.md.
"""

import hashlib
import importlib.metadata
import json
import os
import platform
import re
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
import tomllib
from contextlib import closing, suppress
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import Error as DBError
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .roles import TRACKER_APPS

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_FILE = "media.tar"
DUMP_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# A dated folder: 2026-11-27T161500Z, or 2026-11-27T161500Z-1 for a second one in that second.
FOLDER_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{6}Z)(?:-(\d+))?$")
# libpq reads these from the environment; Django's OPTIONS of the same meaning.
PG_OPTIONS_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}
VERSIONED_PACKAGES = ("Django", "django-simple-history", "djangorestframework", "psycopg")
ERROR_TAIL = 2000


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why and what to do."""


@dataclass
class BackupResult:
    folder: Path
    manifest: dict
    pruned: list[Path] = field(default_factory=list)


@dataclass
class RestoreResult:
    tables: int
    rows: int
    media_files: int
    pending_migrations: list[str]


# -- Backup ----------------------------------------------------------------------------------


def backup_create(
    *, output_dir: Path, keep: int | None = None, using: str = "default"
) -> BackupResult:
    """Write a new dated backup folder under ``output_dir``; with ``keep``, then delete the
    oldest dated folders there so that ``keep`` remain.

    The folder is built under a hidden temporary name and renamed when complete, so a folder
    with a dated name is always a whole backup; on any failure the temporary folder is removed.
    """
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DUMP_FILES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    if connection.in_atomic_block:
        raise BackupError("A backup must run outside a transaction: it reads committed data.")
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Cannot create the backup folder {output_dir}: {error}") from error

    now = timezone.now().astimezone(UTC)
    stamp = now.strftime("%Y-%m-%dT%H%M%SZ")
    try:
        # mkdtemp makes it private (0700): a backup holds password hashes and API tokens.
        work = Path(tempfile.mkdtemp(prefix=f".{stamp}-", suffix=".partial", dir=output_dir))
    except OSError as error:
        raise BackupError(f"Cannot write in the backup folder {output_dir}: {error}") from error
    try:
        dump = work / DUMP_FILES[vendor]
        if vendor == "postgresql":
            database = _pg_dump(connection, dump)
        else:
            database = _sqlite_dump(connection, dump)
        media = _media_tar(Path(settings.MEDIA_ROOT), work / MEDIA_FILE)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {"vendor": vendor, "name": str(connection.settings_dict["NAME"])},
            "versions": _versions(database.pop("tool", None)),
            "migrations": database["migrations"],
            "tables": database["tables"],
            "media": media,
            "files": [_file_entry(work / name) for name in (dump.name, MEDIA_FILE)],
        }
        (work / MANIFEST).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        for name in (dump.name, MEDIA_FILE, MANIFEST):
            _fsync(work / name)
        _fsync(work)
        folder = _rename_free(work, output_dir, stamp)
        _fsync(output_dir)
    except BaseException as error:
        shutil.rmtree(work, ignore_errors=True)
        if isinstance(error, OSError | sqlite3.Error | tarfile.TarError | DBError):
            raise BackupError(f"Backup failed, nothing was kept: {error}") from error
        raise
    pruned = backups_prune(output_dir=output_dir, keep=keep) if keep else []
    return BackupResult(folder=folder, manifest=manifest, pruned=pruned)


def backups_prune(*, output_dir: Path, keep: int) -> list[Path]:
    """Delete the oldest complete dated backup folders in ``output_dir`` so that ``keep``
    remain; anything else in the folder (other names, unfinished backups) is left alone."""
    if keep < 1:
        raise BackupError("Keep at least one backup.")
    dated = []
    for path in Path(output_dir).iterdir():
        match = FOLDER_NAME.match(path.name)
        if match and path.is_dir() and not path.is_symlink() and (path / MANIFEST).is_file():
            dated.append(((match[1], int(match[2] or 0)), path))
    dated.sort()
    old = [path for _key, path in dated[:-keep]]
    for path in old:
        shutil.rmtree(path)
    return old


def _rename_free(work: Path, output_dir: Path, stamp: str) -> Path:
    for number in range(100):
        folder = output_dir / (stamp if number == 0 else f"{stamp}-{number}")
        if folder.exists():
            continue
        try:
            os.rename(work, folder)
        except OSError:
            # Another backup took the name between the check and the rename.
            if folder.exists():
                continue
            raise
        return folder
    raise BackupError(f"Too many backups named {stamp} in {output_dir}.")


def _pg_dump(connection, path: Path) -> dict:
    """pg_dump of the snapshot of a transaction that also counts the rows, so the manifest's
    counts are exactly those of the dump even while the site writes."""
    pg_dump = _pg_tool("pg_dump")
    arguments, env = pg_connection(connection.settings_dict)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-password",
                f"--snapshot={snapshot}",
                f"--file={path}",
                *arguments,
            ],
            env=env,
            what="pg_dump",
        )
        tables = {
            name: _count(cursor, connection.ops.quote_name(name))
            for name in sorted(connection.introspection.table_names(cursor))
        }
        migrations = _migrations(cursor, "django_migrations" in tables)
    tool = _run([pg_dump, "--version"], env=env, what="pg_dump --version").strip()
    return {"tables": tables, "migrations": migrations, "tool": tool}


def _sqlite_dump(connection, path: Path) -> dict:
    """A copy by SQLite's backup API: one consistent snapshot even while the site writes.

    It reads through Django's own connection, so it works on an in-memory database too.
    """
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as target:
        connection.connection.backup(target)
        # A plain rollback-journal file: it opens read-only, with no -wal file beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        cursor = target.cursor()
        (check,) = cursor.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(f"SQLite's check of the copy failed: {check}")
        names = [
            row[0]
            for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        tables = {name: _count(cursor, connection.ops.quote_name(name)) for name in names}
        migrations = _migrations(cursor, "django_migrations" in tables)
    return {"tables": tables, "migrations": migrations, "tool": f"sqlite {sqlite3.sqlite_version}"}


def _media_tar(media_root: Path, path: Path) -> dict:
    """Tar the regular files under ``media_root``.

    Symbolic links are never followed nor stored (they are listed as skipped): a link could
    point anywhere on the machine. ``media_root`` itself may be a link (to a data disk).
    """
    files, size, skipped = 0, 0, []
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        if not media_root.is_dir():
            return {"root": str(media_root), "files": 0, "bytes": 0, "skipped": []}
        root = media_root.resolve()
        for dirpath, dirnames, filenames in os.walk(root):
            current = Path(dirpath)
            dirnames.sort()
            # os.walk does not descend into linked folders; note them as skipped.
            skipped += [
                (current / name).relative_to(root).as_posix()
                for name in dirnames
                if (current / name).is_symlink()
            ]
            for name in sorted(filenames):
                full = current / name
                relative = full.relative_to(root).as_posix()
                try:
                    status = os.lstat(full)
                    if not stat.S_ISREG(status.st_mode):
                        skipped.append(relative)
                        continue
                    info = tar.gettarinfo(full, arcname=relative)
                    with full.open("rb") as handle:
                        tar.addfile(info, handle)
                except FileNotFoundError:
                    continue  # deleted since the walk listed it
                files += 1
                size += info.size
    return {"root": str(media_root), "files": files, "bytes": size, "skipped": skipped}


def _versions(tool: str | None) -> dict:
    versions = {"python": platform.python_version(), "Django": django.get_version()}
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            versions["tracker"] = tomllib.load(handle)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    for package in VERSIONED_PACKAGES:
        with suppress(importlib.metadata.PackageNotFoundError):
            versions[package] = importlib.metadata.version(package)
    if tool:
        versions["dump_tool"] = tool
    return versions


# -- Restore ---------------------------------------------------------------------------------


def backup_restore(
    *, folder: Path, overwrite: bool = False, using: str = "default"
) -> RestoreResult:
    """Restore a backup folder into the configured database and MEDIA_ROOT.

    Nothing is changed until the manifest, the checksums, the vendor, the migrations, the
    target database (empty, unless ``overwrite``) and every member of the media tarball have
    been checked. The database is replaced in one transaction (PostgreSQL) or one backup-API
    copy (SQLite); the media files are extracted aside, then moved into MEDIA_ROOT.
    """
    try:
        return _restore(connections[using], Path(folder), overwrite=overwrite)
    except DBError as error:
        raise BackupError(f"Restore failed: {error}") from error


def _restore(connection, folder: Path, *, overwrite: bool) -> RestoreResult:
    if connection.in_atomic_block:
        raise BackupError("A restore must run outside a transaction.")
    manifest = manifest_read(folder)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        how = {
            "postgresql": "set DATABASE_URL to a PostgreSQL database",
            "sqlite": "unset DATABASE_URL and set DJANGO_SQLITE_PATH",
        }[vendor]
        raise BackupError(
            f"This backup is of a {vendor} database; the configured database is "
            f"{connection.vendor}. To restore it, {how}."
        )
    manifest_verify(folder, manifest)
    pending = _check_migrations(manifest)
    _check_target(connection, manifest, overwrite=overwrite)

    media_root = Path(settings.MEDIA_ROOT)
    members = _media_check(folder / MEDIA_FILE)
    created_root = not media_root.exists()
    staging = None
    restored = False
    try:
        media_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root))
        moves = _media_stage(folder / MEDIA_FILE, members, staging, media_root)
        dump = folder / DUMP_FILES[vendor]
        if vendor == "postgresql":
            _pg_restore(connection, dump)
        else:
            _sqlite_restore(connection, dump)
        restored = True
        for source, target in moves:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    except (OSError, sqlite3.Error, tarfile.TarError) as error:
        if restored:
            raise BackupError(
                f"The database was restored, but not every media file: {error}. Free the "
                "space or fix the permissions, then restore again with --overwrite."
            ) from error
        raise BackupError(f"Restore failed, nothing was restored: {error}") from error
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if created_root and media_root.is_dir() and not any(media_root.iterdir()):
            media_root.rmdir()
    # Content type ids are the backup's now; a cached id from before would point elsewhere.
    ContentType.objects.clear_cache()
    rows = _check_counts(connection, manifest)
    return RestoreResult(
        tables=len(manifest["tables"]),
        rows=rows,
        media_files=len(moves),
        pending_migrations=pending,
    )


def manifest_read(folder: Path) -> dict:
    """The folder's manifest, checked for the fields a restore needs."""
    if not folder.exists():
        raise BackupError(f"No backup at {folder}: the folder does not exist.")
    if not folder.is_dir():
        raise BackupError(f"{folder} is not a folder: give the dated backup folder.")
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"{folder} has no {MANIFEST}: it is not a backup folder, or an unfinished one."
        ) from None
    except (OSError, ValueError) as error:
        raise BackupError(f"Cannot read {path}: {error}") from error
    try:
        if manifest["format"] != FORMAT:
            raise BackupError(
                f"{path} is in backup format {manifest['format']!r}; this version reads {FORMAT}."
            )
        vendor = manifest["database"]["vendor"]
        if vendor not in DUMP_FILES:
            raise BackupError(f"{path} names an unknown database vendor {vendor!r}.")
        for entry in manifest["files"]:
            str(entry["name"]), int(entry["size"]), str(entry["sha256"])
        for app, names in manifest["migrations"].items():
            str(app), [str(name) for name in names]
        for table, count in manifest["tables"].items():
            str(table), int(count)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise BackupError(f"{path} is incomplete or damaged ({error!r}).") from error
    return manifest


def manifest_verify(folder: Path, manifest: dict) -> None:
    """Check that the folder holds exactly the manifest's files, with their sizes and SHA-256."""
    expected = {DUMP_FILES[manifest["database"]["vendor"]], MEDIA_FILE}
    names = [entry["name"] for entry in manifest["files"]]
    if sorted(names) != sorted(expected):
        raise BackupError(
            f"The manifest lists {', '.join(names) or 'no files'}; a backup holds "
            f"{' and '.join(sorted(expected))}."
        )
    for entry in manifest["files"]:
        path = folder / entry["name"]
        if not path.is_file():
            raise BackupError(f"{path} is missing: the backup is incomplete.")
        found = _file_entry(path)
        if found["size"] != entry["size"] or found["sha256"] != entry["sha256"]:
            raise BackupError(
                f"{path} does not match the manifest (size {found['size']}, SHA-256 "
                f"{found['sha256']}; expected {entry['size']}, {entry['sha256']}): it was "
                "damaged or changed after the backup. Nothing was restored."
            )


def tracker_rows(connection) -> dict[str, int]:
    """Rows in the tracker's own tables (its records and their history) and user accounts.

    Content types, permissions and the staff roles are not counted: ``migrate`` creates them
    in every new database, and the restore replaces them with the backup's.
    """
    existing = set(connection.introspection.table_names())
    tables = {get_user_model()._meta.db_table}
    for label in TRACKER_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    with connection.cursor() as cursor:
        counts = {
            table: _count(cursor, connection.ops.quote_name(table))
            for table in sorted(tables & existing)
        }
    return {table: count for table, count in counts.items() if count}


def _check_migrations(manifest: dict) -> list[str]:
    """Refuse a backup made by a newer version of the code; return the migrations this code
    has that the backup predates (``migrate`` applies them after the restore)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    # Migrations of an app this code no longer installs do not matter: nothing reads its tables.
    unknown = sorted(key for key in applied - known if key[0] in loader.migrated_apps)
    if unknown:
        raise BackupError(
            "This backup was made by a newer version of the tracker (migrations "
            f"{_names(unknown)} are unknown here). Deploy that version, restore, then upgrade."
        )
    return [f"{app}.{name}" for app, name in sorted(known - applied)]


def _check_target(connection, manifest: dict, *, overwrite: bool) -> None:
    rows = tracker_rows(connection)
    if rows and not overwrite:
        listed = ", ".join(f"{table} ({count})" for table, count in list(rows.items())[:5])
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} already holds tracker data "
            f"({listed}{', …' if len(rows) > 5 else ''}). Restore into an empty database, or "
            "pass --overwrite to replace its data with the backup's (back it up first)."
        )
    if connection.vendor != "postgresql":
        return  # SQLite's backup API replaces the whole file
    # pg_restore --clean replaces the backup's tables but leaves any other table alone: tables
    # a newer migrate created would stay while django_migrations says they are not there.
    existing = set(connection.introspection.table_names())
    if "django_migrations" not in existing:
        return
    with connection.cursor() as cursor:
        present = {
            (app, name) for app, names in _migrations(cursor, True).items() for name in names
        }
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    newer = sorted(present - applied)
    if newer:
        raise BackupError(
            f"The database {connection.settings_dict['NAME']} was migrated past this backup "
            f"({_names(newer)}). Restore into a new empty database (createdb, without migrate)."
        )


def _media_check(path: Path) -> list[tarfile.TarInfo]:
    """Every member of the media tarball, refused if it is not a plain file or folder with a
    relative name inside the destination: a backup never holds links, devices or ``..``."""
    try:
        with tarfile.open(path) as tar:
            members = tar.getmembers()
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Cannot read {path}: {error}") from error
    for member in members:
        name = PurePosixPath(member.name)
        problem = None
        if name.is_absolute():
            problem = "is an absolute path"
        elif ".." in name.parts:
            problem = "goes up a folder (..)"
        elif member.issym() or member.islnk():
            problem = f"is a link (to {member.linkname!r})"
        elif not (member.isfile() or member.isdir()):
            problem = "is not a regular file or folder"
        else:
            try:
                tarfile.data_filter(member, str(path.parent))
            except tarfile.FilterError as error:
                problem = str(error)
        if problem:
            raise BackupError(f"{path} is unsafe: {member.name!r} {problem}. Nothing was restored.")
    return members


def _media_stage(
    path: Path, members: list[tarfile.TarInfo], staging: Path, media_root: Path
) -> list[tuple[Path, Path]]:
    """Extract the tarball into ``staging`` and return the moves into ``media_root``, each
    checked to land inside it (a link already in MEDIA_ROOT could lead elsewhere)."""
    with tarfile.open(path) as tar:
        tar.extractall(staging, members=members, filter="data")
    root = media_root.resolve()
    moves = []
    for member in members:
        if not member.isfile():
            continue
        target = media_root / member.name
        parent = target.parent.resolve()
        if (parent != root and root not in parent.parents) or target.is_symlink():
            raise BackupError(
                f"{target} leads outside MEDIA_ROOT ({root}) through a link. Nothing was restored."
            )
        moves.append((staging / member.name, target))
    return moves


def _pg_restore(connection, dump: Path) -> None:
    # --clean --if-exists: a database that migrate prepared (tables, no data) takes the backup's
    # tables in their place; on a database with no tables the drops do nothing.
    arguments, env = pg_connection(connection.settings_dict)
    _run(
        [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            "--clean",
            "--if-exists",
            "--no-password",
            *arguments,
            str(dump),
        ],
        env=env,
        what="pg_restore (nothing was restored)",
    )


def _sqlite_restore(connection, dump: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(f"file:{dump}?mode=ro", uri=True)) as source:
        source.backup(connection.connection)


def _check_counts(connection, manifest: dict) -> int:
    existing = set(connection.introspection.table_names())
    differ = []
    rows = 0
    with connection.cursor() as cursor:
        for table, expected in manifest["tables"].items():
            found = _count(cursor, connection.ops.quote_name(table)) if table in existing else None
            rows += found or 0
            if found != expected:
                differ.append(f"{table}: {found} rows, backup {expected}")
    if differ:
        raise BackupError("The restored database differs from the backup: " + "; ".join(differ))
    return rows


# -- Shared ----------------------------------------------------------------------------------


def pg_connection(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """The connection arguments and environment for pg_dump and pg_restore: the database name
    on the command line; host, port, user and password as libpq variables, so the password
    never shows on a command line (``ps``)."""
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
    }
    options = settings_dict.get("OPTIONS") or {}
    values.update({variable: options.get(option) for option, variable in PG_OPTIONS_ENV.items()})
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return [f"--dbname={settings_dict['NAME']}"], env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the server's "
            "major version or newer (Debian: apt-get install postgresql-client-15)."
        )
    return path


def _run(command: list[str], *, env: dict[str, str], what: str) -> str:
    try:
        result = subprocess.run(  # noqa: S603 (a PostgreSQL tool found on PATH, no shell)
            command, env=env, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise BackupError(f"Cannot run {command[0]}: {error}") from error
    if result.returncode != 0:
        message = result.stderr.strip()[-ERROR_TAIL:] or "no message"
        raise BackupError(f"{what} failed (exit code {result.returncode}): {message}")
    return result.stdout


def _count(cursor, quoted_table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {quoted_table}")  # noqa: S608 (a quoted table name)
    return cursor.fetchone()[0]


def _migrations(cursor, exists: bool) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    if exists:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            applied.setdefault(app, []).append(name)
    return applied


def _names(keys: list[tuple[str, str]]) -> str:
    shown = ", ".join(f"{app}.{name}" for app, name in keys[:5])
    return shown + (", …" if len(keys) > 5 else "")


def _file_entry(path: Path) -> dict:
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return {"name": path.name, "size": path.stat().st_size, "sha256": digest}


def _fsync(path: Path) -> None:
    """Flush a file or folder to the disk, so a crash after the rename finds it whole."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
