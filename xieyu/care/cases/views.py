"""Case pages: the counsellor's home, the case list, a case at the viewer's level (or the break-the-glass page), opening
a case (from an urgent question or a head teacher's request), the forms of the case page, a head teacher's actions
and request, the supervisor's review list.

Every read and every authorisation goes through access.py (missing and forbidden both answer 404); every write
through services.py; every read of a case is logged with the sections shown (access.case_read_record).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.accounts.models import Role
from xieyu.core.viewhelpers import error_text, parse_id
from xieyu.questions.asking.access import get_question_for
from xieyu.questions.clinics.access import get_clinic_booking_for_expert, may_write_clinic_outcome
from xieyu.questions.viewhelpers import form_errors, page_of

from ..referrals.access import referrals_for_case
from ..registry.access import get_entry_for
from . import access, services
from .forms import (
    ActionDoneForm,
    ActionForm,
    ApprovalDecideForm,
    ApprovalRequestForm,
    CaseOpenForm,
    CaseRequestForm,
    FollowUpForm,
    MoveForm,
    ReasonForm,
    ReassignForm,
    ReferenceForm,
    ReportForm,
    SectionForm,
    ServiceForm,
    ServiceUpdateForm,
    ShareForm,
)
from .models import Case, CaseService, CaseShare, Flag, MandatoryReport, Section

HOME_CASES = 10
HOME_ITEMS = 5


def _case_url(pk) -> str:
    return reverse("care:case_detail", args=[pk])


def _done(request, case_pk, call, success: str):
    """Run a service; its refusal becomes the page's error message (nothing changed), success a message."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect(_case_url(case_pk))


def _invalid(request, form, case_pk):
    messages.error(request, form_errors(form))
    return redirect(_case_url(case_pk))


# --- the counsellor's home ------------------------------------------------------------------------------------------


def counsellor_home(request, acting):
    """What needs the counsellor today: urgent alerts (each with 开案), head teachers' requests, approvals and
    break-glass opens waiting for them as supervisor, their cases by next due date, open flags. A fixed number of
    queries whatever the caseload; the rest is on the case list."""
    user = request.user
    cases: list[Any] = list(access.caseload_of(user)[: HOME_CASES + 1])
    for c in cases:
        c.level = access.FULL  # their own caseload
    approvals = list(access.approvals_waiting_for(user)[: HOME_ITEMS + 1])
    glasses = list(access.break_glass_to_review(user)[: HOME_ITEMS + 1])
    flags = list(access.open_flags_for(user)[: HOME_ITEMS + 1])
    requests = list(access.requests_open_to(user)[: HOME_ITEMS + 1])
    return render(
        request,
        "care/cases/home_counsellor.html",
        {
            "acting": acting,
            "cases": cases[:HOME_CASES],
            "more_cases": len(cases) > HOME_CASES,
            "approvals": approvals[:HOME_ITEMS],
            "more_approvals": len(approvals) > HOME_ITEMS,
            "glasses": glasses[:HOME_ITEMS],
            "more_glasses": len(glasses) > HOME_ITEMS,
            "flags": flags[:HOME_ITEMS],
            "requests": requests[:HOME_ITEMS],
            "more_requests": len(requests) > HOME_ITEMS,
            "today": timezone.localdate(),
        },
    )


# --- lists ----------------------------------------------------------------------------------------------------------


@login_required
def case_list(request):
    """The cases the user may open (no section text), open ones by next due date; ?state= filters."""
    state = request.GET.get("state", "")
    page = page_of(request, access.case_list_for(request.user, state=state))
    page.object_list = access.mark_levels(request.user, page.object_list)
    return render(
        request,
        "care/cases/list.html",
        {"page": page, "state": state, "states": Case.State.choices, "today": timezone.localdate()},
    )


@login_required
def case_review_list(request):
    """The supervisor's list: plans and closures to approve, opens by people not on the case to review."""
    if not access.may_open_cases(request.user) and not access.approvals_waiting_for(request.user).exists():
        raise Http404("not a supervisor")
    return render(
        request,
        "care/cases/review_list.html",
        {
            "approvals": page_of(request, access.approvals_waiting_for(request.user)),
            "glasses": list(access.break_glass_to_review(request.user)[:100]),
            "review_form": ReasonForm(label=_("Review note")),
        },
    )


