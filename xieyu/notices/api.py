"""The notices API (mounted at /api/v1/notices): the guardian's inbox, read, confirm, reply; the sender's figures.

Every read goes through access.py (404 alike for missing and forbidden); every write through services.py.
A refused answer (withdrawn notice, wrong option, reply too long) is 422 with the Chinese message.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import Query, Router, Schema

from xieyu.core.api.errors import error_response
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access, receipts, services

router = Router()


class InboxItem(Schema):
    id: int
    title: str
    sender_unit: str
    send_at: datetime.datetime
    receipt_mode: str
    choices: list[str]
    read_at: datetime.datetime | None
    responded_at: datetime.datetime | None
    reply: str
    reminded_at: datetime.datetime | None
    retracted: bool
    retract_note: str


class InboxPage(PageMeta):
    unread: int
    items: list[InboxItem]


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    url: str


class NoticeOut(InboxItem):
    body: str
    attachments: list[AttachmentOut]


class ReplyIn(Schema):
    text: str


class FamilyFigures(Schema):
    """Families of the audience (a student's guardians), each in one state: unread, read (a guardian read it or it
    was handed over), confirmed (a guardian answered), unreached (no guardian has an account or a phone)."""

    total: int
    unread: int
    read: int
    confirmed: int
    unreached: int


class ChannelFigures(Schema):
    """Recipients (guardians and staff), by channel."""

    sent: int
    sms: int
    handed: int
    no_phone: int


class ReceiptsOut(Schema):
    id: int
    title: str
    status: str
    receipt_mode: str
    audience: str
    send_at: datetime.datetime
    families: FamilyFigures
    recipients: ChannelFigures


def _item(delivery) -> dict:
    n = delivery.notice
    return {
        "id": n.pk,
        "title": n.title,
        "sender_unit": n.sender_unit,
        "send_at": n.send_at,
        "receipt_mode": n.receipt_mode,
        "choices": n.choices,
        "read_at": delivery.read_at,
        "responded_at": delivery.responded_at,
        "reply": delivery.reply,
        "reminded_at": delivery.reminded_at,
        "retracted": n.is_retracted,
        "retract_note": n.retract_note,
    }


def _detail(delivery) -> dict:
    n = delivery.notice
    return {
        **_item(delivery),
        "body": "" if n.is_retracted else n.body,
        "attachments": []
        if n.is_retracted
        else [
            {
                "id": a.pk,
                "name": a.name,
                "kind": a.kind,
                "size": a.size,
                "url": reverse("notices:attachment", args=[a.pk]),
            }
            for a in n.attachments.all()
        ],
    }


@router.get("/inbox", response=InboxPage, summary="My notices, unread first")
def inbox(
    request,
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    deliveries, meta = paginate(access.inbox_for(request.auth), page, page_size)
    return {**meta, "unread": access.unread_count(request.auth), "items": [_item(d) for d in deliveries]}


@router.get("/{id}", response=NoticeOut, summary="One of my notices (does not mark it read)")
def notice_detail(request, id: int):
    return _detail(access.get_delivery_for(request.auth, id))


@router.post("/{id}/read", response=InboxItem, summary="Mark one of my notices read")
def read(request, id: int):
    delivery = access.get_delivery_for(request.auth, id)
    services.delivery_read(actor=request.auth, delivery=delivery)
    return _item(delivery)


def _respond(request, id: int, text: str):
    delivery = access.get_delivery_for(request.auth, id)
    try:
        services.delivery_respond(actor=request.auth, delivery=delivery, reply=text)
    except ValidationError as exc:
        return error_response(422, " ".join(exc.messages))
    return _item(delivery)


@router.post("/{id}/confirm", response=InboxItem, summary="Confirm receipt (notices that ask for it)")
def confirm(request, id: int):
    return _respond(request, id, "")


@router.post("/{id}/reply", response=InboxItem, summary="Reply in a few words, or give one of the options")
def reply(request, id: int, payload: ReplyIn):
    return _respond(request, id, payload.text)


@router.get("/{id}/receipts", response=ReceiptsOut, summary="A notice's figures (its sender and those above)")
def receipt_figures(request, id: int):
    notice = access.get_notice_for(request.auth, id)
    counts = receipts.counts(notice)
    return {
        "id": notice.pk,
        "title": notice.title,
        "status": notice.status,
        "receipt_mode": notice.receipt_mode,
        "audience": notice.audience_label,
        "send_at": notice.send_at,
        "families": {"total": counts.families, **{state: getattr(counts, state) for state in receipts.FAMILY_STATES}},
        "recipients": receipts.channel_counts(notice),
    }
