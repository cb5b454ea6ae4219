"""Appraisal pages: the list (school admin: theirs; county: all, by school), open and close, the results (suppressed,
approved comments only), the county's moderation queue, the guardian's answer page (care mode friendly)."""

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

from xieyu.core.viewhelpers import error_text, parse_id

from . import access, services
from .forms import AnswerForm, ModerateForm, OpenForm
from .models import SECTIONS, Section

PAGE_SIZE = 20


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _section_labels():
    return [(s, Section(s).label) for s in SECTIONS]


@login_required
def appraisal_list(request):
    if not access.may_manage(request.user):
        raise Http404("not a manager")
    appraisals = access.appraisals_visible_to(request.user).order_by("-opened_at", "-pk")
    schools = access.schools_for_opening(request.user)
    school_id = parse_id(request.GET.get("school"))
    if school_id is not None:
        appraisals = appraisals.filter(school_id=school_id)
    return render(request, "committees/appraisals/list.html", {
        "page_obj": _page(request, appraisals), "form": OpenForm(schools=schools),
        "is_moderator": access.is_moderator(request.user), "school_id": school_id,
    })  # fmt: skip


@login_required
@require_POST
def appraisal_open(request):
    if not access.may_manage(request.user):
        raise Http404("not a manager")
    form = OpenForm(request.POST, schools=access.schools_for_opening(request.user))
    if form.is_valid():
        try:
            appraisal = services.appraisal_open(
                actor=request.user, school=form.cleaned_data["school"], term=form.cleaned_data["term"]
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The appraisal is open; the school's families can answer it now."))
            return redirect("committees:appraisal_results", appraisal.pk)
    appraisals = access.appraisals_visible_to(request.user).order_by("-opened_at", "-pk")
    return render(request, "committees/appraisals/list.html", {
        "page_obj": _page(request, appraisals), "form": form, "is_moderator": access.is_moderator(request.user),
    }, status=422)  # fmt: skip


@login_required
@require_POST
def appraisal_close(request, pk):
    appraisal = access.get_appraisal_for(request.user, pk, write=True)
    try:
        services.appraisal_close(actor=request.user, appraisal=appraisal)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The appraisal is closed and its results are computed."))
    return redirect("committees:appraisal_results", appraisal.pk)


@login_required
def appraisal_results(request, pk):
    appraisal = access.get_appraisal_for(request.user, pk)
    return render(request, "committees/appraisals/results.html", {
        "appraisal": appraisal, "results": appraisal.results, "sections": _section_labels(),
        "comments": _page(request, access.approved_comments(appraisal)),
        "labels": dict(Section.choices),
    })  # fmt: skip


@login_required
def appraisal_moderation(request):
    if not access.is_moderator(request.user):
        raise Http404("not a moderator")
    return render(request, "committees/appraisals/moderation.html", {
        "page_obj": _page(request, access.comments_to_moderate(request.user)), "form": ModerateForm(),
    })  # fmt: skip


@login_required
@require_POST
def appraisal_moderate(request, pk):
    comment = access.get_comment_for_moderation(request.user, pk)
    form = ModerateForm(request.POST)
    error = ""
    if not form.is_valid():
        error = " ".join(str(e) for errs in form.errors.values() for e in errs)
    else:
        try:
            services.comment_moderate(
                actor=request.user, comment=comment, approve=form.cleaned_data["decision"] == "approve"
            )
        except ValidationError as exc:
            error = error_text(exc)
    if request.htmx:
        return render(request, "committees/appraisals/_comment_row.html",
                      {"c": comment, "error": error, "form": ModerateForm()}, status=422 if error else 200)  # fmt: skip
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The comment is moderated."))
    return redirect("committees:appraisal_moderation")


# --- the guardian's side ----------------------------------------------------------------------------------------


@login_required
def appraisal_family(request):
    """The open appraisals of the guardian's children's schools, one line per child."""
    return render(request, "committees/appraisals/family.html", {"items": access.open_for_guardian(request.user)})


@login_required
def appraisal_answer(request, pk):
    appraisal = access.get_open_appraisal_for_guardian(request.user, pk)
    children = access.children_for_answer(request.user, appraisal)
    answered = access.answered_among(appraisal, children)
    initial_child = parse_id(request.GET.get("student"))
    form = AnswerForm(request.POST or None, children=children,
                      initial={"student": initial_child} if initial_child else None)  # fmt: skip
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.appraisal_answer(
                    actor=request.user, appraisal=appraisal, student=data["student"],
                    ratings={s: data[s] for s in SECTIONS},
                    comments={s: data[f"{s}_comment"] for s in SECTIONS},
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("Thank you. Your answer was recorded without your name."))
                return redirect(reverse("committees:appraisal_family"))
        status = 422
    return render(request, "committees/appraisals/answer.html", {
        "appraisal": appraisal, "form": form, "answered": answered,
        "all_answered": bool(children) and len(answered) >= len(children),
    }, status=status)  # fmt: skip
