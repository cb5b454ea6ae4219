"""The events module's periodic jobs (found by `manage.py scheduler`)."""

from xieyu.core.scheduler import register

from .tasks import send_event_reminders_task

register("events.reminders", every=600, enqueue=send_event_reminders_task.enqueue)
