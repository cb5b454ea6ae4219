"""The awards app's periodic jobs (found by `manage.py scheduler`)."""

from xieyu.core.scheduler import register

from .campaigns.tasks import campaigns_move_on_task

register("awards.campaigns_move_on", every=600, enqueue=campaigns_move_on_task.enqueue)
