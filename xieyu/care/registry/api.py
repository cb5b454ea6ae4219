"""The registry API (mounted at /api/v1/care/registry): the list (paginated, with the page's filters), one entry
(every fact with its source and date; the read is logged), propose, confirm and decline. Reads and authorisation
through access.py (404 alike for missing and forbidden), writes through services.py (422 with the reason)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from xieyu.accounts.models import mask_phone
from xieyu.audit.services import access_record
from xieyu.core.api.errors import error_response
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access, services
from .models import LEFT_BEHIND, RegistryEntry

router = Router()


class EntryOut(Schema):
    id: int
    student_id: int
    student_name: str
    school_id: int
    school_name: str
    class_name: str
    state: str
    state_label: str
    categories: list[str]
    carer_name: str
    carer_phone_masked: str
    next_review_on: datetime.date | None
    review_overdue: bool


class EntryPage(PageMeta):
    items: list[EntryOut]


class CategoryOut(Schema):
    id: int
    category: str
    label: str
    detail: str
    source: str
    noted_on: datetime.date
    ended_on: datetime.date | None


class AbsentParentOut(Schema):
    who: str
    name: str
    phone: str
    works_in: str
    away_since: datetime.date | None
    source: str
    noted_on: datetime.date


class ReviewOut(Schema):
    id: int
    due_on: datetime.date
    done_at: datetime.datetime | None
    note: str


class EntryDetail(EntryOut):
    carer_relationship: str
    carer_type: str
    carer_phone: str
    carer_source: str
    carer_noted_on: datetime.date | None
    village: str
    community: str
    all_categories: list[CategoryOut]
    absent_parents: list[AbsentParentOut]
    reviews: list[ReviewOut]


class CategoryIn(Schema):
    category: str
    source: str
    detail: str = ""
    noted_on: datetime.date | None = None


class ProposeIn(Schema):
    student_id: int
    categories: list[CategoryIn]
    carer_name: str = ""
    carer_relationship: str = ""
    carer_type: str = ""
    carer_phone: str = ""
    village: str = ""
    note: str = ""


class DecisionIn(Schema):
    note: str = ""


class DeclineIn(Schema):
    reason: str


def _refused(exc: ValidationError):
    return error_response(422, " ".join(exc.messages))


def _entry(e: RegistryEntry, today: datetime.date) -> dict:
    klass = e.student.school_class
    return {
        "id": e.pk, "student_id": e.student_id, "student_name": e.student.name, "school_id": e.school_id,
        "school_name": e.school.name, "class_name": str(klass) if klass else "", "state": e.state,
        "state_label": str(e.get_state_display()),
        "categories": [c.category for c in getattr(e, "open_categories", [])],
        "carer_name": e.carer_name, "carer_phone_masked": mask_phone(e.carer_phone),
        "next_review_on": e.next_review_on,
        "review_overdue": bool(e.state == RegistryEntry.State.CONFIRMED and e.next_review_on
                               and e.next_review_on < today),
    }  # fmt: skip


def _detail(request, e: RegistryEntry) -> dict:
    access_record(actor=request.auth, target=e, purpose="care.registry", request=request,
                  detail={"sections": ["categories", "carer", "absent_parents", "place", "reviews"], "via": "api"})  # fmt: skip
    return {
        **_entry(e, timezone.localdate()),
        "carer_relationship": e.carer_relationship, "carer_type": e.carer_type, "carer_phone": e.carer_phone,
        "carer_source": e.carer_source, "carer_noted_on": e.carer_noted_on, "village": e.village,
        "community": e.community.name if e.community else "",
        "all_categories": [
            {"id": c.pk, "category": c.category, "label": str(c.get_category_display()), "detail": c.detail,
             "source": c.source, "noted_on": c.noted_on, "ended_on": c.ended_on}
            for c in access.entry_categories(e)
        ],
        "absent_parents": [
            {"who": p.who, "name": p.name, "phone": p.phone, "works_in": p.works_in, "away_since": p.away_since,
             "source": p.source, "noted_on": p.noted_on}
            for p in access.entry_absent_parents(e)
        ],
        "reviews": [{"id": r.pk, "due_on": r.due_on, "done_at": r.done_at, "note": r.note}
                    for r in access.entry_reviews(e)],
    }  # fmt: skip


@router.get("", response=EntryPage, summary="The registry I may read, newest change first")
def registry_list(
    request,
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
    state: str = "",
    category: str = "",
    school: int | None = Query(None, ge=1, le=2**63 - 1),
    overdue: bool = False,
    q: str = Query("", max_length=50),
):
    today = timezone.localdate()
    entries = access.entries_listed_for(
        request.auth, state=state, category=category, school=school, overdue=overdue, q=q.strip(), today=today
    )
    items, meta = paginate(entries, page, page_size)
    return {**meta, "items": [_entry(e, today) for e in items]}


@router.get("/{int:id}", response=EntryDetail, summary="One registry entry, every fact with its source and date")
def registry_detail(request, id: int):
    return _detail(request, access.get_entry_for(request.auth, id))


@router.post("", response={201: EntryDetail}, summary="Propose a pupil for the registry")
def registry_propose(request, payload: ProposeIn):
    student = access.get_student_to_propose(request.auth, payload.student_id)
    carer = {k: getattr(payload, k) for k in ("carer_name", "carer_relationship", "carer_type", "carer_phone")}
    cats = [c.dict() for c in payload.categories]
    if any(carer.values()) and cats:
        carer |= {"carer_source": cats[0]["source"], "carer_noted_on": cats[0]["noted_on"] or timezone.localdate()}
    away = []
    if any(c["category"] in LEFT_BEHIND for c in cats):
        away = [
            {"who": g.relationship, "name": g.guardian.name, "phone": g.guardian.phone or "",
             "source": cats[0]["source"]}
            for g in access.roster_facts_of(student)["away"]
        ]  # fmt: skip
    try:
        entry = services.entry_propose(
            actor=request.auth, student=student, categories=cats, carer=carer, village=payload.village,
            absent_parents=away, note=payload.note,
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, _detail(request, access.get_entry_for(request.auth, entry.pk)))


def _decide(request, id: int, act):
    entry = access.get_entry_for(request.auth, id)
    if not access.may_decide(request.auth, entry):
        raise Http404("registry entry not found")
    try:
        act(entry)
    except ValidationError as exc:
        return _refused(exc)
    return _detail(request, access.get_entry_for(request.auth, id))


@router.post("/{int:id}/confirm", response=EntryDetail, summary="Confirm a proposed entry (the school admin)")
def registry_confirm(request, id: int, payload: DecisionIn):
    return _decide(request, id, lambda e: services.entry_confirm(actor=request.auth, entry=e, note=payload.note))


@router.post("/{int:id}/decline", response=EntryDetail, summary="Decline a proposed entry, with a reason")
def registry_decline(request, id: int, payload: DeclineIn):
    return _decide(request, id, lambda e: services.entry_decline(actor=request.auth, entry=e, reason=payload.reason))
