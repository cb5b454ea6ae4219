"""Background jobs of the deadline engine: thin, idempotent, each calls a service."""

from django_tasks import task

from .services import deadline_recompute_county, deadline_sweep


@task()
def sweep_deadlines() -> dict[str, int]:
    """Mark due-soon and overdue deadlines and escalate them (the scheduler enqueues it every minute)."""
    return deadline_sweep(actor=None).as_dict()


@task()
def recompute_deadlines(county_id: int) -> int:
    """Recompute the open deadlines of a county after its calendar changed."""
    return deadline_recompute_county(actor=None, county_id=county_id)
