"""双减 report pages: the family files one and follows hers; the county's inbox and the report page (acknowledge,
handle with an outcome, send the school a summary without identity)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.viewhelpers import error_text
from xieyu.deadlines.services import deadline_for

from . import access, services
from .forms import HandleForm, ReportForm, SummaryForm
from .models import BurdenReport

PAGE_SIZE = 20


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def report_new(request):
    children = access.children_for_reporting(request.user)
    child_list = list(children)
    if not child_list:
        raise Http404("no child")
    form = ReportForm(request.POST or None, children=children)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                report = services.report_file(
                    actor=request.user, student=d["student"], kind=d["kind"], what_happened=d["what_happened"],
                    happened_on=d["happened_on"], school_class=d["school_class"],
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(
                    request, _("Your report went to the county education bureau. The school will not see who reported.")
                )
                return redirect("burden:report_detail", report.pk)
        status = 422
    return render(request, "burden/reports/new.html",
                  {"form": form, "mine": _page(request, access.reports_of(request.user))}, status=status)  # fmt: skip


@login_required
def report_inbox(request):
    if not access.handles_reports(request.user):
        raise Http404("not the county")
    state = request.GET.get("state", "")
    reports = access.inbox_of(request.user)
    if state in BurdenReport.State.values:
        reports = reports.filter(state=state)
    return render(request, "burden/reports/inbox.html", {
        "page_obj": _page(request, reports), "state": state, "states": BurdenReport.State.choices,
    })  # fmt: skip


@login_required
def report_detail(request, pk):
    report = access.get_report_for(request.user, pk)
    county = access.handles_report(request.user, report)
    return render(request, "burden/reports/detail.html", {
        "report": report, "county": county, "deadline": deadline_for(report) if county else None,
        "handle_form": HandleForm(), "summary_form": SummaryForm(),
    })  # fmt: skip


@login_required
@require_POST
def report_act(request, pk):
    report = access.get_report_for(request.user, pk, write=True)
    action = request.POST.get("action", "")
    try:
        if action == "acknowledge":
            services.report_acknowledge(actor=request.user, report=report)
            messages.success(request, _("The report is acknowledged; the family was told."))
        elif action == "handle":
            handle = HandleForm(request.POST)
            if not handle.is_valid():
                raise ValidationError(list(handle.errors["outcome"]))
            services.report_handle(actor=request.user, report=report, outcome=handle.cleaned_data["outcome"])
            messages.success(request, _("The report is handled; the family was told the outcome."))
        elif action == "summary":
            summary = SummaryForm(request.POST)
            if not summary.is_valid():
                raise ValidationError(list(summary.errors["summary"]))
            services.report_summary_send(actor=request.user, report=report, summary=summary.cleaned_data["summary"])
            messages.success(
                request, _("The summary went to the school's administrators, without the family's identity.")
            )
        else:
            raise ValidationError(_("Action: choose acknowledge, handle or send a summary."))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("burden:report_detail", report.pk)
