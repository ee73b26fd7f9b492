"""Restore a backup folder made by ``manage.py backup`` (see docs/backup.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_restore
from core.cache import bump_data_version


class Command(BaseCommand):
    help = (
        "Restore a backup folder (database and media) into the configured database, which must "
        "hold no tracker data, and MEDIA_ROOT. Checks the manifest's checksums first."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The dated backup folder.")
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Restore even though the database holds tracker data: its tables are replaced "
            "by the backup's. Back it up first.",
        )

    def handle(self, *args, **options):
        try:
            result = backup_restore(folder=options["folder"], overwrite=options["overwrite"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        # The restore wrote the tables directly: results kept in the cache are retired.
        bump_data_version()
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {options['folder']}: {result.tables} tables, {result.rows:,} rows "
                f"(the backup's counts), {result.media_files:,} media files."
            )
        )
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {len(result.pending_migrations)} migrations of this "
                    "version: run `manage.py migrate` now."
                )
            )
