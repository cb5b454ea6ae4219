"""The 新高考 API (mounted at /api/v1/column/gaokao): the helper's answer for one combination, public like the page
(general guidance, no personal data)."""

from __future__ import annotations

from ninja import Query, Router, Schema

from xieyu.core.api.errors import also_answers, error_response

from . import access
from .combos import check_choice, outcome

router = Router()
SUBJECTS = Query(..., min_length=1)  # the two re-chosen subjects, ?subjects=chemistry&subjects=biology


class MajorOut(Schema):
    major: str
    requirement: str
    note: str


class DisciplineOut(Schema):
    discipline: str
    open: list[MajorOut]
    closed: list[MajorOut]


class OutcomeOut(Schema):
    county_id: int | None
    total: int
    open_count: int
    percent: int
    disciplines: list[DisciplineOut]


def _major(r) -> dict:
    return {"major": r.major, "requirement": r.requirement_display, "note": r.note}


@router.get("/open", response=OutcomeOut, auth=None, openapi_extra=also_answers(400),
            summary="Which majors one combination (a first choice and two re-chosen subjects) keeps open")  # fmt: skip
def open_majors(
    request,
    first: str = Query(..., max_length=10),
    subjects: list[str] = SUBJECTS,
    county: int | None = Query(None, ge=1, le=2**63 - 1),
):
    from django.utils.translation import gettext as _

    problem = check_choice(first, subjects)
    if problem == "first":
        return error_response(400, _("Choose physics or history as the first choice."))
    if problem:
        return error_response(400, _("Choose two different re-chosen subjects of chemistry, biology, politics and geography."))
    region = access.guide_county(request.user, county)
    result = outcome(list(access.table_of(region)), first, subjects)
    return {
        "county_id": region.pk if region else None, "total": result.total, "open_count": result.open_count,
        "percent": result.percent,
        "disciplines": [{"discipline": d.name, "open": [_major(r) for r in d.open],
                         "closed": [_major(r) for r in d.closed]} for d in result.disciplines],
    }  # fmt: skip