@login_required
def case_actions(request):
    """What cases ask of a head teacher: the action, the pupil, the case's owner, never the case file."""
    page = page_of(request, access.actions_of(request.user))
    if not page.paginator.count and not access.pupils_for_request(request.user).exists():
        raise Http404("no actions")
    return render(
        request,
        "care/cases/actions.html",
        {"page": page, "done_form": ActionDoneForm(), "requests": list(access.requests_made_by(request.user)[:20])},
    )


@login_required
@require_POST
def case_action_done(request, pk):
    action = access.get_action_for(request.user, pk)
    form = ActionDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            services.action_done(actor=request.user, action=action, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Marked as done; the counsellor is told."))
    return redirect("care:case_actions")


# --- one case -------------------------------------------------------------------------------------------------------


@login_required
def case_detail(request, pk):
    """The case at the viewer's level; a counsellor of the county who is not on it gets the break-the-glass page."""
    try:
        view = access.get_case_for(request.user, pk)
    except Http404:
        case = access.get_case_for_break_glass(request.user, pk)
        form = ReasonForm(label=_("Why do you need to open this case?"))
        return render(request, "care/cases/break_glass.html", {"case": case, "form": form}, status=403)
    access.case_read_record(request.user, view, request=request)
    case = view.case
    context: dict = {
        "view": view,
        "case": case,
        "sections": access.sections_of(view),
        "linked_question": access.linked_question_for(request.user, case),
        **access.case_parts(view),
    }
    if view.level == access.EXISTS:
        context["actions"] = access.actions_on_case_for(request.user, case)
    if view.full:
        written = {s.section for s in context["sections"]}
        context.update(
            {
                "moves": [s for s in case.State if s.value in services.MOVES[case.state]],
                "missing_sections": [s for s in Section if s.value not in written],
                "sensitive": {s.value for s in access.SENSITIVE_SECTIONS},
                "who_viewed": access.who_viewed(request.user, case),
                "referrals": referrals_for_case(request.user, case),
                "may_see_log": access.may_see_who_viewed(request.user, case),
                "is_supervisor": access.is_supervisor(request.user, case),
                "approval_form": ApprovalRequestForm(),
                "service_form": ServiceForm(county_id=case.county_id),
                "share_form": ShareForm(people=_share_people(case)),
                "reassign_form": ReassignForm(
                    owners=access.team_candidates(case.county_id),
                    supervisors=access.team_candidates(case.county_id, roles=(Role.COUNSELLOR, Role.COUNTY_ADMIN)),
                    initial={"owner": case.owner_id, "supervisor": case.supervisor_id},
                ),
                "follow_form": FollowUpForm(),
                "action_form": ActionForm(),
                "decide_form": ApprovalDecideForm(),
                "service_update_form": ServiceUpdateForm(),
                "today": timezone.localdate(),
            }
        )
    elif access.may_break_glass(request.user, case):
        context["may_break_glass"] = True
    return render(request, "care/cases/detail.html", context)


@login_required
@require_POST
def case_break_glass(request, pk):
    case = access.get_case_for_break_glass(request.user, pk)
    form = ReasonForm(request.POST, message=_("State in 10 to 300 characters why you need to open this case."))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_case_url(pk))
    if access.cases_in_full_for(request.user).filter(pk=case.pk).exists():
        return redirect(_case_url(pk))
    return _done(
        request, pk,
        lambda: services.break_glass_open(actor=request.user, case=case, reason=form.cleaned_data["reason"]),
        _("The case is open to you for a while. Your reason is logged and the supervisor will review it."),
    )  # fmt: skip


