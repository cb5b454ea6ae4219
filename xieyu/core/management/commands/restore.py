"""`manage.py restore ARCHIVE --yes`: put back the database and the media files of a backup archive.

Stop the web servers and workers first. Without --yes the command only describes the archive.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xieyu.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="really replace the current data")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        try:
            manifest = read_manifest(archive)
            if not options["yes"]:
                self.stdout.write(
                    f"{archive}: {manifest.engine}, made {manifest.created_at}, {manifest.media_files} media files. "
                    "Run again with --yes to replace the current data with it."
                )
                return
            restore(archive)
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"restored {archive} (made {manifest.created_at})")
