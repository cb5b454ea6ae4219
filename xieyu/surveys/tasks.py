"""Background jobs of the questionnaire engine: thin, each calls a service."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def waves_close_due_task() -> int:
    return services.waves_close_due()
