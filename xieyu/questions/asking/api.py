"""The questions API for guardians (mounted at /api/v1/questions): ask, list mine, follow up, rate. Reads and
authorisation through access.py (404 alike for missing and forbidden), writes through services.py; a refused write
is 422 (or 403) with the Chinese message."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Query, Router, Schema, Status

from xieyu.core.api.errors import error_response
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access, services

router = Router()


class QuestionIn(Schema):
    student_id: int
    level: str
    category: str
    title: str
    body: str
    publishable: bool = False


class QuestionOut(Schema):
    id: int
    title: str
    body: str
    category: str
    level: str
    status: str
    urgent: bool
    hotline: str | None
    created_at: datetime.datetime
    answered_at: datetime.datetime | None
    rating: int | None


class MessageOut(Schema):
    kind: str
    body: str
    created_at: datetime.datetime


class QuestionDetail(QuestionOut):
    messages: list[MessageOut]


class QuestionPage(PageMeta):
    items: list[QuestionOut]


class TextIn(Schema):
    body: str


class RateIn(Schema):
    rating: int
    comment: str = ""


def question_out(q) -> dict:
    return {
        "id": q.pk, "title": q.title, "body": q.body, "category": q.category, "level": q.level,
        "status": q.status, "urgent": q.is_urgent, "hotline": services.HOTLINE if q.is_urgent else None,
        "created_at": q.created_at, "answered_at": q.answered_at, "rating": q.rating,
    }  # fmt: skip


def _detail(user, q) -> dict:
    return {**question_out(q), "messages": [m for m in access.thread_of(user, q) if m.kind != "note"]}


def refused(exc) -> object:
    """A service's refusal (ValidationError: 422) or the edge's (PermissionDenied: 403), with the message."""
    if isinstance(exc, PermissionDenied):
        return error_response(403, str(exc))
    return error_response(422, " ".join(exc.messages))


@router.get("/mine", response=QuestionPage, summary="My questions, newest first")
def mine(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    items, meta = paginate(access.questions_of(request.auth), page, page_size)
    return {**meta, "items": [question_out(q) for q in items]}


@router.post("/", response={201: QuestionDetail}, summary="Ask a question about one of my children")
def ask(request, payload: QuestionIn):
    student = access.children_for_asking(request.auth).filter(pk=payload.student_id).first()
    if student is None:
        raise Http404("student not found")
    try:
        q = services.question_ask(
            actor=request.auth, student=student, level=payload.level, category=payload.category,
            title=payload.title, body=payload.body, publishable=payload.publishable,
        )  # fmt: skip
    except ValidationError as exc:
        return refused(exc)
    return Status(201, _detail(request.auth, q))


@router.get("/{int:id}", response=QuestionDetail, summary="One of my questions with its answers")
def detail(request, id: int):
    return _detail(request.auth, access.get_own_question(request.auth, id))


@router.post("/{int:id}/follow-up", response=QuestionDetail, summary="Ask more after an answer")
def follow_up(request, id: int, payload: TextIn):
    q = access.get_own_question(request.auth, id)
    try:
        services.question_follow_up(actor=request.auth, question=q, body=payload.body)
    except ValidationError as exc:
        return refused(exc)
    return _detail(request.auth, access.get_own_question(request.auth, id))


@router.post("/{int:id}/rate", response=QuestionDetail, summary="Rate the answer (1–5) and close the question")
def rate(request, id: int, payload: RateIn):
    q = access.get_own_question(request.auth, id)
    try:
        services.question_rate(actor=request.auth, question=q, rating=payload.rating, comment=payload.comment)
    except ValidationError as exc:
        return refused(exc)
    return _detail(request.auth, access.get_own_question(request.auth, id))
