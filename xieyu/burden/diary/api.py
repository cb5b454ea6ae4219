"""The diary API (mounted at /api/v1/burden/diary): the guardian's open requests, answering one, and opting a
child's family out of the sample or back in. Same rules as the pages: reads through access.py (404 alike for
missing and forbidden), writes through services.py (422 with a message naming the field)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status

from xieyu.questions.asking.api import refused

from . import access, services

router = Router()


class RequestOut(Schema):
    id: int
    student_id: int
    child_name: str
    class_name: str
    day: datetime.date
    expires_at: datetime.datetime


class DiaryIn(Schema):
    homework_minutes: int | None = None
    other_homework_minutes: int | None = None
    bedtime: datetime.time | None = None
    wake_time: datetime.time | None = None
    screen_minutes: int | None = None
    phone_to_school: bool | None = None
    reading_minutes: int | None = None
    outdoor_minutes: int | None = None
    afterschool: bool | None = None
    unknown: list[str] = []  # the questions answered "不清楚"


class DiaryOut(Schema):
    id: int
    day: datetime.date
    sleep_minutes: int | None
    unknown: list[str]


class ChildOut(Schema):
    student_id: int
    name: str
    opted_out: bool


class OptOutIn(Schema):
    opted_out: bool


@router.get("/requests", response=list[RequestOut], summary="My children's diaries waiting to be filled in")
def requests(request):
    return [
        {"id": r.pk, "student_id": r.student_id, "child_name": r.student.name,
         "class_name": f"{r.school_class.grade.name}{r.school_class.name}", "day": r.day, "expires_at": r.expires_at}
        for r in access.requests_open_for(request.auth)[:20]
    ]  # fmt: skip


@router.post("/requests/{int:id}/answer", response={201: DiaryOut}, summary="Answer one diary")
def answer(request, id: int, payload: DiaryIn):
    diary_request = access.get_open_request_for(request.auth, id)
    values = payload.dict(exclude={"unknown"})
    try:
        diary = services.diary_submit(actor=request.auth, request=diary_request, values=values,
                                      unknown=payload.unknown)  # fmt: skip
    except ValidationError as exc:
        return refused(exc)
    return Status(201, {"id": diary.pk, "day": diary.day, "sleep_minutes": diary.sleep_minutes,
                        "unknown": diary.unknown})  # fmt: skip


@router.get("/children", response=list[ChildOut], summary="My children, and whether their family is asked")
def children(request):
    return [{"student_id": c.pk, "name": c.name, "opted_out": getattr(c, "opted_out", False)}
            for c in access.children_sampled_for(request.auth)]  # fmt: skip


@router.post("/children/{int:id}/opt-out", response=ChildOut, summary="Opt a child's family out of the diary, or in")
def opt_out(request, id: int, payload: OptOutIn):
    child = access.get_child_for(request.auth, id)
    services.diary_opt_out(actor=request.auth, student=child, opted_out=payload.opted_out)
    return {"student_id": child.pk, "name": child.name, "opted_out": payload.opted_out}
