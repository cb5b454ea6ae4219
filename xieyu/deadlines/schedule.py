"""The deadline engine's periodic jobs (found by `manage.py scheduler`)."""

from xieyu.core.scheduler import register

from .tasks import sweep_deadlines

SWEEP_EVERY_SECONDS = 60

register("deadlines.sweep", every=SWEEP_EVERY_SECONDS, enqueue=sweep_deadlines.enqueue)
