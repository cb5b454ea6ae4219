"""Roster import and export pages: only the school's admins and the county admin (schools_managed_by).

Checking and importing run in the worker (tasks.py); the import page polls its progress with htmx.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import roster
from .access import get_school_for, oversees_county, schools_managed_by
from .models import RosterImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEMS_PER_PAGE = 50
RECENT_IMPORTS = 10
SUMMARY_LABELS = {
    "students_new": gettext_lazy("New students"),
    "students_updated": gettext_lazy("Students with changed details"),
    "students_transferred": gettext_lazy("Students moved to another class"),
    "students_unchanged": gettext_lazy("Students unchanged"),
    "guardians_new": gettext_lazy("New guardians"),
    "guardianships_new": gettext_lazy("New guardian bindings"),
    "guardianships_updated": gettext_lazy("Changed guardian bindings"),
}
RUNNING = {RosterImport.Status.UPLOADED, RosterImport.Status.VALIDATING, RosterImport.Status.COMMITTING}


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Roster file (.xlsx)"),
        error_messages={
            "required": gettext_lazy("Choose the roster file (.xlsx) to upload."),
            "empty": gettext_lazy("The file is empty."),
            "invalid": gettext_lazy("Choose the roster file (.xlsx) to upload."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )


def _xlsx_response(data: bytes, file_name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    # An attachment always has a header value (None is only for inline responses without a file name).
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=file_name) or "attachment"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def roster_start(request):
    """A school admin goes straight to their school's page; a county admin (or an admin of several) picks one."""
    schools = list(schools_managed_by(request.user).order_by("kind", "name"))
    if not schools:
        raise Http404("no school to manage")
    if len(schools) == 1 and not oversees_county(request.user):
        return redirect("directory:roster_upload", pk=schools[0].pk)
    return render(request, "directory/roster_start.html", {"schools": schools})


@login_required
@require_http_methods(["GET", "POST"])
def roster_upload(request, pk):
    school = get_school_for(request.user, pk, write=True)
    form = RosterUploadForm()
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                roster.check_upload_size(upload.size)  # before reading it into memory
                roster_import = roster.roster_import_create(
                    actor=request.user, school=school, file_name=upload.name, data=upload.read()
                )
            except roster.RosterFileError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("directory:import_detail", pk=roster_import.pk)
    imports = roster.imports_visible_to(request.user).filter(school=school).select_related("uploaded_by")
    return render(
        request,
        "directory/roster_upload.html",
        {"school": school, "form": form, "imports": imports[:RECENT_IMPORTS]},
    )


@login_required
def roster_template(request, pk):
    school = get_school_for(request.user, pk, write=True)
    data = roster.roster_template_workbook(school=school)
    return _xlsx_response(data, _("%(school)s roster template.xlsx") % {"school": school.name})


@login_required
def roster_export(request, pk):
    school = get_school_for(request.user, pk, write=True)
    data = roster.roster_export_workbook(actor=request.user, school=school, request=request)
    day = timezone.localdate().strftime("%Y%m%d")
    return _xlsx_response(data, _("%(school)s roster %(day)s.xlsx") % {"school": school.name, "day": day})


@login_required
def import_detail(request, pk):
    roster_import = roster.get_import_for(request.user, pk)
    problems = Paginator(roster_import.errors or [], PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    percent = None
    if roster_import.total_rows:
        percent = min(100, round(100 * roster_import.processed_rows / roster_import.total_rows))
    # A commit whose worker died shows the way forward at once (the button frees it, or the scheduler will).
    interrupted = roster_import.commit_interrupted
    note = ""
    if interrupted:
        note = roster.interrupted_note()
    elif roster_import.status == RosterImport.Status.VALID:
        note = roster_import.message
    context = {
        "school": roster_import.school,
        "imp": roster_import,
        "running": roster_import.status in RUNNING and not interrupted,
        "interrupted": interrupted,
        "note": note,
        "percent": percent,
        "problems": problems,
        "hidden_problems": max(0, roster_import.error_count - len(roster_import.errors or [])),
        "summary": [(label, roster_import.summary.get(key, 0)) for key, label in SUMMARY_LABELS.items()]
        if roster_import.summary
        else [],
    }
    template = "directory/roster_import.html"
    if request.htmx:
        template += "#import-panel"
    return render(request, template, context)


@login_required
@require_POST
def import_commit(request, pk):
    roster_import = roster.get_import_for(request.user, pk)
    try:
        roster.roster_import_commit_request(actor=request.user, roster_import=roster_import)
    except roster.NotCommittable:
        messages.error(
            request,
            _("This file cannot be imported: it has problems or is already being imported. Nothing was changed."),
        )
    return redirect("directory:import_detail", pk=roster_import.pk)
