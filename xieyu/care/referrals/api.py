"""The referrals API (mounted at /api/v1/care/referrals), with the rules of the pages: for partner staff, the
referrals to their agency, the packet, accept, reject, done; for the case team, the referrals they sent; for
guardians, their consents and revoking one. Reads through access.py (404 alike for missing and forbidden), writes
through services.py (a refused state change is 422 with the reason)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from xieyu.care.cases.access import get_case_in_full
from xieyu.core.api.errors import error_response
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access, services
from .models import Consent, Referral

router = Router()


class ReferralOut(Schema):
    id: int
    state: str
    state_label: str
    agency_id: int
    agency: str
    service_kind: str
    service: str
    school: str
    sent_at: datetime.datetime
    accept_due: datetime.datetime | None
    decided_at: datetime.datetime | None
    reject_reason: str
    done_at: datetime.datetime | None


class ReferralPage(PageMeta):
    items: list[ReferralOut]


class SectionOut(Schema):
    section: str
    label: str
    body: str


class PacketOut(ReferralOut):
    child_name: str
    age: int
    grade: str
    request: str
    consent_live: bool
    hidden_reason: str
    sections: list[SectionOut]
    outcome: str


class ReasonIn(Schema):
    reason: str


class OutcomeIn(Schema):
    outcome: str


class ConsentOut(Schema):
    id: int
    student_id: int
    child_name: str
    guardian: str
    purpose: str
    recipient: str
    sections: list[str]
    sections_label: str
    method: str
    requested_at: datetime.datetime
    given_at: datetime.datetime | None
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None
    declined_at: datetime.datetime | None


class ConsentRequestIn(Schema):
    guardian_id: int
    purpose: str
    agency_id: int
    sections: list[str]
    expires_on: datetime.date | None = None


class ReferralIn(Schema):
    consent_id: int
    service_kind: str
    request: str


def refused(exc: ValidationError):
    return error_response(422, " ".join(exc.messages))


def referral_out(r: Referral) -> dict:
    deadline = getattr(r, "deadline", None)
    return {
        "id": r.pk, "state": r.state, "state_label": r.get_state_display(), "agency_id": r.agency_id,
        "agency": r.agency.name, "service_kind": r.service_kind, "service": r.get_service_kind_display(),
        "school": r.case.school.name, "sent_at": r.sent_at,
        "accept_due": deadline.first_response_due if deadline is not None else None,
        "decided_at": r.decided_at, "reject_reason": r.reject_reason, "done_at": r.done_at,
    }  # fmt: skip


def _packet(request, referral: Referral) -> dict:
    access.attach_deadlines([referral])
    packet = access.packet_of(referral)
    access.packet_read_record(actor=request.auth, packet=packet, request=request)
    return {
        **referral_out(referral),
        "child_name": packet.child_name, "age": packet.age, "grade": packet.grade, "request": packet.request,
        "consent_live": packet.consent_live, "hidden_reason": packet.hidden_reason,
        "sections": [{"section": s.section, "label": s.get_section_display(), "body": s.body} for s in packet.sections],
        "outcome": referral.outcome,
    }  # fmt: skip


def _page(qs, page: int, page_size: int) -> dict:
    items, meta = paginate(qs, page, page_size)
    return {**meta, "items": [referral_out(r) for r in access.attach_deadlines(list(items))]}


@router.get("", response=ReferralPage, summary="Referrals to my agency, newest first")
def received(
    request,
    state: str = "",
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    qs = access.referrals_received_by(request.auth).order_by("-sent_at", "-pk")
    if state in Referral.State.values:
        qs = qs.filter(state=state)
    return _page(qs, page, page_size)


@router.get("/sent", response=ReferralPage, summary="Referrals of my cases, in every state")
def sent(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    return _page(access.referrals_sent_by(request.auth).order_by("-sent_at", "-pk"), page, page_size)


# --- the case team: ask a guardian's consent, refer under it, revoke ------------------------------------------


def _one(items, pk: int, what: str):
    found = next((x for x in items if x.pk == pk), None)
    if found is None:
        raise Http404(what)
    return found


@router.post(
    "/cases/{int:id}/consents",
    response={201: ConsentOut},
    summary="Ask a guardian of the case's child for consent in the app",
)
def consent_ask(request, id: int, payload: ConsentRequestIn):
    case = get_case_in_full(request.auth, id)
    guardians = [g.guardian for g in access.guardians_of_case(case)]  # the child's confirmed guardians
    guardian = _one(guardians, payload.guardian_id, "guardian not found")
    agency = _one(access.agencies_of_county(case.county_id), payload.agency_id, "agency not found")
    expires_at = None
    if payload.expires_on is not None:
        expires_at = timezone.make_aware(datetime.datetime.combine(payload.expires_on, datetime.time(23, 59)))
    try:
        consent = services.consent_request(
            actor=request.auth, case=case, guardian=guardian, purpose=payload.purpose, agency=agency,
            sections=payload.sections, expires_at=expires_at,
        )  # fmt: skip
    except ValidationError as exc:
        return refused(exc)
    return Status(201, consent_out(access.get_consent_for_team(request.auth, consent.pk)))


@router.post("/cases/{int:id}/referrals", response={201: ReferralOut}, summary="Refer the case under a live consent")
def referral_send(request, id: int, payload: ReferralIn):
    case = get_case_in_full(request.auth, id)
    consent = next((c for c in access.consents_of_case(request.auth, case) if c.pk == payload.consent_id), None)
    try:
        referral = services.referral_send(
            actor=request.auth, case=case, consent=consent, service_kind=payload.service_kind, request=payload.request
        )
    except ValidationError as exc:
        return refused(exc)
    return Status(201, referral_out(access.get_referral_for_sender(request.auth, referral.pk)))


@router.post("/{int:id}/revoke", response=ReferralOut, summary="Revoke a referral of my case, saying why")
def referral_revoke(request, id: int, payload: ReasonIn):
    referral = access.get_referral_for_sender(request.auth, id)
    try:
        services.referral_revoke(actor=request.auth, referral=referral, reason=payload.reason)
    except ValidationError as exc:
        return refused(exc)
    return referral_out(access.get_referral_for_sender(request.auth, id))


# --- the partner ------------------------------------------------------------------------------------------------


@router.get("/{int:id}", response=PacketOut, summary="The packet of a referral to my agency")
def detail(request, id: int):
    return _packet(request, access.get_referral_for_partner(request.auth, id))


@router.post("/{int:id}/accept", response=PacketOut, summary="Accept a referral (one acceptance only)")
def accept(request, id: int):
    referral = access.get_referral_for_partner(request.auth, id)
    try:
        referral = services.referral_accept(actor=request.auth, referral=referral)
    except ValidationError as exc:
        return refused(exc)
    return _packet(request, access.get_referral_for_partner(request.auth, referral.pk))


@router.post("/{int:id}/reject", response=PacketOut, summary="Reject a referral, saying why")
def reject(request, id: int, payload: ReasonIn):
    referral = access.get_referral_for_partner(request.auth, id)
    try:
        services.referral_reject(actor=request.auth, referral=referral, reason=payload.reason)
    except ValidationError as exc:
        return refused(exc)
    return _packet(request, access.get_referral_for_partner(request.auth, id))


@router.post("/{int:id}/done", response=PacketOut, summary="Record the outcome of an accepted referral")
def done(request, id: int, payload: OutcomeIn):
    referral = access.get_referral_for_partner(request.auth, id)
    try:
        services.referral_done(actor=request.auth, referral=referral, outcome=payload.outcome)
    except ValidationError as exc:
        return refused(exc)
    return _packet(request, access.get_referral_for_partner(request.auth, id))


def consent_out(c: Consent) -> dict:
    return {
        "id": c.pk, "student_id": c.student_id, "child_name": c.student.name, "guardian": c.guardian.name,
        "purpose": c.purpose, "recipient": services.recipient_of(c), "sections": list(c.sections),
        "sections_label": services.sections_in_words(c.sections), "method": c.method, "requested_at": c.requested_at,
        "given_at": c.given_at, "expires_at": c.expires_at, "revoked_at": c.revoked_at, "declined_at": c.declined_at,
    }  # fmt: skip


@router.get("/consents", response=list[ConsentOut], summary="Every consent about my children")
def consents(request):
    return [consent_out(c) for c in access.consents_of_guardian(request.auth).order_by("-requested_at", "-pk")[:100]]


@router.post("/consents/{int:id}/revoke", response=ConsentOut, summary="Revoke a consent (nothing more is shared)")
def consent_revoke(request, id: int):
    consent = access.get_consent_for_guardian(request.auth, id)
    try:
        consent = services.consent_revoke(actor=request.auth, consent=consent)
    except ValidationError as exc:
        return refused(exc)
    return consent_out(access.get_consent_for_guardian(request.auth, consent.pk))
