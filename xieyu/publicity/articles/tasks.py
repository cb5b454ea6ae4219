"""Background jobs of the column: thin, each calls a service."""

from __future__ import annotations

from django_tasks import task

from .services import articles_publish_due


@task()
def articles_publish_due_task() -> int:
    """Scheduled articles whose time has come go into the column (the scheduler enqueues it every minute)."""
    return articles_publish_due()
