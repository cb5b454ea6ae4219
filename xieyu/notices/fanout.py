"""Fan-out: one Delivery row per recipient, written in batches, safe to kill and to run twice.

- The FanoutCursor row holds the progress (phase and last recipient id written) and a lease. A worker claims
  the lease with a conditional UPDATE (free, expired, or already its own), and every batch commits together
  with the cursor's advance, on the condition that the lease is still its own.
- Deliveries are unique per notice × guardian (and notice × staff user) and written with INSERT … ON CONFLICT
  DO NOTHING, so a batch written again after a crash is written once.
- A worker killed mid-fan-out leaves its lease to expire; resume_stalled() (a scheduler job) enqueues the
  fan-out again and the next worker continues after the cursor.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import time

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from .audience import audience_guardianships, audience_staff
from .models import Delivery, FanoutCursor, Notice, NoticeTarget

logger = logging.getLogger("xieyu.notices")


def batch_size() -> int:
    return int(getattr(settings, "NOTICES_FANOUT_BATCH", 2000))


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "NOTICES_FANOUT_LEASE_SECONDS", 60)))


class LeaseLost(Exception):
    """Another worker took the fan-out over; this batch is rolled back."""


def _claim(notice_id: int, token: str) -> bool:
    """Take the lease (free, expired, or already ours) and extend it: a conditional UPDATE, in the batch's
    transaction, so claiming and writing are one step."""
    now = timezone.now()
    return bool(
        FanoutCursor.objects.filter(notice_id=notice_id)
        .exclude(phase=FanoutCursor.Phase.DONE)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_token=token))
        .update(lease_token=token, lease_until=now + lease())
    )


def _pause() -> None:
    """On SQLite, let other writers (web requests, other jobs) in between batches: its locks are not fair."""
    if connection.vendor == "sqlite":
        time.sleep(float(getattr(settings, "NOTICES_FANOUT_SQLITE_PAUSE", 0.01)))


def fan_out(notice_id: int, *, size: int | None = None) -> int:
    """Write the notice's deliveries until every recipient has one; returns how many rows this call offered."""
    size = size or batch_size()
    token = secrets.token_hex(16)
    written = 0
    busy = 0
    targets: list[NoticeTarget] | None = None
    if Notice.objects.filter(pk=notice_id, status=Notice.Status.SCHEDULED).exists():
        return 0  # not due yet: notice_start() enqueues the fan-out when it is
    while True:
        try:
            with transaction.atomic():
                if not _claim(notice_id, token):
                    return written  # done, or another live worker holds the lease
                cursor = FanoutCursor.objects.select_related("notice").get(notice_id=notice_id)
                notice = cursor.notice
                if targets is None:
                    targets = list(notice.targets.all())
                done, rows = _one_batch(cursor, notice, targets, size)
                now = timezone.now()
                fields = {"phase": cursor.phase, "last_id": cursor.last_id, "batches": cursor.batches + 1}
                if done:
                    fields.update(phase=FanoutCursor.Phase.DONE, finished_at=now, lease_token="", lease_until=None)
                if not FanoutCursor.objects.filter(pk=cursor.pk, lease_token=token).update(**fields):
                    raise LeaseLost
                if done:
                    Notice.objects.filter(pk=notice_id, status=Notice.Status.SENDING).update(
                        status=Notice.Status.SENT, fanned_out_at=now
                    )
            written += rows
            busy = 0
            if done:
                return written
            _pause()
        except LeaseLost:
            logger.warning("fan-out of notice %s taken over by another worker", notice_id)
            return written
        except OperationalError as exc:  # SQLite "database is locked" under load: the batch rolled back, retry
            busy += 1
            if busy > 20:
                raise
            logger.warning("fan-out of notice %s: %s; retrying", notice_id, exc)
            time.sleep(0.2 * busy)


def _one_batch(cursor: FanoutCursor, notice: Notice, targets: list[NoticeTarget], size: int) -> tuple[bool, int]:
    """Write one batch and advance the cursor in memory; True when the fan-out is complete."""
    if notice.status == Notice.Status.RETRACTED:
        return True, 0
    if cursor.phase == FanoutCursor.Phase.GUARDIANS:
        rows = list(
            audience_guardianships(targets)
            .filter(guardian_id__gt=cursor.last_id)
            .order_by("guardian_id", "student_id")
            .values_list("guardian_id", "student__school_id", "student__school_class_id")[:size]
        )
        if not rows:
            cursor.phase, cursor.last_id = FanoutCursor.Phase.STAFF, 0
            return False, 0
        now = timezone.now()
        seen: set[int] = set()
        deliveries = []
        for guardian_id, school_id, class_id in rows:
            if guardian_id in seen:
                continue  # one delivery per guardian, even with two children in the audience
            seen.add(guardian_id)
            deliveries.append(
                Delivery(
                    notice_id=notice.pk, guardian_id=guardian_id, school_id=school_id, school_class_id=class_id,
                    created_at=now,
                )
            )  # fmt: skip
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=500)
        cursor.last_id = rows[-1][0]
        return False, len(deliveries)
    # Staff reached by role targets; a staff member already reached as a guardian is not reached twice.
    memberships = (
        audience_staff(targets)
        .filter(user_id__gt=cursor.last_id)
        .exclude(
            user_id__in=Delivery.objects.filter(notice=notice, guardian__user__isnull=False).values("guardian__user")
        )
        .order_by("user_id")
        .values_list("user_id", "school_id", "school_class__school_id")
    )
    rows = list(memberships[:size])
    if not rows:
        return True, 0
    now = timezone.now()
    seen = set()
    deliveries = []
    for user_id, school_id, class_school_id in rows:
        if user_id in seen:
            continue
        seen.add(user_id)
        deliveries.append(
            Delivery(notice_id=notice.pk, user_id=user_id, school_id=school_id or class_school_id, created_at=now)
        )
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=500)
    cursor.last_id = rows[-1][0]
    return False, len(deliveries)


def resume_stalled(*, now: datetime.datetime | None = None) -> list[int]:
    """Fan-outs that stopped (worker killed, lease expired) or never started: enqueue them again."""
    from . import tasks

    now = now or timezone.now()
    grace = now - lease()
    stalled = list(
        FanoutCursor.objects.filter(notice__status=Notice.Status.SENDING)
        .exclude(phase=FanoutCursor.Phase.DONE)
        .filter(Q(lease_until__lt=now) | Q(lease_until__isnull=True, started_at__lt=grace))
        .values_list("notice_id", flat=True)
    )
    for notice_id in stalled:
        tasks.fan_out_task.enqueue(notice_id)
    return stalled
