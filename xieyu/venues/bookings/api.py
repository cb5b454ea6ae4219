"""The bookings API (mounted at /api/v1/venues/bookings): a school admin or head teacher asks for a class visit; the
venue's contact (or the county admin) confirms or declines it. A booking, venue or class the caller may not act on
answers 404; a refusal by the rules answers 400 with the message."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status

from xieyu.core.api.errors import also_answers, error_response

from ..catalogue import access as catalogue_access
from . import access, services
from .access import ANSWER
from .models import Booking

router = Router()


class BookingIn(Schema):
    venue_id: int
    class_id: int
    date: datetime.date
    part: str
    group_size: int
    note: str = ""


class DeclineIn(Schema):
    reason: str


class BookingOut(Schema):
    id: int
    venue_id: int
    venue: str
    school: str
    class_id: int
    date: datetime.date
    part: str
    group_size: int
    status: str
    status_label: str
    reason: str
    event_id: int | None


def _out(b: Booking) -> dict:
    return {"id": b.pk, "venue_id": b.venue_id, "venue": b.venue.name, "school": b.school.name,
            "class_id": b.school_class_id, "date": b.date, "part": b.part, "group_size": b.group_size,
            "status": b.status, "status_label": str(b.get_status_display()), "reason": b.reason,
            "event_id": b.event_id}  # fmt: skip


def _refused(exc: ValidationError):
    return error_response(400, " ".join(exc.messages))


@router.post("", response={201: BookingOut}, summary="Ask for a class visit", openapi_extra=also_answers(400, 404))
def booking_create(request, payload: BookingIn):
    venue = catalogue_access.get_venue_for(request.auth, payload.venue_id)
    school_class = access.get_class_to_book(request.auth, payload.class_id)
    try:
        booking = services.booking_create(actor=request.auth, venue=venue, school_class=school_class,
                                          date=payload.date, part=payload.part, group_size=payload.group_size,
                                          note=payload.note)  # fmt: skip
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, _out(booking))


@router.post("/{int:id}/confirm", response=BookingOut, summary="Confirm a class visit (the venue's contact)",
             openapi_extra=also_answers(400, 404))  # fmt: skip
def booking_confirm(request, id: int):
    booking = access.get_booking_for(request.auth, id, action=ANSWER)
    try:
        booking = services.booking_confirm(actor=request.auth, booking=booking)
    except ValidationError as exc:
        return _refused(exc)
    return _out(booking)


@router.post("/{int:id}/decline", response=BookingOut, summary="Decline a class visit, with the reason",
             openapi_extra=also_answers(400, 404))  # fmt: skip
def booking_decline(request, id: int, payload: DeclineIn):
    booking = access.get_booking_for(request.auth, id, action=ANSWER)
    try:
        booking = services.booking_decline(actor=request.auth, booking=booking, reason=payload.reason)
    except ValidationError as exc:
        return _refused(exc)
    return _out(booking)