@login_required
@require_POST
def case_glass_review(request, pk):
    glass = access.get_glass_to_review(request.user, pk)
    form = ReasonForm(request.POST, message=_("Write a review note of 2 to 300 characters."))
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            services.break_glass_review(actor=request.user, glass=glass, note=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Reviewed."))
    return redirect("care:case_review_list")


# --- opening a case -------------------------------------------------------------------------------------------------


def _supervisors(user, county_id: int) -> list:
    people = access.team_candidates(county_id, roles=(Role.COUNSELLOR, Role.COUNTY_ADMIN))
    return [u for u in people if u.pk != user.pk]


@login_required
def case_open(request):
    """Open a case about a child, from an urgent question (?question=<id>, fetched through the questions' access) or
    from the child's registry entry (?entry=<id>: a home visit, a partner's report, a registry review, fetched
    through the registry's access): the child and a title come from there, the counsellor owns the case and
    chooses the supervisor."""
    if not access.may_open_cases(request.user):
        raise Http404("not a counsellor")
    question = entry = None
    if (qid := parse_id(request.GET.get("question") or request.POST.get("question"))) is not None:
        question = get_question_for(request.user, qid)
        student, county_id, title = question.student, question.county_id, question.title
    elif (eid := parse_id(request.GET.get("entry") or request.POST.get("entry"))) is not None:
        entry = get_entry_for(request.user, eid)
        student, county_id, title = entry.student, entry.county_id, _("Care for a registered child")
    else:
        raise Http404("no question and no registry entry")
    if county_id not in access.counties_counselled(request.user):
        raise Http404("a child of another county")
    existing = access.open_case_of_student(request.user, student.pk)
    initial = {"title": title[:80], "risk": "high" if question is not None and question.is_urgent else "medium"}
    form = CaseOpenForm(
        request.POST or None, supervisors=_supervisors(request.user, county_id), initial=initial,
        from_entry=entry is not None,
    )  # fmt: skip
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                actor=request.user, student=student, origin=data.get("origin") or Case.Origin.URGENT_QUESTION,
                title=data["title"], owner=request.user, supervisor=form.supervisors[data["supervisor"]],
                risk=data["risk"], question=question, entry=entry, summary=data["summary"],
            )  # fmt: skip
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("The case is open. Write the assessment, then the plan."))
            return redirect(_case_url(case.pk))
    elif request.method == "POST":
        error = form_errors(form)
    return render(
        request,
        "care/cases/open.html",
        {"form": form, "question": question, "entry": entry, "student": student, "error": error,
         "existing": existing},
        status=422 if request.method == "POST" else 200,
    )  # fmt: skip


@login_required
def case_request(request):
    """Ask the county's counsellors for a case: a head teacher about a pupil of their class, or the expert after a
    clinic appointment they held (?booking=<id>, fetched through the clinics' access)."""
    booking = None
    if (bid := parse_id(request.GET.get("booking") or request.POST.get("booking"))) is not None:
        booking = get_clinic_booking_for_expert(request.user, bid)
        if not may_write_clinic_outcome(request.user, booking):
            raise Http404("not the expert of this appointment")
        pupils = [booking.student]
    else:
        pupils = list(access.pupils_for_request(request.user))
    if not pupils:
        raise Http404("not a head teacher")
    initial = {"student": booking.student_id if booking else parse_id(request.GET.get("student"))}
    form = CaseRequestForm(request.POST or None, pupils=pupils, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.case_request_create(
                actor=request.user, student=form.pupils[form.cleaned_data["student"]],
                concern=form.cleaned_data["concern"], clinic_booking=booking,
            )  # fmt: skip
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("Sent to the county's counsellors. You will see the case once one takes it."))
            if booking is not None:
                return redirect("questions:clinic_appointment", booking.pk)
            return redirect("care:case_actions")
    elif request.method == "POST":
        error = form_errors(form)
    status = 422 if request.method == "POST" else 200
    return render(request, "care/cases/request.html", {"form": form, "error": error, "booking": booking}, status=status)


