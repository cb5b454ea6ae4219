"""Background jobs of the directory (django-tasks, run by `manage.py db_worker`). Thin: load and call a service.

Periodic ones are registered in schedule.py. The roster services enqueue these tasks, so the tasks import them
when they run (the one cycle between the two modules).
"""

from django_tasks import task


@task()
def validate_roster_import(roster_import_id: int) -> None:
    """Check every row of an uploaded roster file and record its problems and progress."""
    from .roster import roster_import_validate

    roster_import_validate(roster_import_id=roster_import_id)


@task()
def commit_roster_import(roster_import_id: int) -> None:
    """Import a claimed roster file, all of it in one transaction or nothing."""
    from .roster import roster_import_commit

    roster_import_commit(roster_import_id=roster_import_id)


@task()
def recover_stale_roster_imports() -> int:
    """Free checks and commits whose worker died (a scheduler job, every five minutes); how many were freed."""
    from .roster import roster_imports_recover_stale

    return len(roster_imports_recover_stale())


@task()
def tallies_refresh_all_task() -> int:
    """Recount every school's tally (a scheduler job, nightly): what a bulk write forgot is put right."""
    from .tallies import tallies_refresh_all

    return tallies_refresh_all()
