"""Typical case pages: the library (published cases of the county, searchable by theme, school type and words),
a case's page (with its review actions for the school or county admin), writing and editing a case, its photos,
and the worklist of cases not yet published.

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.forms import form_errors_text
from xieyu.core.uploads import download_name, serve_file, type_of_stored
from xieyu.core.viewhelpers import error_text, run_service

from . import access, services
from .forms import CaseForm, CaseSearchForm, PhotoForm, ReturnForm

PAGE_SIZE = 10


def _detail(case) -> str:
    return reverse("publicity:case_detail", args=[case.pk])


@login_required
def case_list(request):
    user = request.user
    form = CaseSearchForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    qs = access.library(user, theme=filters.get("theme") or "", school_type=filters.get("school_type") or "",
                        q=(filters.get("q") or "").strip())  # fmt: skip
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "publicity/cases/list.html", {
        "form": form, "page": page, "query": query.urlencode(), "may_write": access.may_write(user),
        "has_worklist": access.may_write(user) or bool(access.admin_counties(user)),
    })  # fmt: skip


@login_required
def worklist(request):
    user = request.user
    if not (access.may_write(user) or access.admin_counties(user)):
        raise Http404("no cases to work on")
    page = Paginator(access.worklist(user), 20).get_page(request.GET.get("page"))
    return render(request, "publicity/cases/worklist.html", {"page": page, "may_write": access.may_write(user)})


@login_required
def case_detail(request, pk):
    user = request.user
    case = access.get_case_for(user, pk)
    can_edit = access.can_edit(user, case)
    return render(request, "publicity/cases/detail.html", {
        "case": case, "photos": access.photos_of(case), "can_edit": can_edit,
        "can_submit": access.can_submit(user, case), "can_school_review": access.can_school_review(user, case),
        "can_county_review": access.can_county_review(user, case),
        "return_form": ReturnForm() if access.can_school_review(user, case) or access.can_county_review(user, case)
        else None,
        "photo_form": PhotoForm() if can_edit and len(access.photos_of(case)) < services.MAX_PHOTOS else None,
    })  # fmt: skip


@login_required
def case_create(request):
    school = access.school_to_write_for(request.user)
    if school is None:
        raise Http404("no school to write a case for")
    form = CaseForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                case = services.case_create(actor=request.user, school=school, fields=form.fields_value())
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The case is saved as a draft: add photos, then submit it."))
                return redirect(_detail(case))
        else:
            messages.error(request, form_errors_text(form))
    return render(request, "publicity/cases/form.html", {"form": form, "case": None, "school": school})


@login_required
def case_edit(request, pk):
    case = access.get_case_for(request.user, pk, write=True)
    form = CaseForm(request.POST or None, initial=CaseForm.initial_of(case))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.case_update(actor=request.user, case=case, fields=form.fields_value())
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The case is saved."))
                return redirect(_detail(case))
        else:
            messages.error(request, form_errors_text(form))
    return render(request, "publicity/cases/form.html", {"form": form, "case": case, "school": case.school})


@login_required
@require_POST
def case_submit(request, pk):
    case = access.get_case_for(request.user, pk, write=True)
    if not access.can_submit(request.user, case):
        raise Http404("not yours to submit")
    return run_service(request, lambda: services.case_submit(actor=request.user, case=case),
                       _("The case is submitted for review."), _detail(case))  # fmt: skip


@login_required
@require_POST
def case_approve(request, pk):
    case = access.get_case_for(request.user, pk)
    if not access.can_school_review(request.user, case):
        raise Http404("not waiting for this school admin")
    return run_service(request, lambda: services.case_school_approve(actor=request.user, case=case),
                       _("The case is passed on to the county."), _detail(case))  # fmt: skip


@login_required
@require_POST
def case_publish(request, pk):
    case = access.get_case_for(request.user, pk)
    if not access.can_county_review(request.user, case):
        raise Http404("not waiting for this county admin")
    return run_service(request, lambda: services.case_publish(actor=request.user, case=case),
                       _("The case is published in the library."), _detail(case))  # fmt: skip


@login_required
@require_POST
def case_return(request, pk):
    case = access.get_case_for(request.user, pk)
    if not (access.can_school_review(request.user, case) or access.can_county_review(request.user, case)):
        raise Http404("not waiting for this reviewer")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_detail(case))
    return run_service(request, lambda: services.case_return(actor=request.user, case=case,
                                                             note=form.cleaned_data["note"]),
                       _("The case is returned to its author."), _detail(case))  # fmt: skip


@login_required
@require_POST
def photo_add(request, pk):
    case = access.get_case_for(request.user, pk, write=True)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_detail(case))
    return run_service(request, lambda: services.case_photo_add(actor=request.user, case=case,
                                                                upload=form.cleaned_data["file"],
                                                                caption=form.cleaned_data["caption"]),
                       _("The photo is added."), _detail(case))  # fmt: skip


@login_required
def photo_file(request, pk):
    photo = access.get_photo_for(request.user, pk)
    file_type = type_of_stored(photo.file.name)
    name = download_name(photo.name, file_type) if file_type else photo.name
    return serve_file(photo.file, filename=name, file_type=file_type)


@login_required
@require_POST
def photo_remove(request, pk):
    photo = access.get_photo_for(request.user, pk)
    case = access.get_case_for(request.user, photo.case_id, write=True)
    return run_service(request, lambda: services.case_photo_remove(actor=request.user, photo=photo),
                       _("The photo is removed."), _detail(case))  # fmt: skip