@login_required
def case_claim(request, pk):
    """A counsellor takes a head teacher's request: the case opens in intake, owned by them."""
    found = access.get_request_to_claim(request.user, pk)
    supervisors = _supervisors(request.user, found.county_id)
    form = CaseOpenForm(request.POST or None, supervisors=supervisors,
                        initial={"title": _("Concern about %(name)s") % {"name": found.student.name}})  # fmt: skip
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_request_claim(
                actor=request.user, case_request=found, supervisor=form.supervisors[data["supervisor"]],
                title=data["title"], risk=data["risk"], summary=data["summary"],
            )  # fmt: skip
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("The case is open. Write the assessment, then the plan."))
            return redirect(_case_url(case.pk))
    elif request.method == "POST":
        error = form_errors(form)
    status = 422 if request.method == "POST" else 200
    return render(request, "care/cases/claim.html", {"form": form, "req": found, "error": error}, status=status)


# --- the case page's forms (every one for those who read the case in full) -----------------------------------------


@login_required
@require_POST
def case_section(request, pk):
    case = access.get_case_in_full(request.user, pk)
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, pk)
    d = form.cleaned_data
    return _done(
        request, pk, lambda: services.case_section_write(actor=request.user, case=case, section=d["section"],
                                                         body=d["body"]),
        _("Section saved."),
    )  # fmt: skip


@login_required
@require_POST
def case_move(request, pk):
    case = access.get_case_in_full(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, pk)
    d = form.cleaned_data
    if case.state == case.State.CLOSED:
        return _done(
            request, pk, lambda: services.case_reopen(actor=request.user, case=case, reason=d["reason"],
                                                      version=d["version"]),
            _("The case is reopened for review."),
        )  # fmt: skip
    return _done(
        request, pk,
        lambda: services.case_move(actor=request.user, case=case, to_state=d["to_state"], version=d["version"]),
        _("The case has moved on."),
    )  # fmt: skip


@login_required
@require_POST
def case_approval(request, pk):
    case = access.get_case_in_full(request.user, pk)
    form = ApprovalRequestForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, pk)
    d = form.cleaned_data
    return _done(
        request, pk, lambda: services.approval_request(actor=request.user, case=case, kind=d["kind"], text=d["text"]),
        _("Sent to the supervisor for approval."),
    )  # fmt: skip


@login_required
@require_POST
def case_approval_decide(request, pk):
    approval = access.get_approval_to_decide(request.user, pk)
    form = ApprovalDecideForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, approval.case_id)
    d = form.cleaned_data
    approve = d["decision"] == "approve"
    return _done(
        request, approval.case_id,
        lambda: services.approval_decide(actor=request.user, approval=approval, approve=approve,
                                         comment=d["comment"]),
        _("Approved.") if approve else _("Rejected; the owner is told why."),
    )  # fmt: skip


@login_required
@require_POST
def case_service(request, pk):
    case = access.get_case_in_full(request.user, pk)
    form = ServiceForm(request.POST, county_id=case.county_id)
    if not form.is_valid():
        return _invalid(request, form, pk)
    return _done(
        request, pk, lambda: services.service_add(actor=request.user, case=case, **form.cleaned_data),
        _("Service added."),
    )  # fmt: skip


@login_required
@require_POST
def case_service_update(request, pk, item):
    view = access.get_case_for(request.user, pk)
    service = access.part_of_case(view, CaseService, item)
    form = ServiceUpdateForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, pk)
    return _done(
        request, pk, lambda: services.service_update(actor=request.user, service=service, **form.cleaned_data),
        _("Service updated."),
    )  # fmt: skip


@login_required
@require_POST
def case_follow_up(request, pk):
    case = access.get_case_in_full(request.user, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, pk)
    return _done(
        request, pk, lambda: services.follow_up_add(actor=request.user, case=case, **form.cleaned_data),
        _("Follow-up recorded."),
    )  # fmt: skip


@login_required
@require_POST
def case_flag(request, pk):
    case = access.get_case_in_full(request.user, pk)
    form = ReasonForm(request.POST, message=_("Give the flag's reason in 4 to 200 characters."))
    if not form.is_valid():
        return _invalid(request, form, pk)
    return _done(
        request, pk, lambda: services.flag_raise(actor=request.user, case=case, reason=form.cleaned_data["reason"]),
        _("Flag raised."),
    )  # fmt: skip


