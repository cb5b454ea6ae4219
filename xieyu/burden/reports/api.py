"""The 双减 reports API for the family (mounted at /api/v1/burden/reports): file one, list hers, read one. Only the
reporter reads a report here; the county works on the pages."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from xieyu.core.api.errors import error_response
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access, services

router = Router()


class ReportIn(Schema):
    student_id: int
    kind: str
    what_happened: str
    happened_on: datetime.date
    class_id: int | None = None


class ReportOut(Schema):
    id: int
    kind: str
    kind_label: str
    school: str
    school_class: str | None
    what_happened: str
    happened_on: datetime.date
    state: str
    state_label: str
    outcome: str
    created_at: datetime.datetime


class ReportPage(PageMeta):
    items: list[ReportOut]


def _out(r) -> dict:
    return {
        "id": r.pk, "kind": r.kind, "kind_label": str(r.get_kind_display()), "school": r.school.name,
        "school_class": f"{r.school_class.grade.name}{r.school_class.name}" if r.school_class else None,
        "what_happened": r.what_happened, "happened_on": r.happened_on, "state": r.state,
        "state_label": str(r.get_state_display()), "outcome": r.outcome, "created_at": r.created_at,
    }  # fmt: skip


@router.get("", response=ReportPage, summary="My double reduction reports, newest first")
def mine(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    items, meta = paginate(access.reports_of(request.auth).order_by("-created_at", "-pk"), page, page_size)
    return {**meta, "items": [_out(r) for r in items]}


@router.get("/{int:id}", response=ReportOut, summary="One report I filed (or of my county), with its outcome")
def detail(request, id: int):
    return _out(access.get_report_for(request.auth, id))


@router.post("", response={201: ReportOut}, summary="Report a double reduction problem at my child's school")
def file(request, payload: ReportIn):
    student = access.children_for_reporting(request.auth).filter(pk=payload.student_id).first()
    if student is None:
        return error_response(422, _("Child: choose the child whose school it is about."))
    school_class = None
    if payload.class_id is not None:
        if payload.class_id != student.school_class_id:
            return error_response(422, _("Class: choose your child's class or leave it empty."))
        school_class = student.school_class
    try:
        report = services.report_file(
            actor=request.auth, student=student, kind=payload.kind, what_happened=payload.what_happened,
            happened_on=payload.happened_on, school_class=school_class,
        )  # fmt: skip
    except ValidationError as exc:
        return error_response(422, " ".join(exc.messages))
    return Status(201, _out(report))
