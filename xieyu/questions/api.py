"""The questions API for guardians (mounted at /api/v1/questions): ask, list mine, follow up, rate; knowledge-base
search; topics propose and vote. Reads through access.py (404 alike for missing and forbidden), writes through
services.py; a refused write is 422 (or 403) with the Chinese message."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Query, Router, Schema, Status

from xieyu.audit.services import access_record
from xieyu.core.api.errors import error_response
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access, search, services

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


class ArticleOut(Schema):
    id: int
    title: str
    category: str
    question_text: str
    answer_text: str


class TopicIn(Schema):
    school_id: int
    title: str
    description: str = ""
    category: str = "other"


class TopicOut(Schema):
    id: int
    school_id: int
    title: str
    status: str
    votes_count: int

    @staticmethod
    def resolve_status(obj) -> str:
        """Held as soon as the lecture is (access.topic_status_now), before the periodic job persists it."""
        return getattr(obj, "status_now", None) or obj.status


def _q(q) -> dict:
    return {
        "id": q.pk, "title": q.title, "body": q.body, "category": q.category, "level": q.level,
        "status": q.status, "urgent": q.is_urgent, "hotline": services.HOTLINE if q.is_urgent else None,
        "created_at": q.created_at, "answered_at": q.answered_at, "rating": q.rating,
    }  # fmt: skip


def _detail(user, q) -> dict:
    return {**_q(q), "messages": [m for m in access.thread_of(user, q) if m.kind != "note"]}


def _refused(exc) -> object:
    if isinstance(exc, PermissionDenied):
        return error_response(403, str(exc))
    return error_response(422, " ".join(exc.messages))


@router.get("/mine", response=QuestionPage, summary="My questions, newest first")
def mine(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    items, meta = paginate(access.questions_of(request.auth), page, page_size)
    return {**meta, "items": [_q(q) for q in items]}


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
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return Status(201, _detail(request.auth, q))


@router.get("/{int:id}", response=QuestionDetail, summary="One of my questions with its answers")
def detail(request, id: int):
    return _detail(request.auth, access.get_own_question(request.auth, id))


@router.post("/{int:id}/follow-up", response=QuestionDetail, summary="Ask more after an answer")
def follow_up(request, id: int, payload: TextIn):
    q = access.get_own_question(request.auth, id)
    try:
        services.question_follow_up(actor=request.auth, question=q, body=payload.body)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return _detail(request.auth, access.get_own_question(request.auth, id))


@router.post("/{int:id}/rate", response=QuestionDetail, summary="Rate the answer (1–5) and close the question")
def rate(request, id: int, payload: RateIn):
    q = access.get_own_question(request.auth, id)
    try:
        services.question_rate(actor=request.auth, question=q, rating=payload.rating, comment=payload.comment)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return _detail(request.auth, access.get_own_question(request.auth, id))


@router.get("/kb/search", response=list[ArticleOut], summary="Search the knowledge base", auth=None)
def kb_search(request, q: str = Query(..., min_length=1, max_length=100)):
    ids = search.similar_ids(search.KIND_ARTICLE, q, limit=10)
    return access.articles_by_ids(request.user, ids)


@router.get("/topics", response=list[TopicOut], summary="Topics of my children's schools, most wanted first")
def topics(request):
    return list(access.topics_visible_to(request.auth).order_by("-votes_count", "-created_at", "-pk")[:100])


@router.post("/topics", response={201: TopicOut}, summary="Propose a topic for my child's school")
def topic_propose(request, payload: TopicIn):
    school = access.topic_schools_for(request.auth).filter(pk=payload.school_id).first()
    if school is None:
        raise Http404("school not found")
    try:
        topic = services.topic_propose(
            actor=request.auth, school=school, title=payload.title,
            description=payload.description, category=payload.category,
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return Status(201, topic)


@router.post("/topics/{int:id}/vote", response=TopicOut, summary="Vote for a topic (one vote per family)")
def topic_vote(request, id: int):
    topic = access.get_topic_for(request.auth, id)
    try:
        services.topic_vote(actor=request.auth, topic=topic)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return access.get_topic_for(request.auth, id)


# --- clinics (教育义诊) -------------------------------------------------------------------------------------------


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


@router.get("/clinics", response=list[ClinicOut], summary="Upcoming clinics open to my families, with free slots")
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


@router.get("/clinics/{int:id}/slots", response=list[ClinicSlotOut], summary="The slots of one clinic")
def clinic_slots(request, id: int):
    return [_slot(s) for s in access.slots_of(access.get_clinic_for(request.auth, id))]


@router.post("/clinics/slots/{int:id}/book", response={201: BookingOut}, summary="Book a slot for one of my children")
def clinic_book(request, id: int, payload: BookingIn):
    slot = access.get_slot_for(request.auth, id)
    student = access.children_for_asking(request.auth).filter(pk=payload.student_id).first()
    if student is None:
        raise Http404("student not found")
    try:
        booking = services.clinic_book(actor=request.auth, slot=slot, student=student, topic=payload.topic)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return Status(201, _booking(access.get_own_booking(request.auth, booking.pk)))


@router.get("/clinics/bookings", response=list[BookingOut], summary="My families' clinic bookings")
def clinic_bookings(request):
    return [_booking(b) for b in access.bookings_of(request.auth)[:100]]


@router.post("/clinics/bookings/{int:id}/cancel", response=BookingOut, summary="Cancel a booking (frees the slot)")
def clinic_cancel(request, id: int):
    booking = access.get_own_booking(request.auth, id)
    try:
        services.clinic_cancel(actor=request.auth, booking=booking)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return _booking(booking)


@router.get("/clinics/bookings/{int:id}/outcome", response=OutcomeOut, summary="The expert's private outcome")
def clinic_outcome(request, id: int):
    booking = access.get_clinic_booking_for_expert(request.auth, id)
    access_record(actor=request.auth, target=booking.student, purpose="clinic.outcome.view", request=request)
    return {**_booking(booking), "outcome": booking.outcome}


@router.post("/clinics/bookings/{int:id}/outcome", response=OutcomeOut, summary="Record the appointment's outcome")
def clinic_outcome_record(request, id: int, payload: OutcomeIn):
    booking = access.get_clinic_booking_for_expert(request.auth, id)
    try:
        services.clinic_record_outcome(actor=request.auth, booking=booking, outcome=payload.outcome)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return {**_booking(booking), "outcome": booking.outcome}


@router.post("/clinics/bookings/{int:id}/follow-up", response={201: QuestionOut}, summary="Open a follow-up question")
def clinic_follow_up(request, id: int, payload: FollowUpIn):
    booking = access.get_clinic_booking_for_expert(request.auth, id)
    try:
        q = services.clinic_follow_up_question(actor=request.auth, booking=booking, title=payload.title,
                                               body=payload.body)  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return Status(201, _q(q))
