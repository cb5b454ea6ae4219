"""Background jobs for events: thin, each calls a service."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def send_event_reminders_task() -> int:
    return services.send_due_reminders()
