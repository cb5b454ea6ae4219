"""The clinics API (mounted at /api/v1/questions/clinics): for guardians, upcoming clinics with free slots, the slots
of one clinic, book, my bookings, cancel; for the expert (and those above), read and record the outcome and open a
follow-up question. Reads and authorisation through access.py (404 alike for missing and forbidden; 403 with the
reason for a booking the caller sees but may not act on), writes through services.py (422 with the reason)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status

from xieyu.audit.services import access_record
from xieyu.questions.asking.api import QuestionOut, question_out, refused

from . import access, services

router = Router()


class ClinicSlotOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    free: int


class ClinicOut(Schema):
    id: int
    title: str
    place: str
    online_url: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    slots: list[ClinicSlotOut]


class BookingIn(Schema):
    student_id: int
    topic: str


class BookingOut(Schema):
    id: int
    clinic_id: int
    clinic_title: str
    slot_id: int
    starts_at: datetime.datetime
    student_id: int
    topic: str
    status: str


class OutcomeIn(Schema):
    outcome: str


class OutcomeOut(BookingOut):
    outcome: str


class FollowUpIn(Schema):
    title: str
    body: str


def _slot(s) -> dict:
    return {"id": s.pk, "starts_at": s.starts_at, "ends_at": s.ends_at, "capacity": s.capacity,
            "free": max(s.capacity - s.booked, 0)}  # fmt: skip


def _booking(b) -> dict:
    return {"id": b.pk, "clinic_id": b.slot.event_id, "clinic_title": b.slot.event.title, "slot_id": b.slot_id,
            "starts_at": b.slot.starts_at, "student_id": b.student_id, "topic": b.topic, "status": b.status}  # fmt: skip


@router.get("", response=list[ClinicOut], summary="Upcoming clinics open to my families, with free slots")
def clinics(request):
    found = list(access.clinics_open_to(request.auth)[:20])
    by_clinic: dict[int, list] = {c.pk: [] for c in found}
    for s in access.slots_of_clinics(found):
        by_clinic[s.event_id].append(_slot(s))
    return [
        {
            "id": c.pk,
            "title": c.title,
            "place": c.place,
            "online_url": c.online_url,
            "starts_at": c.starts_at,
            "ends_at": c.ends_at,
            "slots": by_clinic[c.pk],
        }  # fmt: skip
        for c in found
    ]


@router.get("/{int:id}/slots", response=list[ClinicSlotOut], summary="The slots of one clinic")
def clinic_slots(request, id: int):
    return [_slot(s) for s in access.slots_of(access.get_clinic_for(request.auth, id))]


@router.post("/slots/{int:id}/book", response={201: BookingOut}, summary="Book a slot for one of my children")
def clinic_book(request, id: int, payload: BookingIn):
    slot = access.get_slot_for(request.auth, id)
    try:
        student = access.get_clinic_student_for(request.auth, slot.event, payload.student_id)
        booking = services.clinic_book(actor=request.auth, slot=slot, student=student, topic=payload.topic)
    except (ValidationError, PermissionDenied) as exc:
        return refused(exc)
    return Status(201, _booking(access.get_own_booking(request.auth, booking.pk)))


@router.get("/bookings", response=list[BookingOut], summary="My families' clinic bookings")
def clinic_bookings(request):
    return [_booking(b) for b in access.bookings_of(request.auth)[:100]]


@router.post("/bookings/{int:id}/cancel", response=BookingOut, summary="Cancel a booking (frees the slot)")
def clinic_cancel(request, id: int):
    booking = access.get_own_booking(request.auth, id)
    try:
        services.clinic_cancel(actor=request.auth, booking=booking)
    except ValidationError as exc:
        return refused(exc)
    return _booking(booking)


@router.get("/bookings/{int:id}/outcome", response=OutcomeOut, summary="The expert's private outcome")
def clinic_outcome(request, id: int):
    booking = access.get_clinic_booking_for_expert(request.auth, id)
    access_record(actor=request.auth, target=booking.student, purpose="clinic.outcome.view", request=request)
    return {**_booking(booking), "outcome": booking.outcome}


@router.post("/bookings/{int:id}/outcome", response=OutcomeOut, summary="Record the appointment's outcome")
def clinic_outcome_record(request, id: int, payload: OutcomeIn):
    booking = access.get_clinic_booking_for_expert(request.auth, id)
    try:
        access.check_may_record_outcome(request.auth, booking)
        services.clinic_record_outcome(actor=request.auth, booking=booking, outcome=payload.outcome)
    except (ValidationError, PermissionDenied) as exc:
        return refused(exc)
    return {**_booking(booking), "outcome": booking.outcome}


@router.post("/bookings/{int:id}/follow-up", response={201: QuestionOut}, summary="Open a follow-up question")
def clinic_follow_up(request, id: int, payload: FollowUpIn):
    booking = access.get_clinic_booking_for_expert(request.auth, id)
    try:
        access.check_may_open_follow_up(request.auth, booking)
        q = services.clinic_follow_up_question(actor=request.auth, booking=booking, title=payload.title,
                                               body=payload.body)  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        return refused(exc)
    return Status(201, question_out(q))
