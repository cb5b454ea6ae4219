"""The member's service hours (mounted at /api/v1/teams/hours): her records and signed total of a year, check-in and
check-out at an accepted assignment, and disputing a record once. The same rules as the pages: an assignment or a
record that is not the caller's answers 404 like a missing one; a refused write is 422 with the Chinese message."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema

from xieyu.core.api.errors import error_response

from . import access, services
from .access import YEAR_MAX, YEAR_MIN

router = Router()


class RecordOut(Schema):
    id: int
    assignment_id: int | None
    service: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    minutes: int
    status: str
    status_label: str
    source: str
    source_note: str
    recording_unit: str
    signed_by: str | None
    disputed: bool


class MineOut(Schema):
    year: int
    signed_minutes: int
    signed_hours: float
    records: list[RecordOut]


class DisputeIn(Schema):
    reason: str


def _record(r) -> dict:
    return {
        "id": r.pk, "assignment_id": r.assignment_id, "service": r.description, "started_at": r.started_at,
        "ended_at": r.ended_at, "minutes": r.minutes, "status": r.status, "status_label": str(r.get_status_display()),
        "source": r.source, "source_note": r.source_note, "recording_unit": r.recording_unit,
        "signed_by": r.signed_by.name if r.signed_by_id and r.signed_by else None, "disputed": r.disputed_at is not None,
    }  # fmt: skip


def _refused(exc: ValidationError):
    return error_response(422, " ".join(exc.messages))


@router.get("/mine", response=MineOut, summary="My service records of a year and my signed-off total")
def mine(request, year: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX)):
    year = year or access.this_year()
    records = list(access.own_records_of_year(request.auth, year)[:500])
    minutes = access.own_total(request.auth, year)
    return {"year": year, "signed_minutes": minutes, "signed_hours": round(minutes / 60, 2),
            "records": [_record(r) for r in records]}  # fmt: skip


@router.post("/assignments/{id}/check-in", response={200: RecordOut}, summary="Check in at my accepted assignment")
def checkin(request, id: int):
    assignment = access.get_own_assignment_for(request.auth, id)
    try:
        record = services.checkin(actor=request.auth, assignment=assignment)
    except ValidationError as exc:
        return _refused(exc)
    return _record(record)


@router.post("/assignments/{id}/check-out", response={200: RecordOut}, summary="Check out of my assignment")
def checkout(request, id: int):
    assignment = access.get_own_assignment_for(request.auth, id)
    try:
        record = services.checkout(actor=request.auth, assignment=assignment)
    except ValidationError as exc:
        return _refused(exc)
    return _record(record)


@router.post("/records/{id}/dispute", response={200: RecordOut}, summary="Dispute one of my records (once)")
def dispute(request, id: int, payload: DisputeIn):
    record = access.get_own_record_for(request.auth, id)
    try:
        record = services.record_dispute(actor=request.auth, record=record, reason=payload.reason)
    except ValidationError as exc:
        return _refused(exc)
    return _record(record)
