"""Background jobs for questions: thin, each calls a service."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def topics_mark_held_task() -> int:
    return services.topics_mark_held()
