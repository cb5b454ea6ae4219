"""`manage.py backup [--output DIR]`: one archive of the database and the media files (see xieyu/core/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xieyu.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"), help="folder for the archive")

    def handle(self, *args, **options):
        try:
            archive = backup(Path(options["output"]))
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(str(archive))
