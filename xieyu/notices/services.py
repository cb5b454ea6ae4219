"""Every write to notices and deliveries. The fan-out itself is in fanout.py, the SMS channel in channels.py."""

from __future__ import annotations

import datetime
import secrets
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Membership, Role
from xieyu.audit.services import audit_record
from xieyu.core.text import has_forbidden_characters
from xieyu.core.uploads import NOTICE_FILES, check_uploads

from . import access
from .audience import Audience, build_targets
from .models import Delivery, FanoutCursor, Notice, NoticeAttachment, NoticePolicy, NoticeTarget

MAX_CHOICES = 6
MAX_CHOICE_CHARS = 20
MAX_REPLY_CHARS = 200
MAX_ATTACHMENTS = 9


def remind_interval() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "NOTICES_REMIND_INTERVAL_SECONDS", 3600))


def policy_for(county_id: int) -> NoticePolicy:
    policy, _created = NoticePolicy.objects.get_or_create(county_id=county_id)
    return policy


def _sender_unit(m: Membership) -> tuple[dict, str]:
    if m.role == Role.COUNTY_ADMIN and m.county is not None:
        return {"county_id": m.county_id}, m.county.name
    if m.role == Role.SCHOOL_ADMIN and m.school is not None:
        return {"county_id": m.school.county_id, "school_id": m.school_id}, m.school.name
    school_class = m.school_class
    if school_class is None:
        raise ValueError(f"membership {m.pk} names no unit for its role")
    school = school_class.school
    return (
        {"county_id": school.county_id, "school_id": school.pk, "school_class_id": school_class.pk},
        f"{school.name} {school_class}",
    )


def _clean_choices(receipt_mode: str, choices: list[str]) -> list[str]:
    if receipt_mode != Notice.ReceiptMode.CHOICE:
        return []
    cleaned = []
    for c in choices:
        c = (c or "").strip()
        if c and c not in cleaned:
            cleaned.append(c)
    if not 2 <= len(cleaned) <= MAX_CHOICES:
        raise ValidationError(
            _("Give between 2 and %(max)d options for guardians to choose from.") % {"max": MAX_CHOICES},
            code="choices",
        )
    for c in cleaned:
        if len(c) > MAX_CHOICE_CHARS:
            raise ValidationError(
                _("The option “%(option)s” is too long: at most %(max)d characters.")
                % {"option": c, "max": MAX_CHOICE_CHARS},
                code="choices",
            )
    return cleaned


@transaction.atomic
def notice_create(
    *,
    actor,
    title: str,
    body: str,
    audience: Audience,
    receipt_mode: str = Notice.ReceiptMode.READ,
    choices: list[str] | None = None,
    attachments: list | None = None,
    send_at: datetime.datetime | None = None,
    sms_after_hours: int | None = None,
    membership: Membership | None = None,
    link: str = "",
    topic: str = "",
) -> Notice:
    """Write a notice and its audience; send now (the worker fans it out) or at `send_at`. `link` (a path on this
    site) is what the notice is about, e.g. a column article pushed to families."""
    memberships = access.sender_memberships(actor)
    if not memberships:
        raise PermissionDenied(_("Only head teachers, school admins and county admins may send notices."))
    if membership is None or membership not in memberships:
        membership = memberships[0]
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise ValidationError(_("Give the notice a title."), code="title")
    if len(title) > 60:
        raise ValidationError(_("The title is too long: at most 60 characters."), code="title")
    if not body:
        raise ValidationError(_("Write the content of the notice."), code="body")
    if len(body) > 5000:
        raise ValidationError(_("The content is too long: at most 5000 characters."), code="body")
    if receipt_mode not in Notice.ReceiptMode.values:
        raise ValidationError(_("Unknown receipt mode."), code="receipt_mode")
    cleaned_choices = _clean_choices(receipt_mode, choices or [])
    if sms_after_hours is not None and not 1 <= sms_after_hours <= 168:
        raise ValidationError(_("SMS hours must be between 1 and 168."), code="sms_after_hours")
    now = timezone.now()
    if send_at is not None and send_at < now - datetime.timedelta(minutes=5):
        raise ValidationError(_("The sending time has already passed."), code="send_at")
    checked = check_uploads(attachments, NOTICE_FILES, max_files=MAX_ATTACHMENTS)
    targets, labels = build_targets(actor=actor, audience=audience)

    unit, unit_name = _sender_unit(membership)
    scheduled = send_at is not None and send_at > now
    notice = Notice.objects.create(
        sender=actor,
        sender_role=membership.role,
        sender_unit=unit_name[:100],
        title=title,
        body=body,
        receipt_mode=receipt_mode,
        choices=cleaned_choices,
        audience_label="、".join(labels)[:300],
        sms_after_hours=sms_after_hours,
        status=Notice.Status.SCHEDULED if scheduled else Notice.Status.SENDING,
        send_at=send_at if scheduled and send_at is not None else now,
        link=link[:200],
        topic=topic[:40],
        **unit,
    )
    for t in targets:
        t.notice = notice
    NoticeTarget.objects.bulk_create(targets)
    for c in checked:
        attachment = NoticeAttachment(
            notice=notice,
            kind=c.kind,
            token=secrets.token_hex(16),
            name=c.name,
            content_type=c.content_type,
            size=c.size,
        )
        attachment.file.save(attachment.token, c.file, save=False)
        attachment.save()
    audit_record(
        actor=actor,
        action="notice.create",
        target=notice,
        changes={"audience": [None, notice.audience_label], "send_at": [None, notice.send_at.isoformat()]},
    )
    from . import tasks  # the tasks import services

    if scheduled:
        FanoutCursor.objects.create(notice=notice)
        # The deferred job starts it on time; send_scheduled_notices (the scheduler's sweep) is the safety net.
        tasks.start_notice_task.using(run_after=notice.send_at).enqueue(notice.pk)
    else:
        FanoutCursor.objects.create(notice=notice, started_at=now)
        tasks.fan_out_task.enqueue(notice.pk)
    return notice


