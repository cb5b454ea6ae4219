"""The directory's periodic jobs (found by `manage.py scheduler`)."""

from xieyu.core.scheduler import register

from .tasks import recover_stale_roster_imports

register("directory.roster_recover", every=300, enqueue=recover_stale_roster_imports.enqueue)
