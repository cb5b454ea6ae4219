"""The member's side of dispatch (mounted at /api/v1/teams/needs): my invitations and assignments, accepting and
declining one. Reads through access.py (another person's assignment answers 404 like a missing one), writes through
services.py (a refusal answers 400 with the Chinese message, nothing changed)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema

from xieyu.core.api.errors import error_response
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from ..models import Assignment
from . import access, services

router = Router()


class AssignmentOut(Schema):
    id: int
    need_id: int
    topic: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    unit: str
    event_id: int | None  # the need's event, once the member is its staff (accepted)
    reason: str
    invited_at: datetime.datetime
    answered_at: datetime.datetime | None


class AssignmentPage(PageMeta):
    items: list[AssignmentOut]


class DeclineIn(Schema):
    reason: str = ""


def _out(a: Assignment) -> dict:
    need = a.need
    unit = need.school.name if need.school else (need.community.name if need.community else "")
    return {
        "id": a.pk, "need_id": need.pk, "topic": need.topic, "kind": need.kind,
        "kind_label": str(need.get_kind_display()), "status": a.status, "status_label": str(a.get_status_display()),
        "starts_at": a.starts_at, "ends_at": a.ends_at, "place": need.place, "unit": unit,
        "event_id": need.event_id if a.status == Assignment.Status.ACCEPTED else None, "reason": a.reason,
        "invited_at": a.invited_at, "answered_at": a.answered_at,
    }  # fmt: skip


def _refused(exc: ValidationError):
    return error_response(400, " ".join(exc.messages))


@router.get("/invitations", response=AssignmentPage, summary="My invitations and assignments, soonest first")
def invitations(
    request,
    show: str = Query("open", description="open: invitations awaiting my answer and coming assignments; all"),
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    qs = access.assignments_of(request.auth)
    if show != "all":
        qs = access.invitations_awaiting(request.auth) | access.upcoming_assignments(request.auth)
    items, meta = paginate(qs.order_by("starts_at", "pk"), page, page_size)
    return {**meta, "items": [_out(a) for a in items]}


@router.post("/assignments/{int:id}/accept", response=AssignmentOut, summary="Accept an invitation of mine")
def accept(request, id: int):
    a = access.get_assignment_for(request.auth, id)
    try:
        services.assignment_accept(actor=request.auth, assignment=a)
    except ValidationError as exc:
        return _refused(exc)
    return _out(access.get_assignment_for(request.auth, id))


@router.post("/assignments/{int:id}/decline", response=AssignmentOut, summary="Decline an invitation of mine")
def decline(request, id: int, payload: DeclineIn):
    a = access.get_assignment_for(request.auth, id)
    try:
        services.assignment_decline(actor=request.auth, assignment=a, reason=payload.reason)
    except ValidationError as exc:
        return _refused(exc)
    return _out(access.get_assignment_for(request.auth, id))
