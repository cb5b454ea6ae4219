"""The surveys app's periodic jobs (found by `manage.py scheduler`)."""

from xieyu.core.scheduler import register

from .tasks import waves_close_due_task

register("surveys.waves_close_due", every=900, enqueue=waves_close_due_task.enqueue)