@login_required
@require_POST
def case_flag_lift(request, pk, item):
    flag = access.part_of_case(access.get_case_for(request.user, pk), Flag, item)
    form = ReasonForm(request.POST, message=_("Say in 4 to 200 characters why the flag is lifted."))
    if not form.is_valid():
        return _invalid(request, form, pk)
    return _done(
        request, pk, lambda: services.flag_lift(actor=request.user, flag=flag, reason=form.cleaned_data["reason"]),
        _("Flag lifted."),
    )  # fmt: skip


def _share_people(case) -> list:
    """Whom the case may be shared with from its page: the county's counsellors and experts not already on it."""
    people = access.team_candidates(case.county_id, roles=(Role.COUNSELLOR, Role.EXPERT))
    return [u for u in people if u.pk not in (case.owner_id, case.supervisor_id)]


@login_required
@require_POST
def case_reassign(request, pk):
    case = access.get_case_in_full(request.user, pk)
    form = ReassignForm(
        request.POST,
        owners=access.team_candidates(case.county_id),
        supervisors=access.team_candidates(case.county_id, roles=(Role.COUNSELLOR, Role.COUNTY_ADMIN)),
    )
    if not form.is_valid():
        return _invalid(request, form, pk)
    d = form.cleaned_data
    return _done(
        request, pk,
        lambda: services.case_reassign(actor=request.user, case=case, owner=form.people[d["owner"]],
                                       supervisor=form.people[d["supervisor"]]),
        _("The case has a new owner or supervisor."),
    )  # fmt: skip


@login_required
@require_POST
def case_share(request, pk):
    case = access.get_case_in_full(request.user, pk)
    form = ShareForm(request.POST, people=_share_people(case))
    if not form.is_valid():
        return _invalid(request, form, pk)
    d = form.cleaned_data
    return _done(
        request, pk,
        lambda: services.case_share(actor=request.user, case=case, user=form.people[d["user"]], reason=d["reason"]),
        _("The case is shared."),
    )  # fmt: skip


@login_required
@require_POST
def case_share_end(request, pk, item):
    share = access.part_of_case(access.get_case_for(request.user, pk), CaseShare, item)
    return _done(request, pk, lambda: services.case_share_end(actor=request.user, share=share), _("Sharing ended."))


@login_required
@require_POST
def case_action(request, pk):
    """Ask the head teacher of the child's class to do something."""
    case = access.get_case_in_full(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, pk)
    teachers = list(access.team_candidates_for_class(case))
    if not teachers:
        messages.error(request, _("The child's class has no head teacher on the platform."))
        return redirect(_case_url(pk))
    d = form.cleaned_data
    return _done(
        request, pk,
        lambda: services.action_ask(actor=request.user, case=case, assignee=teachers[0], text=d["text"],
                                    due_on=d["due_on"]),
        _("Asked of the head teacher."),
    )  # fmt: skip


# --- mandatory reports ----------------------------------------------------------------------------------------------


@login_required
def case_report(request, pk):
    """A report of suspected abuse, neglect or violence (未成年人保护法 第十一条): the text comes pre-filled; no consent is
    needed and the page says so."""
    case = access.get_case_in_full(request.user, pk)
    concern = request.POST.get("concern") or request.GET.get("concern") or MandatoryReport.Concern.NEGLECT
    initial = {
        "concern": concern,
        "reported_at": timezone.localtime().replace(second=0, microsecond=0),
        "body": services.mandatory_report_template(case, concern=concern, seen_by=request.user),
    }
    form = ReportForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.mandatory_report_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(
                request, _("The report is recorded. Add the recipient's reference number when you have it.")
            )
            return redirect(_case_url(pk))
    elif request.method == "POST":
        error = form_errors(form)
    status = 422 if request.method == "POST" else 200
    return render(request, "care/cases/report.html", {"case": case, "form": form, "error": error}, status=status)


@login_required
@require_POST
def case_report_reference(request, pk, item):
    report = access.part_of_case(access.get_case_for(request.user, pk), MandatoryReport, item)
    form = ReferenceForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, pk)
    return _done(
        request, pk,
        lambda: services.mandatory_report_reference(actor=request.user, report=report,
                                                    reference_number=form.cleaned_data["reference_number"]),
        _("Reference number recorded."),
    )  # fmt: skip
