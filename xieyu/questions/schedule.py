"""The questions module's periodic jobs (found by `manage.py scheduler`)."""

from xieyu.core.scheduler import register

from .tasks import topics_mark_held_task

register("questions.topics_held", every=900, enqueue=topics_mark_held_task.enqueue)
