"""Background jobs of the appraisals: thin, each calls a service."""

from __future__ import annotations

from django_tasks import task

from .services import appraisal_results_refresh_open


@task()
def appraisal_results_refresh_all() -> int:
    """The results of every open appraisal (the scheduler enqueues it every 15 minutes)."""
    return appraisal_results_refresh_open(actor=None)
