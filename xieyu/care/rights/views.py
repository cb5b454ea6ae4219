"""The guardian's own rights over their child's care record (未成年人网络保护条例 §34): the record and its access
log (care:rights_child), a copy as .xlsx (care:rights_child_export) or to print (care:rights_child_print), a
correction or deletion request (care:rights_request_new); the school admin's list (care:rights_requests) and answer
(care:rights_request_answer). Reads through access.py (404 alike for missing and forbidden), writes through
services.py; every read of the record is logged."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xieyu.audit.services import access_record
from xieyu.core.viewhelpers import error_text

from . import access, services
from .export import record_xlsx, section_labels, what_was_read
from .forms import RightsAnswerForm, RightsRequestForm

LOG_PAGE = 20
EXPORT_LOG_ROWS = 5000


def _log_rows(events) -> list[dict]:
    return [{"at": ev.at, "roles": "、".join(access.roles_read_as(ev.actor_roles)) or _("staff"),
             "what": what_was_read(ev.target_type)} for ev in events]  # fmt: skip


def _child_page(request, child, *, form=None, error="", status=200, template="care/rights/child.html"):
    record = access.child_record(child)
    log_page = Paginator(access.access_log_of(record), LOG_PAGE).get_page(request.GET.get("page"))
    access_record(actor=request.user, target=child, purpose="care.rights.view", request=request)
    consents = [{"consent": c, "state": access.consent_state(c), "sections": "、".join(section_labels(c.sections))}
                for c in record.consents]  # fmt: skip
    return render(request, template, {
        "child": child, "record": record, "consents": consents, "log_page": log_page,
        "log": _log_rows(log_page.object_list), "form": form or RightsRequestForm(), "error": error,
    }, status=status)  # fmt: skip


@login_required
@require_GET
def rights_child(request, pk):
    return _child_page(request, access.get_rights_child_for(request.user, pk))


@login_required
@require_GET
def rights_child_print(request, pk):
    return _child_page(request, access.get_rights_child_for(request.user, pk), template="care/rights/print.html")


@login_required
@require_GET
def rights_child_export(request, pk):
    child = access.get_rights_child_for(request.user, pk)
    record = access.child_record(child)
    log = list(access.access_log_of(record)[:EXPORT_LOG_ROWS])
    access_record(actor=request.user, target=child, purpose="care.rights.export", request=request)
    response = HttpResponse(record_xlsx(record, log),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="care-record-{child.pk}.xlsx"'
    return response


@login_required
@require_POST
def rights_request_new(request, pk):
    child = access.get_rights_child_for(request.user, pk)
    form = RightsRequestForm(request.POST)
    if not form.is_valid():
        return _child_page(request, child, form=form, error=_form_errors(form), status=422)
    try:
        services.rights_request_create(actor=request.user, student=child, kind=form.cleaned_data["kind"],
                                       detail=form.cleaned_data["detail"])  # fmt: skip
    except ValidationError as exc:
        return _child_page(request, child, form=form, error=error_text(exc), status=422)
    messages.success(request, _("Your request is sent to the school; it answers within 10 working days."))
    return redirect("care:rights_child", pk=child.pk)


def _form_errors(form) -> str:
    return " ".join(f"{form.fields[name].label}: {e}" if name in form.fields else str(e)
                    for name, errs in form.errors.items() for e in errs)  # fmt: skip


@login_required
@require_GET
def rights_requests(request):
    if not access.answers_requests(request.user):
        raise Http404("not a school admin")
    page = Paginator(access.rights_requests_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "care/rights/requests.html", {"page": page})


@login_required
def rights_request_answer(request, pk):
    rights_request = access.get_rights_request_for(request.user, pk)
    form = RightsAnswerForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rights_request_answer(actor=request.user, request=rights_request,
                                               done=form.cleaned_data["outcome"] == "done",
                                               answer=form.cleaned_data["answer"])  # fmt: skip
            except ValidationError as exc:
                error = error_text(exc)
            else:
                messages.success(request, _("Answered; the guardian is told."))
                return redirect("care:rights_requests")
        else:
            error = _form_errors(form)
    access_record(actor=request.user, target=rights_request.student, purpose="care.rights_request", request=request)
    status = 422 if request.method == "POST" else 200
    return render(request, "care/rights/answer.html", {"req": rights_request, "form": form, "error": error},
                  status=status)  # fmt: skip
