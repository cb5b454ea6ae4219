"""Background jobs for campaigns: thin, each calls a service."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def campaigns_move_on_task() -> int:
    return services.campaigns_move_on()
