"""Resource reports (mounted at /api/v1/dashboard/resources), with the same rules as the pages: the county's table
of every school's report, one report, a school's figures, submission and the county returning it. A report the
caller may not see answers 404 like a missing one; a refused write is 422 with the Chinese message."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Schema

from xieyu.core.api.errors import also_answers, error_response

from ..leadership.years import YEAR_MAX, YEAR_MIN, current_year
from . import access, services

router = Router()


class BudgetOut(Schema):
    category: str
    category_label: str
    planned: Decimal
    spent: Decimal
    overspent: bool


class ReportOut(Schema):
    id: int
    school_id: int
    school: str
    year: int
    status: str
    dedicated_staff: int
    part_time_staff: int
    coordinator: str
    hours: Decimal
    rooms: list[str]
    rooms_other: str
    equipment: str
    return_note: str
    submitted_at: datetime.datetime | None
    budget: list[BudgetOut]


class SchoolRowOut(Schema):
    school_id: int
    school: str
    report_id: int | None
    status: str
    submitted: bool
    dedicated_staff: int | None = None
    part_time_staff: int | None = None
    hours: Decimal | None = None
    planned: Decimal | None = None
    spent: Decimal | None = None
    per_student: Decimal | None = None
    overspent: bool | None = None


class TableOut(Schema):
    year: int
    schools: list[SchoolRowOut]
    submitted: int
    planned: Decimal
    spent: Decimal
    per_student: Decimal | None


class BudgetIn(Schema):
    planned: str = "0"
    spent: str = "0"


class ReportIn(Schema):
    dedicated_staff: int
    part_time_staff: int
    coordinator: str = ""
    hours: str = "0"
    rooms: list[str] = []
    rooms_other: str = ""
    equipment: str = ""
    note: str = ""
    budget: dict[str, BudgetIn] = {}


class UpdateOut(Schema):
    report: ReportOut
    warnings: list[str]


class ReturnIn(Schema):
    note: str


def _report(r) -> dict:
    return {"id": r.pk, "school_id": r.school_id, "school": r.school.name, "year": r.year, "status": r.status,
            "dedicated_staff": r.dedicated_staff, "part_time_staff": r.part_time_staff, "coordinator": r.coordinator,
            "hours": r.hours, "rooms": r.rooms, "rooms_other": r.rooms_other, "equipment": r.equipment,
            "return_note": r.return_note, "submitted_at": r.submitted_at,
            "budget": [{"category": b.category, "category_label": str(b.get_category_display()), "planned": b.planned,
                        "spent": b.spent, "overspent": b.overspent} for b in r.budget.all()]}  # fmt: skip


def _refused(exc: ValidationError):
    return error_response(422, " ".join(exc.messages))


@router.get("", response=TableOut, summary="Every school's resource report of a year (county admins)",
            openapi_extra=also_answers(404))  # fmt: skip
def table(request, year: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX)):
    county_id = access.reviewed_county(request.auth)
    if county_id is None:
        raise Http404("not found")
    year = year or current_year()
    rows = access.resources_by_school(county_id, year)
    totals = access.county_totals(rows)
    return {"year": year, "schools": rows, "submitted": totals["submitted"], "planned": totals["planned"],
            "spent": totals["spent"], "per_student": totals["per_student"]}  # fmt: skip


@router.get("/mine", response=ReportOut, summary="My school's report of a year (school admins)",
            openapi_extra=also_answers(404))  # fmt: skip
def mine(request, year: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX)):
    report = access.own_report(request.auth, year or current_year())
    if report is None:
        raise Http404("not found")
    return _report(report)


@router.get("/{int:id}", response=ReportOut, summary="One resource report", openapi_extra=also_answers(404))
def report(request, id: int):
    return _report(access.get_report_for(request.auth, id))


@router.post("/{int:id}", response=UpdateOut, summary="Save a draft's figures (school admins)",
             openapi_extra=also_answers(404, 422))  # fmt: skip
def update(request, id: int, payload: ReportIn):
    r = access.get_report_for(request.auth, id, write=True)
    try:
        warnings = services.report_update(
            actor=request.auth, report=r, dedicated_staff=payload.dedicated_staff,
            part_time_staff=payload.part_time_staff, coordinator=payload.coordinator, hours=payload.hours,
            rooms=payload.rooms, rooms_other=payload.rooms_other, equipment=payload.equipment, note=payload.note,
            budget={k: (v.planned, v.spent) for k, v in payload.budget.items()},
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(exc)
    return {"report": _report(access.get_report_for(request.auth, id)), "warnings": warnings}


@router.post("/{int:id}/submit", response=ReportOut, summary="Submit the report to the county",
             openapi_extra=also_answers(404, 422))  # fmt: skip
def submit(request, id: int):
    r = access.get_report_for(request.auth, id, write=True)
    try:
        services.report_submit(actor=request.auth, report=r)
    except ValidationError as exc:
        return _refused(exc)
    return _report(access.get_report_for(request.auth, id))


@router.post("/{int:id}/return", response=ReportOut, summary="Return a submitted report to the school (county)",
             openapi_extra=also_answers(404, 422))  # fmt: skip
def send_back(request, id: int, payload: ReturnIn):
    r = access.get_report_for(request.auth, id, review=True)
    try:
        services.report_return(actor=request.auth, report=r, note=payload.note)
    except ValidationError as exc:
        return _refused(exc)
    return _report(access.get_report_for(request.auth, id))
