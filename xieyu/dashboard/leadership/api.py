"""Leadership groups, work arrangements and tasks (mounted at /api/v1/dashboard/leadership), with the same rules as
the pages: county and school admins only; a group, plan or task the caller may not see answers 404 like a missing
one; a refused write is 422 with the Chinese message. Documents are uploaded on the page; the API attaches an event
or a notice as evidence."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from xieyu.core.api.errors import also_answers, error_response
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate
from xieyu.core.viewhelpers import parse_id

from . import access, services
from .years import YEAR_MAX, YEAR_MIN, current_year, year_label

router = Router()
PAGE = Query(1, ge=1)
SIZE = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class MemberOut(Schema):
    id: int
    name: str
    title: str
    post: str
    post_label: str
    department: str
    phone: str | None
    term_start: datetime.date
    term_end: datetime.date


class GroupOut(Schema):
    id: int
    name: str
    level: str
    school_id: int | None
    school: str | None


class GroupPage(PageMeta):
    items: list[GroupOut]


class GroupDetailOut(GroupOut):
    duties: str
    members: list[MemberOut]


class PlanOut(Schema):
    id: int
    year: int
    year_label: str
    title: str
    school_id: int | None
    school: str | None
    tasks: int
    done: int
    late: int


class PlanPage(PageMeta):
    items: list[PlanOut]


class EvidenceOut(Schema):
    kind: str
    name: str
    note: str


class TaskOut(Schema):
    id: int
    plan_id: int
    parent_id: int | None
    school_id: int | None
    title: str
    description: str
    owner: str
    due_on: datetime.date
    status: str
    status_label: str


class TaskPage(PageMeta):
    items: list[TaskOut]


class TaskDetailOut(TaskOut):
    evidence: list[EvidenceOut]


class SchoolProgressOut(Schema):
    school_id: int
    school: str
    total: int
    done: int
    late: int
    open: int


class TaskProgressOut(Schema):
    id: int
    title: str
    due_on: datetime.date
    schools: int
    done: int
    late: int
    open: int


class ProgressOut(Schema):
    year: int
    schools: list[SchoolProgressOut]
    tasks: list[TaskProgressOut]


class StatusIn(Schema):
    status: str


class EvidenceIn(Schema):
    kind: str
    event_id: int | None = None
    notice_id: int | None = None
    note: str = ""


class RemindOut(Schema):
    sent: int


def _need_staff(user) -> None:
    if not access.sees_leadership(user):
        raise Http404("not found")


def _group(g) -> dict:
    return {"id": g.pk, "name": g.name, "level": "county" if g.school_id is None else "school",
            "school_id": g.school_id, "school": g.school.name if g.school_id else None}  # fmt: skip


def _task(t) -> dict:
    return {"id": t.pk, "plan_id": t.plan_id, "parent_id": t.parent_id, "school_id": t.school_id, "title": t.title,
            "description": t.description, "owner": t.owner_name, "due_on": t.due_on, "status": t.shown_status,
            "status_label": t.shown_status_label()}  # fmt: skip


def _refused(exc: ValidationError):
    return error_response(422, " ".join(exc.messages))


@router.get("/groups", response=GroupPage, summary="The leadership groups I see", openapi_extra=also_answers(404))
def groups(request, page: int = PAGE, page_size: int = SIZE):
    _need_staff(request.auth)
    items, meta = paginate(access.group_list_for(request.auth), page, page_size)
    return {**meta, "items": [_group(g) for g in items]}


@router.get("/groups/{int:id}", response=GroupDetailOut, summary="A group with its current members",
            openapi_extra=also_answers(404))  # fmt: skip
def group(request, id: int):
    g = access.get_group_for(request.auth, id)
    manages = access.manages_group(request.auth, g)
    members = [{"id": m.pk, "name": m.name, "title": m.title, "post": m.post, "post_label": str(m.get_post_display()),
                "department": m.department, "phone": m.phone if manages else None, "term_start": m.term_start,
                "term_end": m.term_end} for m in access.current_members(g)]  # fmt: skip
    return {**_group(g), "duties": g.duties, "members": members}


@router.get("/plans", response=PlanPage, summary="The work arrangements of an academic year",
            openapi_extra=also_answers(404))  # fmt: skip
def plans(request, year: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX), page: int = PAGE, page_size: int = SIZE):
    _need_staff(request.auth)
    year = year or current_year()
    items, meta = paginate(access.plan_list_for(request.auth, year), page, page_size)
    return {**meta, "items": [{"id": p.pk, "year": p.year, "year_label": year_label(p.year), "title": p.title,
                               "school_id": p.school_id, "school": p.school.name if p.school_id else None,
                               "tasks": p.n_tasks, "done": p.n_done, "late": p.n_late} for p in items]}  # fmt: skip


@router.get("/plans/{int:id}/tasks", response=TaskPage, summary="The tasks of an arrangement",
            openapi_extra=also_answers(404))  # fmt: skip
def plan_tasks(request, id: int, page: int = PAGE, page_size: int = SIZE):
    plan = access.get_plan_for(request.auth, id)
    items, meta = paginate(access.plan_tasks(plan), page, page_size)
    return {**meta, "items": [_task(t) for t in items]}


@router.get(
    "/tasks/{int:id}", response=TaskDetailOut, summary="A task with its evidence", openapi_extra=also_answers(404)
)
def task(request, id: int):
    t = access.get_task_for(request.auth, id)
    evidence = []
    for e in access.task_evidence(t)[:50]:
        name = (
            e.file_name if e.kind == "document" else (e.event.title if e.event else e.notice.title if e.notice else "")
        )
        evidence.append({"kind": e.kind, "name": name, "note": e.note})
    return {**_task(t), "evidence": evidence}


@router.post("/tasks/{int:id}/status", response=TaskOut, summary="Set a task not started or in progress",
             openapi_extra=also_answers(404, 422))  # fmt: skip
def task_status(request, id: int, payload: StatusIn):
    t = access.get_task_for(request.auth, id, write=True)
    try:
        t = services.task_status_set(actor=request.auth, task=t, status=payload.status)
    except ValidationError as exc:
        return _refused(exc)
    return _task(t)


@router.post("/tasks/{int:id}/evidence", response=TaskOut, summary="Attach one of the unit's events or notices",
             openapi_extra=also_answers(404, 422))  # fmt: skip
def task_evidence(request, id: int, payload: EvidenceIn):
    t = access.get_task_for(request.auth, id, write=True)
    event = notice = None
    if payload.kind == "event":
        event = access.evidence_events_for(t).filter(pk=parse_id(payload.event_id) or 0).first()
    elif payload.kind == "notice":
        notice = access.evidence_notices_for(t).filter(pk=parse_id(payload.notice_id) or 0).first()
    elif payload.kind == "document":
        return error_response(422, _("Upload documents on the task's page."))
    try:
        services.evidence_add(actor=request.auth, task=t, kind=payload.kind, event=event, notice=notice,
                              note=payload.note)  # fmt: skip
    except ValidationError as exc:
        return _refused(exc)
    return _task(t)


@router.post("/tasks/{int:id}/complete", response=TaskOut, summary="Complete a task (it needs evidence)",
             openapi_extra=also_answers(404, 422))  # fmt: skip
def task_complete(request, id: int):
    t = access.get_task_for(request.auth, id, write=True)
    try:
        t = services.task_complete(actor=request.auth, task=t)
    except ValidationError as exc:
        return _refused(exc)
    return _task(t)


@router.post("/tasks/{int:id}/remind", response=RemindOut, summary="Remind the schools late on a county task",
             openapi_extra=also_answers(404, 422))  # fmt: skip
def task_remind(request, id: int):
    t = access.get_task_for(request.auth, id, write=True)
    try:
        sent = services.task_remind_late(actor=request.auth, task=t)
    except ValidationError as exc:
        return _refused(exc)
    return {"sent": sent}


@router.get("/progress", response=ProgressOut, summary="The county's progress per school and per county task",
            openapi_extra=also_answers(404))  # fmt: skip
def progress(request, year: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX)):
    county_id = access.county_of(request.auth)
    if county_id is None:
        raise Http404("not found")
    year = year or current_year()
    tasks = access.county_task_progress(county_id, year).order_by("due_on", "pk")[:200]
    return {"year": year, "schools": access.task_progress_by_school(county_id, year),
            "tasks": [{"id": t.pk, "title": t.title, "due_on": t.due_on, **{k: getattr(t, f"n_{k}") for k in
                       ("schools", "done", "late", "open")}} for t in tasks]}  # fmt: skip
