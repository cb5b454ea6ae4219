"""The figures of one unit (GET /api/v1/dashboard/figures?level=county|school|class&unit=<id>): the stored,
suppressed figures the pages show, for the same readers; 404 for anyone else and for an unknown unit."""

from __future__ import annotations

import datetime

from django.http import Http404
from ninja import Query, Router, Schema

from xieyu.core.api.errors import also_answers
from xieyu.core.viewhelpers import parse_id

from . import access
from .display import board_of, current_period

router = Router()


class TrendOut(Schema):
    semester: str
    shown: str


class FigureOut(Schema):
    metric: str
    area: str
    title: str
    value: str
    numerator: str
    denominator: str
    counts: str
    coverage: str
    target: str
    change: str
    suppressed: bool
    computed_at: datetime.datetime | None
    trend: list[TrendOut]


class HotTopicOut(Schema):
    position: int
    title: str
    school: str
    families: int
    status: str
    lecture: str
    lecture_at: datetime.datetime | None


class FiguresOut(Schema):
    level: str
    unit: int
    name: str
    period: str
    computed_at: datetime.datetime | None
    figures: list[FigureOut]
    hot_topics: list[HotTopicOut]  # the county's or the school's list (none for a class)


@router.get(
    "/figures",
    response=FiguresOut,
    summary="The figures of a county, school or class, small counts suppressed",
    openapi_extra=also_answers(404),  # to anyone who may not see the unit
)
def figures(request, level: str = Query(...), unit: str = Query(...)):
    pk = parse_id(unit)
    if pk is None or level not in ("county", "school", "class"):
        raise Http404("unit not found")
    user = request.auth
    if level == "county":
        name = access.get_county_for(user, pk).name
    elif level == "school":
        name = access.get_school_for(user, pk).name
    else:
        klass = access.classes_visible_to(user).select_related("school", "grade").filter(pk=pk).first()
        if klass is None:
            raise Http404("class not found")
        name = f"{klass.school.name} {klass}"
    period = current_period()
    board = board_of(list(access.figures_of(level, pk)), level, period)
    topics = list(access.hot_topics_of(level, pk, period).select_related("school")) if level != "class" else []
    return {
        "level": level, "unit": pk, "name": name, "period": board.period, "computed_at": board.computed_at,
        "figures": [
            {
                "metric": t.key, "area": t.metric.area, "title": str(t.metric.title), "value": t.value,
                "numerator": t.numerator, "denominator": t.denominator, "counts": str(t.metric.counts_what),
                "coverage": t.coverage, "target": str(t.metric.target_text), "change": t.change,
                "suppressed": t.suppressed, "computed_at": t.figure.computed_at if t.figure else None,
                "trend": [{"semester": label, "shown": shown} for label, shown, _v in t.history],
            }
            for t in board.tiles
        ],
        "hot_topics": [
            {"position": t.position, "title": t.title, "school": t.school.name, "families": t.families,
             "status": t.status_label, "lecture": t.lecture_title, "lecture_at": t.lecture_at}
            for t in topics
        ],
    }  # fmt: skip
