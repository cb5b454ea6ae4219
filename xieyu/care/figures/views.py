"""The county's care figures: the page (care:figures), its .xlsx export (care:figures_export) and "refresh now"
(care:figures_refresh). The page reads the stored rollups only (one query, whatever the county's size) and says
when they were computed; every cell comes suppressed from the rollup (xieyu/core/suppression.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xieyu.core.viewhelpers import parse_id

from . import access
from .display import figures_of, legend
from .export import figures_xlsx
from .tasks import care_rollups_refresh

SCHOOL_TABLE = "registry_by_school"
SCHOOL_ROWS = 20  # the school table's rows per page (a county has 40 schools for each unit of scale)


def _county(request):
    wanted = request.GET.get("county") or request.POST.get("county")
    county_id = parse_id(wanted) if wanted else None
    if wanted and county_id is None:
        raise Http404("county not found")
    return access.get_figures_county_for(request.user, county_id)


@login_required
@require_GET
def figures(request):
    county = _county(request)
    figs = figures_of(county)
    sections = []
    school_page = None
    for title, items in figs.sections():
        shown = []
        for f in items:
            grid = f.grid()
            if f.name == SCHOOL_TABLE:
                school_page = Paginator(grid[1:-1], SCHOOL_ROWS).get_page(request.GET.get("page"))
                grid = [grid[0], *school_page.object_list, grid[-1]]
            shown.append({"figure": f, "head": grid[0], "body": grid[1:-1], "foot": grid[-1]})
        sections.append({"title": title, "figures": shown})
    return render(request, "care/figures/figures.html", {
        "county": county, "figs": figs, "sections": sections, "school_page": school_page, "legend": legend(),
        "may_refresh": access.may_refresh(request.user, county),
    })  # fmt: skip


@login_required
@require_GET
def figures_export(request):
    county = _county(request)
    data = figures_xlsx(figures_of(county))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="care-figures-{county.pk}.xlsx"'
    return response


@login_required
@require_POST
def figures_refresh(request):
    county = _county(request)
    if not access.may_refresh(request.user, county):
        raise Http404("county not found")
    care_rollups_refresh.enqueue(county.pk)
    messages.success(request, _("The figures are being recomputed; reload this page in a minute."))
    return redirect("care:figures")
