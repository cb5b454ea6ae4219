"""The cases API (mounted at /api/v1/care/cases): the caller's caseload (no section text), one case with the sections
at the caller's level, adding a follow-up, and the supervisor's decision on a plan or a closure. The same rules as the
pages: reads through access.py (404 alike for missing and forbidden; every read of a case logged with the sections
returned), writes through services.py (422 with the reason)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema, Status

from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate
from xieyu.questions.asking.api import refused

from . import access, services

router = Router()


class CaseOut(Schema):
    id: int
    title: str
    student_id: int
    student_name: str
    school: str
    state: str | None  # null for a head teacher (they see that the case exists, its owner and their actions)
    state_label: str | None
    risk: str | None
    owner: str
    next_due_on: datetime.date | None
    opened_at: datetime.datetime
    level: str  # "full", "school" or "exists": what the caller sees of the case


class CasePage(PageMeta):
    items: list[CaseOut]


class SectionOut(Schema):
    section: str
    label: str
    sensitive: bool
    body: str
    updated_at: datetime.datetime


class ActionOut(Schema):
    id: int
    text: str
    due_on: datetime.date | None
    done: bool


class FollowUpOut(Schema):
    id: int
    kind: str
    on: datetime.date
    note: str


class ApprovalOut(Schema):
    id: int
    kind: str
    state: str
    text: str
    comment: str
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None


class CaseDetail(CaseOut):
    supervisor: str | None
    sections: list[SectionOut]
    actions: list[ActionOut]
    follow_ups: list[FollowUpOut]
    approvals: list[ApprovalOut]


class FollowUpIn(Schema):
    kind: str
    note: str
    on: datetime.date | None = None
    next_due_on: datetime.date | None = None


class DecisionIn(Schema):
    approve: bool
    comment: str = ""


def _case(c, level: str | None) -> dict:
    return {
        "id": c.pk, "title": c.title, "student_id": c.student_id, "student_name": c.student.name,
        "school": c.school.name, "state": c.state if level != access.EXISTS else None,
        "state_label": str(c.get_state_display()) if level != access.EXISTS else None,
        "risk": c.risk if level != access.EXISTS else None, "owner": c.owner.name, "next_due_on": c.next_due_on,
        "opened_at": c.opened_at, "level": level,
    }  # fmt: skip


def _approval(a) -> dict:
    return {"id": a.pk, "kind": a.kind, "state": a.state, "text": a.text, "comment": a.comment,
            "requested_at": a.requested_at, "decided_at": a.decided_at}  # fmt: skip


def _detail(request, view) -> dict:
    access.case_read_record(request.auth, view, request=request, purpose="care.case.api")
    case = view.case
    parts = access.case_parts(view)
    actions = parts["actions"] if view.level != access.EXISTS else access.actions_on_case_for(request.auth, case)
    return {
        **_case(case, view.level),
        "supervisor": case.supervisor.name if view.level != access.EXISTS else None,
        "sections": [
            {
                "section": s.section,
                "label": str(s.get_section_display()),
                "sensitive": s.sensitive,
                "body": s.body,
                "updated_at": s.updated_at,
            }  # fmt: skip
            for s in access.sections_of(view)
        ],
        "actions": [{"id": a.pk, "text": a.text, "due_on": a.due_on, "done": a.done_at is not None} for a in actions],
        "follow_ups": [{"id": f.pk, "kind": f.kind, "on": f.on, "note": f.note} for f in parts["follow_ups"]],
        "approvals": [_approval(a) for a in parts["approvals"]],
    }


@router.get("", response=CasePage, summary="The cases I may open, open ones by next due date (no section text)")
def cases(
    request,
    state: str = "",
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    items, meta = paginate(access.case_list_for(request.auth, state=state), page, page_size)
    return {**meta, "items": [_case(c, c.level) for c in access.mark_levels(request.auth, items)]}


@router.get("/{int:id}", response=CaseDetail, summary="One case, with the sections I may read")
def case_detail(request, id: int):
    return _detail(request, access.get_case_for(request.auth, id))


@router.post("/{int:id}/follow-ups", response={201: CaseDetail}, summary="Record a visit, a call or a meeting")
def follow_up_add(request, id: int, payload: FollowUpIn):
    case = access.get_case_in_full(request.auth, id)
    try:
        services.follow_up_add(
            actor=request.auth, case=case, kind=payload.kind, note=payload.note, on=payload.on,
            next_due_on=payload.next_due_on,
        )  # fmt: skip
    except ValidationError as exc:
        return refused(exc)
    return Status(201, _detail(request, access.get_case_for(request.auth, id)))


@router.post("/approvals/{int:id}/decide", response=ApprovalOut, summary="Approve or reject a plan or a closure")
def approval_decide(request, id: int, payload: DecisionIn):
    approval = access.get_approval_to_decide(request.auth, id)
    try:
        services.approval_decide(
            actor=request.auth, approval=approval, approve=payload.approve, comment=payload.comment
        )
    except ValidationError as exc:
        return refused(exc)
    return _approval(approval)
