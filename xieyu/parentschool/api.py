"""The parent-school API for guardians (mounted at /api/v1/parent-school): my learning record this semester."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Router, Schema

from . import access
from .semester import semester_of

router = Router()


class RecordItem(Schema):
    event_id: int
    title: str
    starts_at: datetime.datetime
    hours: float
    course: str | None
    guardian: str


class RecordOut(Schema):
    semester: str
    activities: int
    hours: float
    items: list[RecordItem]


@router.get("/record", response=RecordOut, summary="My family's learning record this semester (ended sessions)")
def record(request):
    sem = semester_of()
    rows = list(access.learning_record(request.auth, sem)[:200])
    items: list[dict[str, Any]] = []
    for a in rows:
        session = getattr(a.event, "ps_session", None)
        items.append({"event_id": a.event_id, "title": a.event.title, "starts_at": a.event.starts_at,
                      "hours": a.event.hours, "course": session.course.title if session and session.course else None,
                      "guardian": a.who_came})  # fmt: skip
    return {
        "semester": sem.code,
        "activities": len(items),
        "hours": round(sum(i["hours"] for i in items), 1),
        "items": items,
    }
