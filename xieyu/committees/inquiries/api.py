"""The guardian's side of inquiries (mounted at /api/v1/committees/inquiries): the inquiries of my units, one with
its answers, co-signing (and taking a signature back before filing), accepting or following up an answer. Reads
through access.py (404 alike for missing and forbidden), writes through services.py (422 with the reason)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Schema

from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate
from xieyu.questions.asking.api import refused

from . import access, services
from .models import Inquiry

router = Router()


class InquiryOut(Schema):
    id: int
    title: str
    subject: str
    subject_label: str
    unit: str
    origin: str
    state: str
    state_label: str
    signatures: int
    threshold: int
    signed: bool
    created_at: datetime.datetime
    filed_at: datetime.datetime | None
    due: datetime.datetime | None  # the clock's current due while the school owes a step
    overdue: bool


class InquiryPage(PageMeta):
    items: list[InquiryOut]


class AnswerOut(Schema):
    version: int
    round: int
    body: str
    signer_name: str
    signer_role: str
    signed_on: datetime.date


class RoundOut(Schema):
    number: int
    kind: str
    text: str
    acknowledged_at: datetime.datetime | None
    answered_at: datetime.datetime | None


class PauseOut(Schema):
    reason: str
    paused_at: datetime.datetime
    resumed_at: datetime.datetime | None


class InquiryDetail(InquiryOut):
    facts: str
    asked: str
    shown_names: list[str]
    inquirer: bool
    can_follow_up: bool
    answers: list[AnswerOut]  # latest version first
    rounds: list[RoundOut]
    pauses: list[PauseOut]


class SignIn(Schema):
    show_name: bool = False


class FollowUpIn(Schema):
    text: str


def _out(request, i: Inquiry, signed: bool | None = None) -> dict:
    clock = getattr(i, "clock", None)
    due = clock.current_due if clock is not None and clock.state == "running" else None
    return {
        "id": i.pk, "title": i.title, "subject": i.subject, "subject_label": str(i.get_subject_display()),
        "unit": i.unit_name(), "origin": i.origin, "state": i.state, "state_label": str(i.get_state_display()),
        "signatures": i.signature_count, "threshold": i.threshold,
        "signed": bool(getattr(i, "signed", False)) if signed is None else signed, "created_at": i.created_at,
        "filed_at": i.filed_at, "due": due, "overdue": bool(clock is not None and clock.is_overdue()),
    }  # fmt: skip


def _detail(request, inquiry: Inquiry) -> dict:
    parts = access.detail_parts(inquiry)
    setattr(inquiry, "clock", parts["clock"])  # noqa: B010 — read by _out
    inquirer = access.is_inquirer(request.auth, inquiry)
    followed = any(r.kind == "follow_up" for r in parts["rounds"])
    return {
        **_out(request, inquiry, signed=access.my_signature(request.auth, inquiry) is not None),
        "facts": inquiry.facts,
        "asked": inquiry.asked,
        "shown_names": parts["shown_names"],
        "inquirer": inquirer,
        "can_follow_up": inquirer and inquiry.state == Inquiry.State.ANSWERED and not followed,
        "answers": [
            {
                "version": a.version,
                "round": a.round.number,
                "body": a.body,
                "signer_name": a.signer_name,
                "signer_role": a.signer_role,
                "signed_on": a.signed_on,
            }
            for a in parts["answers"]
        ],  # fmt: skip
        "rounds": [
            {
                "number": r.number,
                "kind": r.kind,
                "text": r.text,
                "acknowledged_at": r.acknowledged_at,
                "answered_at": r.answered_at,
            }
            for r in parts["rounds"]
        ],  # fmt: skip
        "pauses": [{"reason": p.reason, "paused_at": p.paused_at, "resumed_at": p.resumed_at} for p in parts["pauses"]],
    }


@router.get("", response=InquiryPage, summary="Inquiries of my units (and those my roles reach), newest first")
def inquiries(
    request,
    state: str = "",
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    items, meta = paginate(access.inquiry_list_for(request.auth, state=state), page, page_size)
    access.attach_clocks(items)
    return {**meta, "items": [_out(request, i) for i in items]}


@router.get("/{int:id}", response=InquiryDetail, summary="One inquiry with the school's answers")
def inquiry_detail(request, id: int):
    return _detail(request, access.get_inquiry_for(request.auth, id))


@router.post("/{int:id}/signatures", response={201: InquiryDetail}, summary="Co-sign a draft of my unit")
def sign(request, id: int, payload: SignIn):
    inquiry = access.get_inquiry_for(request.auth, id)
    try:
        services.inquiry_sign(actor=request.auth, inquiry=inquiry, show_name=payload.show_name)
    except ValidationError as exc:
        return refused(exc)
    return 201, _detail(request, access.get_inquiry_for(request.auth, id))


@router.delete("/{int:id}/signatures", response=InquiryDetail, summary="Take my signature back before filing")
def unsign(request, id: int):
    inquiry = access.get_inquiry_for(request.auth, id)
    try:
        services.inquiry_unsign(actor=request.auth, inquiry=inquiry)
    except ValidationError as exc:
        return refused(exc)
    return _detail(request, access.get_inquiry_for(request.auth, id))


def _inquirer_inquiry(request, id: int) -> Inquiry:
    inquiry = access.get_inquiry_for(request.auth, id)
    if not access.is_inquirer(request.auth, inquiry):
        raise Http404("inquiry not found")
    return inquiry


@router.post("/{int:id}/accept", response=InquiryDetail, summary="Accept the school's answer (an inquirer)")
def accept(request, id: int):
    inquiry = _inquirer_inquiry(request, id)
    try:
        services.inquiry_accept(actor=request.auth, inquiry=inquiry)
    except ValidationError as exc:
        return refused(exc)
    return _detail(request, access.get_inquiry_for(request.auth, id))


@router.post("/{int:id}/follow-up", response={201: InquiryDetail}, summary="Follow up the answer once (an inquirer)")
def follow_up(request, id: int, payload: FollowUpIn):
    inquiry = _inquirer_inquiry(request, id)
    try:
        services.inquiry_follow_up(actor=request.auth, inquiry=inquiry, text=payload.text)
    except ValidationError as exc:
        return refused(exc)
    return 201, _detail(request, access.get_inquiry_for(request.auth, id))
