"""The scheduler's leases: one run per interval however many schedulers run, a failed job retried."""

import datetime

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from xieyu.core.models import SchedulerLease
from xieyu.core.scheduler import Job, Scheduler, autodiscover

from .helpers import at


def sweeps_enqueued() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="sweep_deadlines").count()


def test_the_sweep_is_registered(db):
    jobs = autodiscover()
    assert jobs["deadlines.sweep"].every == 60


def test_two_schedulers_enqueue_once_per_interval(db):
    jobs = autodiscover()
    a, b = Scheduler(jobs=jobs, holder="a"), Scheduler(jobs=jobs, holder="b")
    t0 = at("2026-11-16 09:00")
    for second in range(0, 300, 5):  # five minutes, both ticking every five seconds
        now = t0 + datetime.timedelta(seconds=second)
        with time_machine.travel(now, tick=False):
            a.run_due(now)
            b.run_due(now)
    assert sweeps_enqueued() == 5
    lease = SchedulerLease.objects.get(job="deadlines.sweep")
    assert lease.runs == 5 and lease.expires_at is None
    assert lease.run_after == t0 + datetime.timedelta(seconds=300)


def test_a_failing_job_is_retried_and_enqueues_nothing(db):
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")

    s = Scheduler(jobs={"flaky": Job("flaky", 60, flaky)}, holder="a")
    now = at("2026-11-16 09:00")
    assert s.run_due(now) == []
    lease = SchedulerLease.objects.get(job="flaky")
    assert lease.runs == 0 and lease.expires_at is None  # released at once
    assert s.run_due(now + datetime.timedelta(seconds=1)) == ["flaky"]


def test_a_scheduler_that_outlived_its_lease_rolls_its_enqueue_back(db):
    jobs = autodiscover()
    slow = Scheduler(jobs=jobs, holder="slow", lease_seconds=30)
    now = at("2026-11-16 09:00")
    slow.ensure_leases(now)

    def enqueue_while_the_lease_is_taken_over():
        jobs["deadlines.sweep"].enqueue()
        # Meanwhile the lease expired and another scheduler claimed it (its own row values).
        SchedulerLease.objects.filter(job="deadlines.sweep").update(
            holder="other", expires_at=now + datetime.timedelta(seconds=61)
        )

    assert slow.try_run(Job("deadlines.sweep", 60, enqueue_while_the_lease_is_taken_over), now) is False
    assert sweeps_enqueued() == 0  # the late enqueue was rolled back with the lease update


@pytest.mark.parametrize("holder", ["a", "b"])
def test_a_crashed_holder_blocks_the_job_only_until_its_lease_expires(db, holder):
    jobs = {"deadlines.sweep": autodiscover()["deadlines.sweep"]}
    s = Scheduler(jobs=jobs, holder=holder)
    now = at("2026-11-16 09:00")
    s.ensure_leases(now)
    SchedulerLease.objects.filter(job="deadlines.sweep").update(
        holder="dead", expires_at=now + datetime.timedelta(seconds=30)
    )
    assert s.run_due(now + datetime.timedelta(seconds=10)) == []
    assert s.run_due(now + datetime.timedelta(seconds=31)) == ["deadlines.sweep"]
