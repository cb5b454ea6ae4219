"""The SMS channel: the fallback for unread guardians, reminders, and the note when a notice is withdrawn.

Every SMS goes through the pluggable sender (xieyu.accounts.sms.get_sender). Rows are claimed with a
conditional update before sending, so two sweeps running at once never text a guardian twice.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.sms import get_sender

from .models import DEFAULT_SMS_AFTER_HOURS, Delivery, Notice, NoticePolicy

logger = logging.getLogger("xieyu.notices")
BATCH = 500
BODY_CHARS = 200


def _never_logged_in(delivery: Delivery) -> bool:
    guardian = delivery.guardian
    user = guardian.user if guardian is not None and guardian.user_id else None
    return user is None or user.last_login is None


def item_url(notice: Notice) -> str:
    """The short address an SMS carries: the notice (or the message) in the recipient's inbox."""
    return settings.SITE_URL + reverse("notices:detail", args=[notice.pk])


def notice_sms_text(notice: Notice, delivery: Delivery) -> str:
    """Guardians who have never logged in get the whole text; the others a nudge to open the app. Every text ends
    with the short link to the item."""
    return _sms_text(notice, delivery) + " " + item_url(notice)


def _sms_text(notice: Notice, delivery: Delivery) -> str:
    if notice.is_message:
        body = notice.body if len(notice.body) <= BODY_CHARS else notice.body[:BODY_CHARS] + "…"
        return _("[XieYu] %(title)s: %(body)s") % {"title": notice.title, "body": body}
    if _never_logged_in(delivery):
        body = notice.body if len(notice.body) <= BODY_CHARS else notice.body[:BODY_CHARS] + "…"
        text = _("[XieYu] Notice from %(unit)s: %(title)s. %(body)s") % {
            "unit": notice.sender_unit,
            "title": notice.title,
            "body": body,
        }
        if notice.needs_response:
            text += _(" (Please tell the head teacher you received it.)")
        return text
    return _("[XieYu] You have an unread notice “%(title)s” from %(unit)s. Please log in to XieYu to read it.") % {
        "title": notice.title,
        "unit": notice.sender_unit,
    }


def retract_sms_text(notice: Notice) -> str:
    return _("[XieYu] The notice “%(title)s” from %(unit)s has been withdrawn: %(note)s") % {
        "title": notice.title,
        "unit": notice.sender_unit,
        "note": notice.retract_note,
    }


def _send(rows: list[Delivery], text_for: Callable[[Delivery], str], *, record: bool) -> int:
    """Send one SMS per row; with record, write sms_sent_at / sms_error on the row."""
    sender = get_sender()
    now = timezone.now()
    sent_ids, failed = [], []
    for d in rows:
        try:
            # Broadcast deliveries reach here for guardians only (_unread_with_phone); a message may be to staff.
            phone = d.guardian.phone if d.guardian is not None else d.user.phone if d.user is not None else None
            if not phone:
                raise ValueError("a delivery without a number to text")
            sender.send(phone, text_for(d))
            sent_ids.append(d.pk)
        except Exception as exc:  # a gateway error on one number must not stop the others
            logger.warning("SMS for delivery %s failed: %s", d.pk, exc)
            failed.append((d.pk, str(exc)[:200] or exc.__class__.__name__))
    if record:
        with transaction.atomic():
            _record(sent_ids, failed, now)
    return len(sent_ids)


def _record(sent_ids: list[int], failed: list[tuple[int, str]], now) -> None:
    if sent_ids:
        Delivery.objects.filter(pk__in=sent_ids, sms_sent_at__isnull=True).update(sms_sent_at=now, sms_error="")
    for pk, error in failed:
        Delivery.objects.filter(pk=pk).update(sms_error=error)


def _unread_with_phone(notice: Notice):
    """Unread deliveries with a number to text: a guardian's; for a message, a staff member's too."""
    unread = Delivery.objects.filter(notice=notice, read_at__isnull=True, handed_at__isnull=True)
    guardians = unread.filter(guardian__isnull=False, guardian__phone__isnull=False).exclude(guardian__phone="")
    if not notice.is_message:
        return guardians
    return guardians | unread.filter(guardian__isnull=True, user__isnull=False).exclude(user__phone="")


def sms_unread(notice: Notice) -> int:
    """Text every unread guardian with a phone who has had no SMS for this notice yet (claimed row by row)."""
    token = secrets.token_hex(16)
    sent = 0
    while True:
        ids = list(_unread_with_phone(notice).filter(sms_claim="").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return sent
        with transaction.atomic():
            Delivery.objects.filter(pk__in=ids, sms_claim="").update(sms_claim=token)
        rows = list(
            Delivery.objects.filter(notice=notice, sms_claim=token, pk__in=ids).select_related("guardian__user", "user")
        )
        sent += _send(rows, lambda d: notice_sms_text(notice, d), record=True)


def sms_fallback_sweep(*, now: datetime.datetime | None = None) -> int:
    """For each sent notice past its SMS hours (per notice, else the county's default): text the unread."""
    now = now or timezone.now()
    notices = list(Notice.objects.filter(status=Notice.Status.SENT, sms_done_at__isnull=True, send_at__lte=now))
    if not notices:
        return 0
    hours = dict(
        NoticePolicy.objects.filter(county__in={n.county_id for n in notices}).values_list(
            "county_id", "sms_after_hours"
        )
    )
    sent = 0
    for notice in notices:
        after = notice.sms_after_hours or hours.get(notice.county_id, DEFAULT_SMS_AFTER_HOURS)
        if notice.send_at + datetime.timedelta(hours=after) > now:
            continue
        sent += sms_unread(notice)
        with transaction.atomic():
            Notice.objects.filter(pk=notice.pk, sms_done_at__isnull=True).update(sms_done_at=now)
    return sent


def remind_unread(notice: Notice) -> int:
    """In-app: flag the unread (they rise to the top again). SMS: text the unread who have a phone."""
    if notice.is_retracted:
        return 0
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(notice=notice, read_at__isnull=True).update(reminded_at=now)
    sent = sms_unread(notice)  # those never texted: claimed, recorded as the SMS channel
    again = (
        _unread_with_phone(notice)
        .filter(~Q(sms_claim=""), sms_sent_at__isnull=False)
        .exclude(sms_sent_at__gte=now)
        .select_related("guardian__user", "user")
    )
    for chunk in _chunks(again):
        sent += _send(chunk, lambda d: notice_sms_text(notice, d), record=False)
    return sent


def retract_sms(notice: Notice) -> int:
    """Those who had the notice by SMS get the withdrawal note by SMS; the others see it in the app."""
    had = Delivery.objects.filter(notice=notice, sms_sent_at__isnull=False, sms_error="").select_related("guardian")
    text = retract_sms_text(notice)
    return sum(_send(chunk, lambda d: text, record=False) for chunk in _chunks(had))


def _chunks(queryset, size: int = BATCH):
    chunk: list[Delivery] = []
    for row in queryset.order_by("pk").iterator(chunk_size=size):
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
