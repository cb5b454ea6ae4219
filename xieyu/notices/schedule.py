"""The notices module's periodic jobs (found by `manage.py scheduler`)."""

from xieyu.core.scheduler import register

from .tasks import fanout_resume_stalled_task, send_scheduled_notices_task, sms_fallback_sweep_task

register("notices.scheduled", every=60, enqueue=send_scheduled_notices_task.enqueue)
register("notices.fanout_resume", every=60, enqueue=fanout_resume_stalled_task.enqueue)
register("notices.sms_fallback", every=600, enqueue=sms_fallback_sweep_task.enqueue)
