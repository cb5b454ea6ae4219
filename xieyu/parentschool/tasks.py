"""Background jobs of the parent school: thin, each calls a service."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def survey_after_remind_task() -> int:
    return services.survey_after_remind()
