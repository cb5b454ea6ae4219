"""The only table of core: the scheduler's lease per periodic job (see scheduler.py)."""

from django.db import models


class SchedulerLease(models.Model):
    """One row per periodic job: who ran it last, when it may run next, and who holds it while it runs."""

    job = models.CharField(max_length=100, unique=True)
    holder = models.CharField(max_length=120, blank=True)
    run_after = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)  # set while a scheduler is running the job
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.job
