"""The directory's periodic jobs (found by `manage.py scheduler`)."""

from xieyu.core.scheduler import register

from .tasks import recover_stale_roster_imports, tallies_refresh_all_task

register("directory.roster_recover", every=300, enqueue=recover_stale_roster_imports.enqueue)
register("directory.tallies", every=24 * 60 * 60, enqueue=tallies_refresh_all_task.enqueue)
