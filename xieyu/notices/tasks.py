"""Background jobs for notices. Thin: each loads rows and calls fanout.py, channels.py or services.py.

Plain functions for the scheduler (xieyu/deadlines' `manage.py scheduler` calls them on a timer):
- send_scheduled_notices()  every minute: start notices whose sending time has come
- fanout_resume_stalled()   every minute: resume fan-outs whose worker died (lease expired)
- sms_fallback_sweep()      every 10 minutes: text guardians who have not read within the notice's hours
Each also has a task (`*_task`) to enqueue.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from . import channels, fanout
from .models import Notice

# --- jobs the scheduler calls -------------------------------------------------------------------------------


def send_scheduled_notices() -> list[int]:
    """Start every scheduled notice whose time has come (each starts once: conditional update)."""
    from .services import notice_start

    now = timezone.now()
    due = list(
        Notice.objects.filter(status=Notice.Status.SCHEDULED, send_at__lte=now).values_list("pk", flat=True)[:500]
    )
    return [pk for pk in due if notice_start(notice_id=pk, now=now)]


def fanout_resume_stalled() -> list[int]:
    return fanout.resume_stalled()


def sms_fallback_sweep() -> int:
    return channels.sms_fallback_sweep()


@task()
def send_scheduled_notices_task() -> int:
    return len(send_scheduled_notices())


@task()
def fanout_resume_stalled_task() -> int:
    return len(fanout_resume_stalled())


@task()
def sms_fallback_sweep_task() -> int:
    return sms_fallback_sweep()


# --- jobs enqueued by the services --------------------------------------------------------------------------


@task()
def start_notice_task(notice_id: int) -> bool:
    """Deferred to the notice's sending time (run_after)."""
    from .services import notice_start

    return notice_start(notice_id=notice_id)


@task()
def fan_out_task(notice_id: int) -> int:
    return fanout.fan_out(notice_id)


@task()
def remind_unread_task(notice_id: int) -> int:
    notice = Notice.objects.filter(pk=notice_id).first()
    return channels.remind_unread(notice) if notice else 0


@task()
def sms_message_task(notice_id: int) -> int:
    """An urgent message is texted at once (the row's SMS claim keeps it to one text, whoever runs it)."""
    notice = Notice.objects.filter(pk=notice_id, kind=Notice.Kind.MESSAGE).first()
    if notice is None:
        return 0
    sent = channels.sms_unread(notice)
    Notice.objects.filter(pk=notice.pk, sms_done_at__isnull=True).update(sms_done_at=timezone.now())
    return sent


@task()
def retract_sms_task(notice_id: int) -> int:
    notice = Notice.objects.filter(pk=notice_id).first()
    return channels.retract_sms(notice) if notice else 0
