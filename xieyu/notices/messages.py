"""One path for every "something for you" message: an answer to a question, an urgent alert, an invitation.

A message is a Notice of kind MESSAGE with exactly one Delivery, written in the caller's transaction (no fan-out),
so the inbox, the unread badge, the SMS fallback after the county's delay and the delivery's channels work as
they do for notices. A message links to its item (`link`, a path on this site); opening the item marks the
messages about it read, so a family that saw the answer in the app is not texted about it.

Later modules (care referrals, committee inquiries, team invitations) send through `message_send` too.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from xieyu.directory.models import Guardian

from .models import Delivery, FanoutCursor, Notice
from .tasks import sms_message_task

TITLE_CHARS = 60
BODY_CHARS = 5000


@transaction.atomic
def message_send(
    *,
    actor,
    county_id: int,
    to_user=None,
    to_guardian: Guardian | None = None,
    title: str,
    body: str,
    link: str,
    topic: str,
    sender_unit: str = "",
    sms_after_hours: int | None = None,
    sms_now: bool = False,
) -> Delivery:
    """Write the message and its one delivery. A user who is a guardian receives it on their guardian record (so
    the SMS goes to the family's number); anyone else on their user account. With `sms_now` (an urgent alert) the
    delivery is also texted at once by a task committed with it (claimed, so never twice: channels.sms_unread)."""
    if to_guardian is None and to_user is not None:
        to_guardian = Guardian.objects.filter(user=to_user).first()
    if to_guardian is None and to_user is None:
        raise ValueError("a message needs a recipient")
    now = timezone.now()
    notice = Notice.objects.create(
        kind=Notice.Kind.MESSAGE,
        sender=actor,
        sender_unit=sender_unit[:100],
        county_id=county_id,
        title=title[:TITLE_CHARS],
        body=body[:BODY_CHARS],
        link=link[:200],
        topic=topic[:40],
        sms_after_hours=sms_after_hours,
        status=Notice.Status.SENT,
        send_at=now,
        fanned_out_at=now,
    )
    FanoutCursor.objects.create(notice=notice, phase=FanoutCursor.Phase.DONE, started_at=now, finished_at=now)
    delivery = Delivery.objects.create(
        notice=notice, guardian=to_guardian, user=None if to_guardian is not None else to_user, created_at=now
    )
    if sms_now:
        sms_message_task.enqueue(notice_id=notice.pk)
    return delivery


@transaction.atomic
def messages_read_for(*, user, link: str) -> int:
    """The user opened the item at `link`: their unread messages about it are read."""
    if not getattr(user, "is_authenticated", False):
        return 0
    mine = Delivery.objects.filter(notice__kind=Notice.Kind.MESSAGE, notice__link=link, read_at__isnull=True)
    return (mine.filter(guardian__user=user) | mine.filter(guardian__isnull=True, user=user)).update(
        read_at=timezone.now()
    )
