"""Resource report pages: the school admin's report of the year (draft, figures, submission); the county's table
of every school's report (totals, per-student budget, xlsx export), one report, and returning it with a note."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.audit.services import access_record
from xieyu.core.forms import form_errors_text
from xieyu.core.viewhelpers import error_text, run_service
from xieyu.directory.models import Region

from ..leadership.years import YEAR_MAX, YEAR_MIN, current_year, year_label
from . import access, services
from .export import resources_xlsx
from .forms import ReportForm, ReturnForm

PAGE_SIZE = 20
SORTS = {"school": "school", "planned": "planned", "spent": "spent", "per_student": "per_student", "status": "status"}


def _year(request) -> int:
    raw = request.GET.get("year", "") or request.POST.get("year", "")
    if raw.isascii() and raw.isdigit() and YEAR_MIN <= int(raw) <= YEAR_MAX:
        return int(raw)
    return current_year()


def _report_url(report) -> str:
    return reverse("dashboard:resources_report", args=[report.pk])


@login_required
def resources_home(request):
    """The school admin's own report of the year, or the county admin's table of every school's."""
    year = _year(request)
    county_id = access.reviewed_county(request.user)
    if county_id is not None:
        return _county_table(request, county_id, year)
    school = access.own_school(request.user)
    if school is None:
        raise Http404("no resource reports for this user")
    report = access.own_report(request.user, year)
    if report is None:
        return render(request, "dashboard/resources/mine.html",
                      {"school": school, "year": year, "year_label": year_label(year), "report": None})  # fmt: skip
    return redirect(_report_url(report))


def _county_table(request, county_id: int, year: int):
    rows = access.resources_by_school(county_id, year)
    totals = access.county_totals(rows)
    raw = request.GET.get("sort", "school")
    desc, key = raw.startswith("-"), raw.lstrip("-")
    if key not in SORTS:
        key, desc = "school", False
    if key == "school":
        rows.sort(key=lambda r: r["school"], reverse=desc)
    elif key == "status":
        rows.sort(key=lambda r: r["status"], reverse=desc)
    else:  # figures: the schools without a submitted report last either way
        with_value = [r for r in rows if r.get(key) is not None]
        with_value.sort(key=lambda r: r[key], reverse=desc)
        rows = with_value + [r for r in rows if r.get(key) is None]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/resources/county.html", {
        "page": page, "totals": totals, "year": year, "year_label": year_label(year), "years": [year - 1, year + 1],
        "sort": ("-" if desc else "") + key,
    })  # fmt: skip


@login_required
def resources_export(request):
    county_id = access.reviewed_county(request.user)
    if county_id is None:
        raise Http404("only the county exports resource reports")
    year = _year(request)
    rows = access.resources_by_school(county_id, year)
    county = Region.objects.filter(pk=county_id).first()
    data = resources_xlsx(county.name if county else "", year, rows, access.county_totals(rows))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="resources-{year}.xlsx"'
    return response


@login_required
@require_POST
def report_create(request):
    school = access.own_school(request.user)
    if school is None:
        raise Http404("no school to report for")
    year = _year(request)
    try:
        report = services.report_create(actor=request.user, school=school, year=year)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(reverse("dashboard:resources") + f"?year={year}")
    return redirect(_report_url(report))


@login_required
def report_detail(request, pk):
    report = access.get_report_for(request.user, pk)
    writes = access.reports_written_by(request.user).filter(pk=report.pk).exists()
    reviews = report.county_id == access.reviewed_county(request.user)
    if reviews:
        access_record(actor=request.user, target=report, purpose="resources.report", request=request)
    editable = writes and report.status != report.Status.SUBMITTED
    lines = list(report.budget.all())
    return render(request, "dashboard/resources/report.html", {
        "report": report, "year_label": year_label(report.year), "writes": writes, "editable": editable,
        "form": ReportForm(initial=ReportForm.initial_for(report)) if editable else None,
        "return_form": ReturnForm() if reviews and report.status == report.Status.SUBMITTED else None,
        "lines": lines, "planned": sum(b.planned for b in lines), "spent": sum(b.spent for b in lines),
        "warnings": [b for b in lines if b.overspent],
    })  # fmt: skip


@login_required
@require_POST
def report_update(request, pk):
    report = access.get_report_for(request.user, pk, write=True)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_report_url(report))
    d = form.cleaned_data
    try:
        warnings = services.report_update(
            actor=request.user, report=report, dedicated_staff=d["dedicated_staff"],
            part_time_staff=d["part_time_staff"], coordinator=d["coordinator"], hours=d["hours"], rooms=d["rooms"],
            rooms_other=d["rooms_other"], equipment=d["equipment"], note=d["note"], budget=form.budget(),
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(_report_url(report))
    messages.success(request, _("The report is saved."))
    for warning in warnings:
        messages.warning(request, warning)
    return redirect(_report_url(report))


@login_required
@require_POST
def report_submit(request, pk):
    report = access.get_report_for(request.user, pk, write=True)
    return run_service(request, lambda: services.report_submit(actor=request.user, report=report),
                       _("The report is submitted to the county."), _report_url(report))  # fmt: skip


@login_required
@require_POST
def report_return(request, pk):
    report = access.get_report_for(request.user, pk, review=True)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_report_url(report))
    return run_service(request, lambda: services.report_return(actor=request.user, report=report,
                                                               note=form.cleaned_data["note"]),
                       _("The report is returned to the school."), _report_url(report))  # fmt: skip
