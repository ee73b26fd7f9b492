"""Backups: `manage.py backup` then `manage.py restore` bring back every row (the records, their
history, the users) and every photo, byte for byte; a missing, damaged or unsafe backup is
refused with a clear message before anything changes.

The same tests run on whichever database DATABASE_URL selects (SQLite or PostgreSQL).
"""

import errno
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core import backups
from projects.models import ReportPhoto
from tests.conftest import role_member
from tests.gates.factories import GateEventFactory, TradeRecordFactory
from tests.investment.factories import InvestmentFactory
from tests.projects.factories import ProjectFactory, YearlyAllocationFactory
from tests.projects.test_reports import ADD_URL, png, report_form, with_photo

# pg_dump reads the database from another process: the data must be committed.
committed_db = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
COUNT_ROWS = (
    "from django.apps import apps\n"
    "for model in apps.get_models(include_auto_created=True):\n"
    "    if model._meta.managed and not model._meta.proxy:\n"
    "        print(model._meta.db_table, model._base_manager.count())\n"
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def all_rows() -> dict[str, list[dict]]:
    """Every row of every table Django knows: records, history, users, links, sessions."""
    return {
        model._meta.db_table: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def media_files(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def post_report_with_photo(client, django_user_model) -> ReportPhoto:
    """A progress report with a photo, posted by an editor in the admin as staff do."""
    project = ProjectFactory(status="approved", progress_percent=0)
    client.force_login(role_member(django_user_model, "editor"))
    upload = SimpleUploadedFile("mong.png", png(), content_type="image/png")
    response = client.post(ADD_URL, with_photo(report_form(project), upload))
    assert response.status_code == 302
    return ReportPhoto.objects.get(report__project=project)


def backup(output_dir: Path, **options) -> Path:
    """Run `manage.py backup` and return the folder it wrote."""
    before = set(output_dir.iterdir()) if output_dir.exists() else set()
    out = io.StringIO()
    call_command("backup", output_dir=output_dir, stdout=out, **options)
    (folder,) = set(output_dir.iterdir()) - before
    assert f"Backup written to {folder}" in out.getvalue()
    return folder


@pytest.fixture
def some_data(client, django_user_model, media_root):
    """A few records with history, a user and a report photo (quicker than the demo data)."""
    GateEventFactory()
    return post_report_with_photo(client, django_user_model)


@committed_db
def test_a_restore_brings_back_every_row_its_history_and_the_photos(
    client, django_user_model, media_root, tmp_path
):
    call_command("load_demo_data", verbosity=0)
    TradeRecordFactory()
    InvestmentFactory()
    YearlyAllocationFactory()
    photo = post_report_with_photo(client, django_user_model)
    rows, files = all_rows(), media_files(media_root)
    assert photo.image.name in files
    assert rows["projects_historicalproject"] and rows["projects_historicalreportphoto"]
    folder = backup(tmp_path / "backups")

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["projects_reportphoto"] == 1
    assert "0006_progress_reports" in manifest["migrations"]["projects"]
    assert {entry["name"] for entry in manifest["files"]} == {
        backups.DUMP_FILES[connection.vendor],
        "media.tar",
    }

    # Back to a database as a fresh `migrate` leaves it (roles and permissions, no data).
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    out = io.StringIO()
    call_command("restore", folder, stdout=out)

    assert "Restored" in out.getvalue()
    assert all_rows() == rows
    assert media_files(media_root) == files
    assert client.get(photo.report.project.get_absolute_url()).status_code == 200


@contextmanager
def fresh_database(tmp_path: Path):
    """The environment of a `manage.py` process on a new, empty database of the test
    database's vendor: a new file on SQLite, a scratch database on PostgreSQL (a unique name per
    test process, dropped afterwards)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_MEDIA_ROOT=str(tmp_path / "restored-media"),
        DJANGO_DB_POOL="0",
    )
    if connection.vendor == "sqlite":
        yield {**env, "DJANGO_SQLITE_PATH": str(tmp_path / "restored.sqlite3")}
        return
    name = f"test_restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    settings_dict = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        user = quote(settings_dict["USER"] or "", safe="")
        password = quote(settings_dict["PASSWORD"] or "", safe="")
        address = f"{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}"
        env["DATABASE_URL"] = f"postgres://{user}:{password}@{address}/{name}"
        yield env
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict, *arguments: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@committed_db
def test_a_backup_restores_into_a_new_empty_database_as_docs_backup_md_tests_it(
    some_data, media_root, tmp_path
):
    folder = backup(tmp_path / "backups")
    counts = {table: len(rows) for table, rows in all_rows().items()}
    with fresh_database(tmp_path) as env:
        assert "Restored" in manage(env, "restore", str(folder))
        restored = manage(env, "shell", "--no-imports", "-c", COUNT_ROWS)
    pairs = (line.split() for line in restored.splitlines())
    assert {table: int(count) for table, count in pairs} == counts
    assert media_files(tmp_path / "restored-media") == media_files(media_root)


@committed_db
def test_restore_refuses_a_database_with_tracker_data_unless_told_to_overwrite(
    some_data, media_root, tmp_path
):
    folder = backup(tmp_path / "backups")
    rows = all_rows()
    ProjectFactory(code="added-after-the-backup")
    with pytest.raises(CommandError, match="already holds tracker data.*--overwrite"):
        call_command("restore", folder)
    assert all_rows()["projects_project"] != rows["projects_project"]

    call_command("restore", folder, overwrite=True, stdout=io.StringIO())
    assert all_rows() == rows


def rewrite_manifest(folder: Path, change) -> None:
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def add_to_media_tar(folder: Path, member: tarfile.TarInfo, data: bytes = b"") -> None:
    """Add a member to the backup's media.tar and give the manifest its new checksum, as an
    attacker who can write the backup folder would."""
    path = folder / "media.tar"
    with tarfile.open(path, "a") as tar:
        tar.addfile(member, io.BytesIO(data) if data else None)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    def update(manifest):
        for entry in manifest["files"]:
            if entry["name"] == "media.tar":
                entry.update(size=path.stat().st_size, sha256=digest)

    rewrite_manifest(folder, update)


def tar_member(name: str, *, kind=tarfile.REGTYPE, link: str = "", size: int = 0):
    member = tarfile.TarInfo(name)
    member.type, member.linkname, member.size = kind, link, size
    return member


@committed_db
def test_a_missing_damaged_or_unsafe_backup_is_refused_and_nothing_changes(
    some_data, media_root, tmp_path
):
    good = backup(tmp_path / "backups")
    outside = tmp_path / "outside"
    other_vendor = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    dump = backups.DUMP_FILES[connection.vendor]

    def flip_a_byte(folder):
        data = bytearray((folder / dump).read_bytes())
        data[len(data) // 2] ^= 0xFF
        (folder / dump).write_bytes(bytes(data))

    def future_migration(manifest):
        manifest["migrations"]["projects"].append("9999_from_the_future")

    cases = {
        "no such folder": (lambda folder: shutil.rmtree(folder), "does not exist"),
        "no manifest": (lambda folder: (folder / "manifest.json").unlink(), "has no manifest"),
        "tampered dump": (flip_a_byte, "does not match the manifest"),
        "wrong checksum": (
            lambda folder: rewrite_manifest(
                folder, lambda m: m["files"][0].update(sha256="0" * 64)
            ),
            "does not match the manifest",
        ),
        "other vendor": (
            lambda folder: rewrite_manifest(
                folder, lambda m: m["database"].update(vendor=other_vendor)
            ),
            f"This backup is of a {other_vendor} database",
        ),
        "newer code": (
            lambda folder: rewrite_manifest(folder, future_migration),
            "made by a newer version",
        ),
        "../evil": (
            lambda folder: add_to_media_tar(folder, tar_member("../evil", size=4), b"evil"),
            r"'../evil' goes up a folder",
        ),
        "absolute path": (
            lambda folder: add_to_media_tar(
                folder, tar_member(str(outside / "abs"), size=4), b"evil"
            ),
            "is an absolute path",
        ),
        "symlink out": (
            lambda folder: add_to_media_tar(
                folder, tar_member("reports/link", kind=tarfile.SYMTYPE, link=str(outside))
            ),
            "'reports/link' is a link",
        ),
        "hard link out": (
            lambda folder: add_to_media_tar(
                folder, tar_member("reports/hard", kind=tarfile.LNKTYPE, link="/etc/passwd")
            ),
            "'reports/hard' is a link",
        ),
    }
    # The database no longer matches the backup, so a restore that went ahead would show.
    ProjectFactory(code="added-after-the-backup")
    rows, files = all_rows(), media_files(media_root)
    for case, (damage, message) in cases.items():
        folder = tmp_path / case.replace("/", "_")
        shutil.copytree(good, folder)
        damage(folder)
        with pytest.raises(CommandError, match=message):
            call_command("restore", folder, overwrite=True)
        assert all_rows() == rows, case
        assert media_files(media_root) == files, case
        assert not outside.exists(), case
        assert not (media_root.parent / "evil").exists(), case


@committed_db
def test_a_failed_backup_leaves_no_folder_behind(some_data, tmp_path, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backups, "_media_tar", disk_full)
    output_dir = tmp_path / "backups"
    with pytest.raises(CommandError, match="nothing was kept.*No space left on device"):
        call_command("backup", output_dir=output_dir)
    assert list(output_dir.iterdir()) == []


@committed_db
def test_keep_deletes_the_oldest_dated_backups_only(some_data, tmp_path):
    output_dir = tmp_path / "backups"
    (output_dir / "notes").mkdir(parents=True)
    (output_dir / "2020-01-01T000000Z").mkdir()  # no manifest: not a backup of ours
    first = backup(output_dir)
    second = backup(output_dir)
    third = backup(output_dir, keep=2)
    assert {p.name for p in output_dir.iterdir()} == {
        "notes",
        "2020-01-01T000000Z",
        second.name,
        third.name,
    }
    assert not first.exists()


def test_the_database_password_stays_off_the_command_line():
    arguments, env = backups.pg_connection(
        {
            "NAME": "tracker",
            "HOST": "db.internal",
            "PORT": 5432,
            "USER": "tracker",
            "PASSWORD": "s3cret-pw",
            "OPTIONS": {"sslmode": "require"},
        }
    )
    assert "s3cret-pw" not in " ".join(arguments)
    assert arguments == ["--dbname=tracker"]
    assert (env["PGPASSWORD"], env["PGHOST"], env["PGPORT"], env["PGUSER"]) == (
        "s3cret-pw",
        "db.internal",
        "5432",
        "tracker",
    )
    assert env["PGSSLMODE"] == "require"
