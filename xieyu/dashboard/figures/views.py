"""The dashboard's pages: county, school and class (tiles by area, trends, drill-down), the ranking's notice (a
confirm step, then one click), the xlsx export of every tile and the monthly report (PDF). Pages read only stored
figures (access.py), a fixed number of queries whatever the county's size."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xieyu.audit.services import access_record
from xieyu.core.viewhelpers import run_service

from ..leadership.access import school_task_counts
from ..leadership.years import current_year, year_label
from ..resources.access import school_resources
from . import access
from .display import board_of, current_period, format_value
from .export import board_xlsx
from .metrics import METRICS
from .models import Figure
from .report import monthly_report_pdf
from .services import ranking_notify

RANK_PLACES = 5
SCHOOLS_PER_PAGE = 20
KEY_METRICS = ["families_joined", "ps_sessions", "ps_attended", "questions_on_time", "inquiries_on_time"]


def _not_found(request, message: str):
    return render(request, "dashboard/not_found.html", {"message": message}, status=404)


def _rankings(county, period: str):
    grouped: dict[str, list[Figure]] = {}
    for f in access.ranked_schools_of(county, period, RANK_PLACES):
        grouped.setdefault(f.metric, []).append(f)
    return [
        {"metric": METRICS[key], "rows": [(f, format_value(METRICS[key], f)) for f in rows]}
        for key, rows in grouped.items()
        if key in METRICS
    ]


def _drill_rows(level: str, units: list, period: str):
    """One row per unit (a page of schools, or a school's classes) with its key figures: one query."""
    figs = {(f.unit_id, f.metric): f for f in access.child_figures(level, [u.pk for u in units], period)}
    keys = [k for k in KEY_METRICS if k in METRICS and (level == "school" or METRICS[k].level == "class")]
    rows = [(u, [format_value(METRICS[k], figs.get((u.pk, k))) for k in keys]) for u in units]
    return [METRICS[k] for k in keys], rows


@login_required
@require_GET
def home(request):
    unit = access.home_unit_of(request.user)
    if unit is None:
        raise Http404("no dashboard")
    level, pk, class_pk = unit
    if level == "class":
        return redirect("dashboard:school_class", pk, class_pk)
    return redirect(f"dashboard:{level}", pk)


@login_required
@require_GET
def county(request, pk: int):
    found = access.get_county_for(request.user, pk)
    period = current_period()
    board = board_of(list(access.figures_of("county", found.pk)), "county", period)
    schools = Paginator(access.schools_of(found), SCHOOLS_PER_PAGE)
    page = schools.get_page(request.GET.get("page"))
    heads, rows = _drill_rows("school", list(page.object_list), period)
    return render(request, "dashboard/county.html", {
        "county": found, "board": board, "rankings": _rankings(found, period), "page_obj": page,
        "drill_heads": heads, "drill_rows": rows, "hot_topics": list(access.hot_topics_of("county", found.pk, period)),
        "topics_school_column": True,
    })  # fmt: skip


@login_required
@require_GET
def school(request, pk: int):
    found = access.get_school_for(request.user, pk)
    period = current_period()
    board = board_of(list(access.figures_of("school", found.pk)), "school", period)
    classes = list(access.classes_of(found.pk))
    heads, rows = _drill_rows("class", classes, period)
    year = current_year()
    return render(request, "dashboard/school.html", {
        "school": found, "board": board, "drill_heads": heads, "drill_rows": rows,
        "may_see_county": access.may_see_county(request.user, found.county_id),
        "year_label": year_label(year), "resources": school_resources(found.pk, year),
        "tasks": school_task_counts(found.pk, year), "hot_topics": list(access.hot_topics_of("school", found.pk, period)),
    })  # fmt: skip


@login_required
@require_GET
def school_class(request, school_pk: int, pk: int):
    try:
        found = access.get_class_for(request.user, school_pk, pk)
    except Http404:
        return _not_found(
            request, _("This class is not in that school, or it is not yours to see. Nothing was changed.")
        )
    board = board_of(list(access.figures_of("class", found.pk)), "class", current_period())
    return render(request, "dashboard/class.html", {
        "school_class": found, "school": found.school, "board": board,
        "may_see_school": access.may_see_school(request.user, found.school),
    })  # fmt: skip


def _unit(request, level: str, pk: int) -> tuple[Model, str]:
    if level == "county":
        county = access.get_county_for(request.user, pk)
        return county, county.name
    if level == "school":
        found = access.get_school_for(request.user, pk)
        return found, found.name
    if level == "class":
        klass = access.classes_visible_to(request.user).select_related("school", "grade").filter(pk=pk).first()
        if klass is None:
            raise Http404("class not found")
        return klass, f"{klass.school.name} {klass}"
    raise Http404("no such level")


@login_required
@require_GET
def export(request, level: str, pk: int):
    unit, name = _unit(request, level, pk)
    period = current_period()
    board = board_of(list(access.figures_of(level, unit.pk)), level, period)
    children = None
    if level == "county":
        schools = list(access.schools_of(unit))  # type: ignore[arg-type]
        children = (_("School"), _drill_full("school", schools, period))
    elif level == "school":
        classes = list(access.classes_of(unit.pk))
        children = (_("Class"), _drill_full("class", classes, period))
    topics = list(access.hot_topics_of(level, unit.pk, period).select_related("school")) if level != "class" else []
    data = board_xlsx(name, board, children, topics)
    access_record(actor=request.user, target=unit, purpose="dashboard.export", request=request,
                  detail={"level": level, "period": period})  # fmt: skip
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{level}-{unit.pk}.xlsx"'
    return response


def _drill_full(level: str, units: list, period: str):
    """Every metric of every child unit, for the export (one query)."""
    figs = {(f.unit_id, f.metric): f for f in access.child_figures(level, [u.pk for u in units], period)}
    keys = [k for k, m in METRICS.items() if level == "school" and m.level != "county" or m.level == "class"]
    return [METRICS[k] for k in keys], [
        (u, [format_value(METRICS[k], figs.get((u.pk, k))) for k in keys]) for u in units
    ]


@login_required
@require_GET
def report(request, pk: int):
    found = access.get_county_for(request.user, pk)
    period = current_period()
    board = board_of(list(access.figures_of("county", found.pk)), "county", period)
    today = timezone.localdate()
    topics = list(access.hot_topics_of("county", found.pk, period))
    data = monthly_report_pdf(found, board, _rankings(found, period), today, access.month_before(found, today), topics)
    access_record(actor=request.user, target=found, purpose="dashboard.report", request=request,
                  detail={"period": period})  # fmt: skip
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="monthly-report-{found.pk}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def notify(request, pk: int, metric: str):
    found = access.get_county_for(request.user, pk)
    m = METRICS.get(metric)
    if m is None or not m.ranked:
        raise Http404("no such ranking")
    period = current_period()
    behind = [f for f in access.ranked_schools_of(found, period, RANK_PLACES) if f.metric == m.key]
    if request.method == "POST":
        to = reverse("dashboard:county", args=[found.pk]) + "#rankings"
        return run_service(
            request, lambda: ranking_notify(actor=request.user, county=found, metric_key=m.key, school_figures=behind),
            _("Notice sent to the admins of %(s)s schools.") % {"s": len(behind)}, to,
        )  # fmt: skip
    rows = [(f, format_value(m, f)) for f in behind]
    return render(request, "dashboard/notify.html", {"county": found, "metric": m, "rows": rows})