def notice_start(*, notice_id: int, now: datetime.datetime | None = None) -> bool:
    """A scheduled notice whose time has come starts sending (claimed by conditional update: once only)."""
    now = now or timezone.now()
    with transaction.atomic():
        started = Notice.objects.filter(pk=notice_id, status=Notice.Status.SCHEDULED, send_at__lte=now).update(
            status=Notice.Status.SENDING
        )
        if not started:
            return False
        FanoutCursor.objects.filter(notice_id=notice_id, started_at__isnull=True).update(started_at=now)
        from . import tasks

        tasks.fan_out_task.enqueue(notice_id)
    return True


@transaction.atomic
def notice_retract(*, actor, notice: Notice, note: str) -> Notice:
    """Withdraw a notice. Those who had it see the note in place of the text; SMS recipients get the note by SMS."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say in a few words why the notice is withdrawn."), code="note")
    if len(note) > 200:
        raise ValidationError(_("The note is too long: at most 200 characters."), code="note")
    retracted = (
        Notice.objects.filter(pk=notice.pk)
        .exclude(status=Notice.Status.RETRACTED)
        .update(status=Notice.Status.RETRACTED, retracted_at=timezone.now(), retracted_by=actor, retract_note=note)
    )
    if not retracted:
        raise ValidationError(_("This notice has already been withdrawn."), code="retracted")
    notice.refresh_from_db()
    audit_record(actor=actor, action="notice.retract", target=notice, changes={"retract_note": [None, note]})
    from . import tasks

    tasks.retract_sms_task.enqueue(notice.pk)
    return notice


@transaction.atomic
def notice_remind(*, actor, notice: Notice) -> Notice:
    """Remind the recipients who have not read: at most once per interval per notice (conditional update)."""
    if notice.is_retracted:
        raise ValidationError(_("This notice has been withdrawn."), code="retracted")
    if notice.status != Notice.Status.SENT:
        raise ValidationError(_("The notice is still being sent; remind when it has reached everyone."), code="sending")
    now = timezone.now()
    interval = remind_interval()
    claimed = Notice.objects.filter(
        Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - interval), pk=notice.pk
    ).update(last_reminded_at=now)
    if not claimed:
        notice.refresh_from_db(fields=["last_reminded_at"])
        last = cast(datetime.datetime, notice.last_reminded_at)  # the claim fails only while it is recent
        next_time = timezone.localtime(last + interval)
        raise ValidationError(
            _("The unread were reminded at %(last)s; you may remind them again after %(next)s.")
            % {
                "last": timezone.localtime(notice.last_reminded_at).strftime("%H:%M"),
                "next": next_time.strftime("%H:%M"),
            },
            code="rate_limited",
        )
    notice.last_reminded_at = now
    audit_record(actor=actor, action="notice.remind", target=notice)
    from . import tasks

    tasks.remind_unread_task.enqueue(notice.pk)
    return notice


# --- the recipient's side -----------------------------------------------------------------------------------


@transaction.atomic
def delivery_read(*, actor, delivery: Delivery) -> Delivery:
    """Mark read on open (idempotent: the first time counts)."""
    if delivery.read_at is None:
        now = timezone.now()
        Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=now)
        delivery.read_at = now
    return delivery


@transaction.atomic
def delivery_respond(*, actor, delivery: Delivery, reply: str = "") -> Delivery:
    """Confirm, reply or choose, by the notice's receipt mode; a later answer replaces the earlier one."""
    notice = delivery.notice
    if notice.is_retracted:
        raise ValidationError(_("This notice has been withdrawn."), code="retracted")
    mode = notice.receipt_mode
    reply = (reply or "").strip()
    if mode == Notice.ReceiptMode.READ:
        raise ValidationError(_("This notice needs no answer."), code="no_answer")
    if mode == Notice.ReceiptMode.CONFIRM:
        reply = ""
    elif mode == Notice.ReceiptMode.REPLY:
        if not reply:
            raise ValidationError(_("Write a short reply."), code="reply")
        if has_forbidden_characters(reply):
            raise ValidationError(_("The reply contains a character that is not allowed."), code="reply")
        if len(reply) > MAX_REPLY_CHARS:
            raise ValidationError(
                _("The reply is too long: at most %(max)d characters.") % {"max": MAX_REPLY_CHARS}, code="reply"
            )
    elif mode == Notice.ReceiptMode.CHOICE and reply not in notice.choices:
        raise ValidationError(_("Choose one of the options."), code="choice")
    now = timezone.now()
    delivery.read_at = delivery.read_at or now
    delivery.responded_at = now
    delivery.reply = reply
    delivery.save(update_fields=["read_at", "responded_at", "reply"])
    return delivery


# --- print list and hand delivery ---------------------------------------------------------------------------


@transaction.atomic
def deliveries_mark_handed(*, actor, notice: Notice, delivery_ids: list[int], handed: bool = True) -> int:
    """The head teacher ticks off families reached by hand (print list or home visit)."""
    qs = Delivery.objects.filter(notice=notice, pk__in=delivery_ids)
    if handed:
        count = qs.filter(handed_at__isnull=True).update(handed_at=timezone.now(), handed_by=actor)
    else:
        count = qs.filter(handed_at__isnull=False).update(handed_at=None, handed_by=None)
    if count:
        audit_record(
            actor=actor,
            action="notice.handed" if handed else "notice.handed_undo",
            target=notice,
            changes={"deliveries": [None, sorted(int(i) for i in delivery_ids)]},
        )
    return count
