"""The burden pages: a class's picture for its head teacher (burden:class), a school's classes and grades for its
admins (burden:school), the county's schools for the bureau (burden:county). They read rollups and flags only (a
fixed number of queries whatever the county's size); no child or family is ever named; fewer than five known
answers show "样本不足"."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from ..limits import Metric
from . import access
from . import figures as fig
from .display import shown, shown_week, weeks_ending
from .models import BurdenFlag, WeekRollup

PAGE_ROWS = 30


def _meeting_url(flag_pk: int) -> str | None:
    try:
        return reverse("burden:flag_meeting_new", args=[flag_pk])
    except NoReverseMatch:
        return None


def _template(request, full: str, partial: str) -> str:
    return partial if request.headers.get("HX-Request") else full


@login_required
@require_GET
def class_page(request, pk: int):
    school_class = access.get_class_for(request.user, pk)
    week = shown_week()
    weeks = weeks_ending(week)
    rows = list(access.rollups_visible_to(request.user).filter(level=WeekRollup.Level.CLASS,
                                                               school_class=school_class, week__in=weeks))  # fmt: skip
    by = {(r.metric, r.week): r for r in rows}
    cards = []
    for metric in fig.METRICS:
        trend = [shown(by.get((metric, w)), metric) for w in weeks]
        for t, w in zip(trend, weeks, strict=True):
            t.week = w
        cards.append({"now": shown(by.get((metric, week)), metric), "trend": trend})
    flags = list(access.flags_visible_to(request.user).filter(school_class=school_class)
                 .select_related("meeting").order_by("-state", "-raised_at")[:10])  # fmt: skip
    for f in flags:
        new = _meeting_url(f.pk) if f.state == BurdenFlag.State.OPEN and f.meeting_id is None else None
        f.meeting_new_url = new  # type: ignore[attr-defined]
        f.metric_label = Metric(f.metric).label  # type: ignore[attr-defined]
    computed = max((r.computed_at for r in rows), default=None)
    return render(request, "burden/watch/class.html", {
        "school_class": school_class, "week": week, "weeks": weeks, "cards": cards, "flags": flags,
        "computed_at": computed,
    })  # fmt: skip


@login_required
@require_GET
def school_page(request, pk: int):
    school = access.get_school_for(request.user, pk)
    week = shown_week()
    classes = (access.classes_watched_by(request.user).filter(school=school).select_related("grade")
               .order_by("grade__level", "name", "pk"))  # fmt: skip
    page = Paginator(classes, PAGE_ROWS).get_page(request.GET.get("page"))
    ids = [c.pk for c in page.object_list]
    visible = access.rollups_visible_to(request.user).filter(week=week, metric__in=[Metric.HOMEWORK, Metric.SLEEP])
    class_rows: dict[int, dict] = defaultdict(dict)
    for r in visible.filter(level=WeekRollup.Level.CLASS, school_class__in=ids):
        class_rows[r.school_class_id or 0][r.metric] = r
    grade_rows: dict = defaultdict(dict)
    school_row = {}
    for r in visible.filter(level__in=[WeekRollup.Level.GRADE, WeekRollup.Level.SCHOOL], school=school).select_related(
        "grade"
    ):
        if r.level == WeekRollup.Level.GRADE:
            grade = r.grade
            if grade is not None:
                grade_rows[(grade.level, grade.name)][r.metric] = r
        else:
            school_row[r.metric] = r
    open_flags = dict(
        access.flags_visible_to(request.user).filter(school_class__in=ids, state=BurdenFlag.State.OPEN)
        .values("school_class").annotate(n=Count("pk")).values_list("school_class", "n")
    )  # fmt: skip
    rows = [{"school_class": c, "homework": shown(class_rows[c.pk].get(Metric.HOMEWORK), Metric.HOMEWORK),
             "sleep": shown(class_rows[c.pk].get(Metric.SLEEP), Metric.SLEEP), "flags": open_flags.get(c.pk, 0)}
            for c in page.object_list]  # fmt: skip
    grades = [
        {
            "name": name,
            "homework": shown(m.get(Metric.HOMEWORK), Metric.HOMEWORK),
            "sleep": shown(m.get(Metric.SLEEP), Metric.SLEEP),
        }
        for (_lvl, name), m in sorted(grade_rows.items())
    ]
    return render(request, _template(request, "burden/watch/school.html", "burden/watch/_school_classes.html"), {
        "school": school, "week": week, "page_obj": page, "rows": rows, "grades": grades,
        "total": {"homework": shown(school_row.get(Metric.HOMEWORK), Metric.HOMEWORK),
                  "sleep": shown(school_row.get(Metric.SLEEP), Metric.SLEEP)},
    })  # fmt: skip


@login_required
@require_GET
def county_page(request, pk: int):
    county = access.get_county_for(request.user, pk)
    week = shown_week()
    schools = access.county_schools_by_flags(request.user, county)
    page = Paginator(schools, PAGE_ROWS).get_page(request.GET.get("page"))
    ids = [s.pk for s in page.object_list]
    visible = access.rollups_visible_to(request.user).filter(week=week, metric__in=[Metric.HOMEWORK, Metric.SLEEP])
    school_rows: dict = defaultdict(dict)
    for r in visible.filter(level=WeekRollup.Level.SCHOOL, school__in=ids):
        school_rows[r.school_id][r.metric] = r
    county_row = {r.metric: r for r in visible.filter(level=WeekRollup.Level.COUNTY, county=county)}
    total_flags = access.flags_visible_to(request.user).filter(county=county, state=BurdenFlag.State.OPEN).count()
    rows = [
        {
            "school": s,
            "homework": shown(school_rows[s.pk].get(Metric.HOMEWORK), Metric.HOMEWORK),
            "sleep": shown(school_rows[s.pk].get(Metric.SLEEP), Metric.SLEEP),
        }
        for s in page.object_list
    ]
    return render(request, _template(request, "burden/watch/county.html", "burden/watch/_county_schools.html"), {
        "county": county, "week": week, "page_obj": page, "rows": rows, "total_flags": total_flags,
        "total": {"homework": shown(county_row.get(Metric.HOMEWORK), Metric.HOMEWORK),
                  "sleep": shown(county_row.get(Metric.SLEEP), Metric.SLEEP)},
        "computed_at": county_row[Metric.HOMEWORK].computed_at if Metric.HOMEWORK in county_row else None,
    })  # fmt: skip
