"""The events API for guardians (mounted at /api/v1/events): events, register, cancel, check in, feedback.

Reads through access.py (404 alike for missing and forbidden), writes through services.py; a refused write is 422
with the Chinese message.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from xieyu.core.api.errors import error_response
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access, services
from .models import Registration

router = Router()


class EventOut(Schema):
    id: int
    kind: str
    title: str
    place: str
    online_url: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    my_status: str | None = None


class EventPage(PageMeta):
    items: list[EventOut]


class RegisterIn(Schema):
    student_id: int


class RegistrationOut(Schema):
    id: int
    event_id: int
    student_id: int
    status: str


class CheckinIn(Schema):
    slot: int
    token: str
    student_id: int | None = None


class AttendanceOut(Schema):
    event_id: int
    student_id: int
    guardian: str
    checked_in_at: datetime.datetime


class FeedbackIn(Schema):
    rating: int
    comment: str = ""


class FeedbackOut(Schema):
    event_id: int
    rating: int
    comment: str


def _event(e) -> dict:
    return {
        k: getattr(e, k) for k in ("id", "kind", "title", "place", "online_url", "starts_at", "ends_at", "capacity")
    } | {"my_status": getattr(e, "my_status", None)}


def _refused(exc) -> object:
    return error_response(422, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))


@router.get("/", response=EventPage, summary="Upcoming events offered to my family")
def events(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    items, meta = paginate(access.upcoming_for_guardian(request.auth), page, page_size)
    return {**meta, "items": [_event(e) for e in items]}


@router.post("/{id}/register", response={200: RegistrationOut}, summary="Register one of my children's families")
def register(request, id: int, payload: RegisterIn):
    event = access.get_event_for(request.auth, id)
    student = {s.pk: s for s in access.eligible_children(request.auth, event)}.get(payload.student_id)
    if student is None:
        return error_response(422, "该活动不面向这个孩子的家庭。")
    try:
        reg = services.registration_create(actor=request.auth, event=event, student=student)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return {"id": reg.pk, "event_id": event.pk, "student_id": student.pk, "status": reg.status}


@router.post("/{id}/cancel", response={200: RegistrationOut}, summary="Cancel my family's registration")
def cancel(request, id: int, payload: RegisterIn):
    event = access.get_event_for(request.auth, id)
    reg = {r.student_id: r for r in access.registrations_of_user(request.auth, event)}.get(payload.student_id)
    if reg is None:
        return error_response(404, "没有找到该报名。")
    try:
        services.registration_cancel(actor=request.auth, registration=reg)
    except ValidationError as exc:
        return _refused(exc)
    return {"id": reg.pk, "event_id": event.pk, "student_id": reg.student_id, "status": Registration.Status.CANCELLED}


@router.post("/{id}/checkin", response={200: AttendanceOut}, summary="Check in with the scanned code's slot and token")
def checkin(request, id: int, payload: CheckinIn):
    event = access.get_event_for(request.auth, id)
    student = None
    if payload.student_id is not None:  # a child of another family, or one not registered, is refused outright
        student = {r.student_id: r.student for r in access.registrations_of_user(request.auth, event)}.get(
            payload.student_id
        )
        if student is None:
            return error_response(422, _("That child's family is not registered for this event."))
    try:
        att = services.checkin_by_scan(actor=request.auth, event=event, slot=payload.slot, token=payload.token,
                                       student=student)  # fmt: skip
    except ValidationError as exc:
        return _refused(exc)
    return {"event_id": event.pk, "student_id": att.student_id, "guardian": att.who_came,
            "checked_in_at": att.checked_in_at}  # fmt: skip


@router.post("/{id}/feedback", response={200: FeedbackOut}, summary="Rate an event my family attended (1–5)")
def feedback(request, id: int, payload: FeedbackIn):
    event = access.get_event_for(request.auth, id)
    try:
        fb = services.feedback_submit(actor=request.auth, event=event, rating=payload.rating, comment=payload.comment)
    except ValidationError as exc:
        return _refused(exc)
    return {"event_id": event.pk, "rating": fb.rating, "comment": fb.comment}
