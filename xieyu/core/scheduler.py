"""One process that runs periodic jobs: a registry of (name, interval, enqueue function) and a lease per job.

Modules register their jobs in a `schedule.py` of their own, found at start-up:

    # xieyu/notices/schedule.py
    from xieyu.core.scheduler import register
    from .tasks import send_scheduled_notices
    register("notices.scheduled", every=60, enqueue=send_scheduled_notices.enqueue)

A job's function only enqueues a background task (the work runs in `db_worker`). Any number of schedulers may
run at once: a job runs when its lease row is claimed by a conditional UPDATE (`run_after` has come and nobody
holds it), and its enqueue commits in one transaction with the lease moving `run_after` one interval on, so two
schedulers never enqueue a job twice for one interval and a crash mid-way leaves the job to the next claimer.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from xieyu.core.models import SchedulerLease

logger = logging.getLogger("xieyu.core.scheduler")
LEASE_SECONDS = 30


@dataclass(frozen=True)
class Job:
    name: str
    every: int  # seconds
    enqueue: Callable[[], Any]


JOBS: dict[str, Job] = {}


def register(name: str, *, every: int, enqueue: Callable[[], Any]) -> Job:
    if every <= 0:
        raise ValueError("a job's interval must be positive")
    job = Job(name=name, every=every, enqueue=enqueue)
    JOBS[name] = job
    return job


def autodiscover() -> dict[str, Job]:
    """Import every installed app's `schedule` module (each registers its jobs)."""
    autodiscover_modules("schedule")
    return JOBS


class LeaseLost(RuntimeError):
    pass


def new_holder() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Scheduler:
    def __init__(
        self, jobs: dict[str, Job] | None = None, holder: str | None = None, lease_seconds: int = LEASE_SECONDS
    ):
        self.jobs = jobs if jobs is not None else JOBS
        self.holder = holder or new_holder()
        self.lease = datetime.timedelta(seconds=lease_seconds)

    def ensure_leases(self, now: datetime.datetime | None = None) -> None:
        now = now or timezone.now()
        for name in self.jobs:
            SchedulerLease.objects.get_or_create(job=name, defaults={"run_after": now})

    def try_run(self, job: Job, now: datetime.datetime | None = None) -> bool:
        """Claim the job's lease if it is due; enqueue and move the lease on in one transaction. True if run."""
        now = now or timezone.now()
        expires = now + self.lease
        claimed = (
            SchedulerLease.objects.filter(job=job.name, run_after__lte=now)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__lte=now))
            .update(holder=self.holder, expires_at=expires, claimed_at=now)
        )
        if not claimed:
            return False
        try:
            with transaction.atomic():
                job.enqueue()
                done = SchedulerLease.objects.filter(job=job.name, holder=self.holder, expires_at=expires).update(
                    run_after=now + datetime.timedelta(seconds=job.every),
                    expires_at=None,
                    last_run_at=now,
                    runs=F("runs") + 1,
                )
                if not done:
                    raise LeaseLost(job.name)
        except LeaseLost:
            logger.warning("scheduler %s lost the lease of %s while running it", self.holder, job.name)
            return False
        except Exception:
            logger.exception("scheduled job %s failed", job.name)
            SchedulerLease.objects.filter(job=job.name, holder=self.holder, expires_at=expires).update(expires_at=None)
            return False
        logger.info("scheduler %s ran %s", self.holder, job.name)
        return True

    def run_due(self, now: datetime.datetime | None = None) -> list[str]:
        now = now or timezone.now()
        self.ensure_leases(now)
        return [name for name, job in self.jobs.items() if self.try_run(job, now)]

    def seconds_to_next(self, tick: float) -> float:
        first = (
            SchedulerLease.objects.filter(job__in=list(self.jobs))
            .order_by("run_after")
            .values_list("run_after", flat=True)
            .first()
        )
        if first is None:
            return tick
        return max(0.2, min(tick, (first - timezone.now()).total_seconds()))

    def loop(self, stop: threading.Event, tick: float = 1.0) -> None:
        logger.info("scheduler %s started with jobs %s", self.holder, ", ".join(self.jobs) or "(none)")
        while not stop.is_set():
            close_old_connections()
            try:
                self.run_due()
                wait = self.seconds_to_next(tick)
            except Exception:  # the database went away for a moment: try again on the next tick
                logger.exception("scheduler tick failed")
                wait = tick
            stop.wait(wait)
        logger.info("scheduler %s stopped", self.holder)
