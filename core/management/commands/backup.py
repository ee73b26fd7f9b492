"""Back up the database and the media folder into a new dated folder (see docs/backup.md)."""

import argparse
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, backup_create


def at_least_one(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("keep at least one backup")
    return number


class Command(BaseCommand):
    help = (
        "Write a consistent dump of the database and a tarball of MEDIA_ROOT, with a manifest "
        "of checksums, into a new dated folder (e.g. backups/2026-11-27T161500Z/)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            help="Folder in which to create the dated folder (default: TRACKER_BACKUP_DIR, "
            "from DJANGO_BACKUP_DIR).",
        )
        parser.add_argument(
            "--keep",
            type=at_least_one,
            metavar="N",
            help="After a successful backup, delete the oldest dated folders in the output "
            "folder so that N remain (the new one included). Default: delete nothing.",
        )

    def handle(self, *args, **options):
        output_dir = options["output_dir"] or Path(settings.TRACKER_BACKUP_DIR)
        try:
            result = backup_create(output_dir=output_dir, keep=options["keep"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        for name in manifest["media"]["skipped"]:
            self.stderr.write(
                self.style.WARNING(f"Skipped {name} in MEDIA_ROOT: not a regular file.")
            )
        files = ", ".join(
            f"{entry['name']} ({entry['size']:,} bytes)" for entry in manifest["files"]
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.folder}: {files}; "
                f"{sum(manifest['tables'].values()):,} rows, "
                f"{manifest['media']['files']:,} media files."
            )
        )
        for path in result.pruned:
            self.stdout.write(f"Deleted the older backup {path}.")
