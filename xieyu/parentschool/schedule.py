"""The parent school's periodic jobs (found by `manage.py scheduler`)."""

from xieyu.core.scheduler import register

from .tasks import survey_after_remind_task

register("parentschool.survey_after_remind", every=1800, enqueue=survey_after_remind_task.enqueue)
