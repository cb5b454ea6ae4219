"""新高考 pages: the 3+1+2 guidance with the helper (public, no login needed; a GET form, better with htmx), and the
county admin's majors table (import, export, add, edit and remove a row).

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.forms import form_errors_text
from xieyu.core.viewhelpers import error_text, run_service

from . import access, services
from .combos import COMBINATIONS, outcome, subject_label
from .forms import ChoiceForm, ImportForm, RequirementForm
from .models import FirstChoice
from .sheet import MAX_BYTES, table_workbook

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def guide(request):
    """The guidance and the helper. Without a choice it explains; with one it lists the majors kept open."""
    county = access.guide_county(request.user, request.GET.get("county"))
    asked = "first" in request.GET or "subjects" in request.GET
    form = ChoiceForm(request.GET if asked else None, initial={"county": county.pk if county else None})
    result, choice = None, ""
    firsts = {value: str(label) for value, label in FirstChoice.choices}
    if asked and form.is_valid():
        first, subjects = form.cleaned_data["first"], form.cleaned_data["subjects"]
        result = outcome(list(access.table_of(county)), first, subjects)
        choice = "+".join([firsts[first], *map(subject_label, subjects)])
    context = {
        "county": county, "form": form, "result": result, "choice": choice, "asked": asked,
        "error": form_errors_text(form) if asked and not form.is_valid() else "",
        "combinations": [(firsts[f], [subject_label(s) for s in pair]) for f, pair in COMBINATIONS],
        "can_maintain": county is not None and county.pk in access.admin_counties(request.user),
    }  # fmt: skip
    if request.htmx and request.htmx.target == "helper-result":
        return render(request, "publicity/gaokao/guide.html#result", context)
    return render(request, "publicity/gaokao/guide.html", context)


def _county_or_404(user):
    county = access.county_to_maintain(user)
    if county is None:
        raise Http404("no table to maintain")
    return county


@login_required
def table(request):
    county = _county_or_404(request.user)
    rows = access.table_of(county)
    q = (request.GET.get("q") or "").strip()[:40]
    if q:
        rows = rows.filter(major__icontains=q) | rows.filter(discipline__icontains=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publicity/gaokao/table.html", {
        "county": county, "page": page, "q": q, "import_form": ImportForm(), "total": access.table_of(county).count(),
    })  # fmt: skip


@login_required
def row_create(request):
    county = _county_or_404(request.user)
    form = RequirementForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.requirement_save(actor=request.user, county=county, fields=form.fields_value())
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The major is added to the table."))
                return redirect("publicity:gaokao_table")
        else:
            messages.error(request, form_errors_text(form))
    return render(request, "publicity/gaokao/row_form.html", {"form": form, "row": None})


@login_required
def row_edit(request, pk):
    row = access.get_requirement_for(request.user, pk, write=True)
    form = RequirementForm(request.POST or None, initial=RequirementForm.initial_of(row))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.requirement_save(actor=request.user, county=row.county, fields=form.fields_value(), row=row)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The major is saved."))
                return redirect("publicity:gaokao_table")
        else:
            messages.error(request, form_errors_text(form))
    return render(request, "publicity/gaokao/row_form.html", {"form": form, "row": row})


@login_required
@require_POST
def row_delete(request, pk):
    row = access.get_requirement_for(request.user, pk, write=True)
    return run_service(request, lambda: services.requirement_delete(actor=request.user, row=row),
                       _("The major is removed from the table."), reverse("publicity:gaokao_table"))  # fmt: skip


@login_required
@require_POST
def table_import(request):
    county = _county_or_404(request.user)
    form = ImportForm(request.POST, request.FILES)
    problems: list[dict] = []
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    elif form.cleaned_data["file"].size > MAX_BYTES:
        messages.error(request, _("The file is larger than %(max)s MB.") % {"max": MAX_BYTES // (1024 * 1024)})
    else:
        try:
            result = services.table_import(actor=request.user, county=county, data=form.cleaned_data["file"].read())
        except services.ImportRefused as exc:
            messages.error(request, error_text(exc))
            problems = exc.problems
        else:
            messages.success(request, _("Imported: %(created)s majors added, %(updated)s updated.")
                             % {"created": result.created, "updated": result.updated})  # fmt: skip
            return redirect("publicity:gaokao_table")
    page = Paginator(access.table_of(county), PAGE_SIZE).get_page(1)
    return render(request, "publicity/gaokao/table.html", {
        "county": county, "page": page, "q": "", "import_form": form, "problems": problems,
        "total": access.table_of(county).count()
    }, status=400)  # fmt: skip


@login_required
def table_export(request):
    county = _county_or_404(request.user)
    data = table_workbook(access.table_of(county))
    response = HttpResponse(data, content_type=XLSX)
    name = f"majors-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
