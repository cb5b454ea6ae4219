"""Inquiry and concern pages: the scoped list (guardians and staff alike), raising one, its page with the school's,
the inquirers' and the county's actions, the county's overview; a family's private concern, the inbox of the
school's discipline office and the county, and a concern's page (every staff read logged)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.audit.services import access_record
from xieyu.core.viewhelpers import error_text
from xieyu.notices.messages import messages_read_for

from ..access import guardian_units
from . import access, services
from .forms import AnswerForm, ConcernForm, InquiryForm, OutcomeForm, PauseForm, SignForm, TextForm, ThresholdForm
from .models import Concern, Inquiry

PAGE_SIZE = 20


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _refused(request, exc: ValidationError) -> None:
    messages.error(request, error_text(exc))


def _back(inquiry: Inquiry):
    return redirect("committees:inquiry_detail", pk=inquiry.pk)


def _act(request, inquiry: Inquiry, service: Callable[..., object], done: str, **fields):
    """One step of the inquiry by the user (service(actor=, inquiry=, **fields)); a refusal becomes the page's error
    message and changes nothing; either way back to the inquiry."""
    try:
        service(actor=request.user, inquiry=inquiry, **fields)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return _back(inquiry)


# --- inquiries -----------------------------------------------------------------------------------------------


@login_required
def inquiry_list(request):
    state = request.GET.get("state", "")
    page = _page(request, access.inquiry_list_for(request.user, state=state))
    access.attach_clocks(list(page.object_list))
    context = {
        "page": page,
        "state": state,
        "states": Inquiry.State.choices,
        "can_raise": bool(guardian_units(request.user)),
        "now": timezone.now(),
    }
    if request.htmx:
        return render(request, "committees/inquiries/list.html#rows", context)
    return render(request, "committees/inquiries/list.html", context)


@login_required
def inquiry_new(request):
    units = access.units_for_raising(request.user)
    resolutions = list(access.resolutions_for_filing(request.user))
    if not units and not resolutions:
        raise Http404("no unit to raise an inquiry on")
    form = InquiryForm(request.POST or None, units=units, resolutions=resolutions)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data.get("resolution"):
                    resolution = access.get_resolution_for_filing(request.user, data.get("resolution_id"))
                    inquiry = services.inquiry_file_by_committee(
                        actor=request.user, resolution=resolution, subject=data["subject"], title=data["title"],
                        facts=data["facts"], asked=data["asked"],
                    )  # fmt: skip
                    messages.success(request, _("The committee's inquiry is filed; the school's clock is running."))
                else:
                    inquiry = services.inquiry_draft_create(
                        actor=request.user, level=data["level"], unit_id=data["unit_id"], subject=data["subject"],
                        title=data["title"], facts=data["facts"], asked=data["asked"], show_name=data["show_name"],
                    )  # fmt: skip
                    messages.success(request, _("Your inquiry is open for co-signatures by the unit's guardians."))
                return _back(inquiry)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
        status = 422
    return render(request, "committees/inquiries/new.html", {"form": form}, status=status)


def _detail(request, inquiry: Inquiry, *, forms: dict | None = None, status: int = 200):
    user = request.user
    parts = access.detail_parts(inquiry)
    can_answer = access.inquiries_answered_by(user).filter(pk=inquiry.pk).exists()
    can_direct = access.inquiries_directed_by(user).filter(pk=inquiry.pk).exists()
    inquirer = access.is_inquirer(user, inquiry)
    signature = access.my_signature(user, inquiry) if inquiry.state == Inquiry.State.DRAFT else None
    can_sign = (
        inquiry.state == Inquiry.State.DRAFT
        and signature is None
        and inquiry.pk in set(access.drafts_to_sign(user).filter(pk=inquiry.pk).values_list("pk", flat=True))
    )
    forms = forms or {}
    context = {
        "inquiry": inquiry,
        **parts,
        "now": timezone.now(),
        "can_answer": can_answer,
        "can_direct": can_direct,
        "inquirer": inquirer,
        "signature": signature,
        "can_sign": can_sign,
        "can_withdraw": inquiry.proposer_user_id == user.pk
        and (inquiry.state == Inquiry.State.DRAFT or (inquiry.is_open and not parts["answers"])),
        "followed_up": any(r.kind == "follow_up" for r in parts["rounds"]),
        "directed": any(r.kind == "county" for r in parts["rounds"]),
        "sign_form": SignForm(),
        "pause_form": forms.get("pause") or PauseForm(),
        "answer_form": forms.get("answer") or AnswerForm(),
        "follow_form": forms.get("follow") or TextForm(),
        "direct_form": forms.get("direct") or TextForm(),
    }
    return render(request, "committees/inquiries/detail.html", context, status=status)


@login_required
def inquiry_detail(request, pk: int):
    inquiry = access.get_inquiry_for(request.user, pk)
    messages_read_for(user=request.user, link=request.path)
    return _detail(request, inquiry)


@login_required
@require_POST
def inquiry_sign(request, pk: int):
    inquiry = access.get_inquiry_for(request.user, pk)
    form = SignForm(request.POST)
    form.is_valid()
    try:
        services.inquiry_sign(actor=request.user, inquiry=inquiry, show_name=form.cleaned_data.get("show_name", False))
    except ValidationError as exc:
        _refused(request, exc)
    else:
        inquiry.refresh_from_db()
        if inquiry.state == Inquiry.State.DRAFT:
            messages.success(request, _("Thank you: your co-signature is counted."))
        else:
            messages.success(request, _("Thank you: with your co-signature the inquiry is filed with the school."))
    return _back(inquiry)


@login_required
@require_POST
def inquiry_unsign(request, pk: int):
    inquiry = access.get_inquiry_for(request.user, pk)
    return _act(request, inquiry, services.inquiry_unsign, _("Your co-signature is taken back."))


@login_required
@require_POST
def inquiry_withdraw(request, pk: int):
    inquiry = access.get_inquiry_for(request.user, pk)
    return _act(
        request,
        inquiry,
        services.inquiry_withdraw,
        _("The inquiry is withdrawn."),
        reason=request.POST.get("reason", "")[:200],
    )


@login_required
@require_POST
def inquiry_acknowledge(request, pk: int):
    inquiry = access.get_inquiry_for(request.user, pk, write=True)
    return _act(
        request,
        inquiry,
        services.inquiry_acknowledge,
        _("Acknowledged: the inquirers are told. The answer is due by the date shown."),
    )


@login_required
@require_POST
def inquiry_pause(request, pk: int):
    inquiry = access.get_inquiry_for(request.user, pk, write=True)
    form = PauseForm(request.POST)
    if not form.is_valid():
        return _detail(request, inquiry, forms={"pause": form}, status=422)
    return _act(
        request,
        inquiry,
        services.inquiry_pause,
        _("The clock is paused; the inquirers see your reason."),
        reason=form.cleaned_data["reason"],
    )


@login_required
@require_POST
def inquiry_resume(request, pk: int):
    inquiry = access.get_inquiry_for(request.user, pk, write=True)
    return _act(request, inquiry, services.inquiry_resume, _("The clock runs again."))


@login_required
@require_POST
def inquiry_answer(request, pk: int):
    inquiry = access.get_inquiry_for(request.user, pk, write=True)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, inquiry, forms={"answer": form}, status=422)
    service = services.inquiry_answer_amend if request.POST.get("amend") else services.inquiry_answer
    return _act(
        request,
        inquiry,
        service,
        _("The signed answer is published to the unit's guardians."),
        **form.cleaned_data,
    )


@login_required
@require_POST
def inquiry_accept(request, pk: int):
    inquiry = access.get_inquiry_for(request.user, pk)
    if not access.is_inquirer(request.user, inquiry):
        raise Http404("inquiry not found")
    return _act(request, inquiry, services.inquiry_accept, _("You accepted the answer."))


@login_required
@require_POST
def inquiry_follow_up(request, pk: int):
    inquiry = access.get_inquiry_for(request.user, pk)
    if not access.is_inquirer(request.user, inquiry):
        raise Http404("inquiry not found")
    form = TextForm(request.POST)
    if not form.is_valid():
        return _detail(request, inquiry, forms={"follow": form}, status=422)
    return _act(
        request,
        inquiry,
        services.inquiry_follow_up,
        _("Your follow-up is sent; the school's clock runs again for a second answer."),
        text=form.cleaned_data["text"],
    )


@login_required
@require_POST
def inquiry_direct(request, pk: int):
    inquiry = access.get_inquiry_to_direct(request.user, pk)
    form = TextForm(request.POST)
    if not form.is_valid():
        return _detail(request, inquiry, forms={"direct": form}, status=422)
    return _act(
        request,
        inquiry,
        services.inquiry_direct_second_answer,
        _("The school is directed to answer again; its clock is running."),
        text=form.cleaned_data["text"],
    )


@login_required
def inquiry_overview(request):
    counties = access.overview_counties(request.user)
    if not counties:
        raise Http404("no county")
    now = timezone.now()
    rows = access.overview_rows(request.user, now)
    filed = sum(r["tally"].filed for r in rows)
    answered = sum(r["tally"].answered for r in rows)
    on_time = sum(r["tally"].answered_on_time for r in rows)
    for r in rows:
        t = r["tally"]
        r["on_time_pct"] = round(100 * t.answered_on_time / t.answered) if t.answered else None
    overdue = list(access.overdue_inquiries(request.user, now)[:50])
    by_round = access.inquiry_of_rounds(overdue)
    for d in overdue:
        setattr(d, "inquiry", by_round.get(d.target_id))  # noqa: B010 — for the page only
    county_id = min(counties)
    form = ThresholdForm(initial={"threshold": services.threshold_of(county_id)})
    context = {
        "rows": rows,
        "filed": filed,
        "answered": answered,
        "on_time_pct": round(100 * on_time / answered) if answered else None,
        "open": sum(r["open"] for r in rows),
        "overdue_count": sum(r["overdue"] for r in rows),
        "overdue": overdue,
        "form": form,
        "now": now,
    }
    return render(request, "committees/inquiries/overview.html", context)


@login_required
@require_POST
def inquiry_settings(request):
    counties = access.overview_counties(request.user)
    if not counties:
        raise Http404("no county")
    form = ThresholdForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("threshold", [])))
        return redirect("committees:inquiry_overview")
    try:
        services.inquiry_settings_set(
            actor=request.user, county_id=min(counties), threshold=form.cleaned_data["threshold"]
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Saved: new inquiries need this many co-signatures."))
    return redirect("committees:inquiry_overview")


# --- concerns ------------------------------------------------------------------------------------------------


@login_required
def concern_new(request):
    children = list(access.children_for_concern(request.user))
    if not children:
        raise Http404("no child")
    form = ConcernForm(request.POST or None, children=children)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            student = next(s for s in children if str(s.pk) == data["student"])
            try:
                concern = services.concern_raise(
                    actor=request.user, student=student, route=data["route"], teacher_name=data["teacher_name"],
                    about_leadership=data["about_leadership"], facts=data["facts"],
                )  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, _("Your concern is sent privately. The teacher concerned will not see it."))
                return redirect("committees:concern_detail", pk=concern.pk)
        status = 422
    mine = _page(request, access.concerns_raised_by(request.user))
    return render(request, "committees/inquiries/concern_new.html", {"form": form, "mine": mine}, status=status)


@login_required
def concern_inbox(request):
    qs = access.concerns_handled_by(request.user)
    if not (access.overview_counties(request.user) or access.concern_school_admin(request.user)):
        raise Http404("no inbox")
    state = request.GET.get("state", "")
    if state in Concern.State.values:
        qs = qs.filter(state=state)
    page = _page(request, qs.select_related("school").order_by("-created_at", "-pk"))
    return render(
        request,
        "committees/inquiries/concern_inbox.html",
        {"page": page, "state": state, "states": Concern.State.choices},
    )


def _concern_page(request, concern: Concern, *, form=None, status: int = 200):
    handler = access.concerns_handled_by(request.user).filter(pk=concern.pk).exists()
    if handler:
        access_record(actor=request.user, target=concern, purpose="committees.concern", request=request)
    return render(
        request,
        "committees/inquiries/concern_detail.html",
        {"concern": concern, "handler": handler, "form": form or OutcomeForm()},
        status=status,
    )


@login_required
def concern_detail(request, pk: int):
    concern = access.get_concern_for(request.user, pk)
    messages_read_for(user=request.user, link=request.path)
    return _concern_page(request, concern)


@login_required
@require_POST
def concern_acknowledge(request, pk: int):
    concern = access.get_concern_for(request.user, pk, write=True)
    try:
        services.concern_acknowledge(actor=request.user, concern=concern)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("committees:concern_detail", pk=concern.pk)


@login_required
@require_POST
def concern_answer(request, pk: int):
    concern = access.get_concern_for(request.user, pk, write=True)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _concern_page(request, concern, form=form, status=422)
    try:
        services.concern_answer(actor=request.user, concern=concern, outcome=form.cleaned_data["outcome"])
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The outcome is sent to the family."))
    return redirect("committees:concern_detail", pk=concern.pk)
