"""Dispatch pages: the coordinator's needs (list, posting one, a need with its proposals and invitations), the
member's invitations and assignments (accept, decline, withdraw), and the home page of experts and volunteers.

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.viewhelpers import error_text, parse_id
from xieyu.notices.messages import messages_read_for
from xieyu.questions.viewhelpers import form_errors, page_of

from ..hours.access import own_total
from ..models import Need
from ..vetting import check_valid_until
from . import access, services
from .forms import NeedForm, ReasonForm
from .matching import propose

HOME_ITEMS = 5
LAPSE_WARNING_DAYS = 30


def _need_url(need) -> str:
    return reverse("teams:need_detail", args=[need.pk])


def _need_form(user, data=None) -> NeedForm | None:
    units = access.posting_units(user)
    if not units:
        return None
    county_id = units[0].county.pk
    return NeedForm(data, units=units, towns=access.towns_of_county(county_id),
                    skills=access.skills_of_county(county_id))  # fmt: skip


# --- the coordinator's side -----------------------------------------------------------------------------------


@login_required
def need_list(request):
    """The needs the user posted or coordinates, by status; ?status= filters."""
    if not access.can_post(request.user):
        raise Http404("no needs for this user")
    status = request.GET.get("status", "")
    status = status if status in Need.Status.values else ""
    page = page_of(request, access.need_list_for(request.user, status=status))
    return render(request, "teams/dispatch/need_list.html",
                  {"page": page, "status": status, "statuses": Need.Status.choices})  # fmt: skip


@login_required
def need_new(request):
    form = _need_form(request.user, request.POST if request.method == "POST" else None)
    if form is None:
        raise Http404("no unit to post a need for")
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors(form))
        else:
            d = form.cleaned_data
            unit = form.units[d["unit"]]
            try:
                need = services.need_create(
                    actor=request.user, kind=d["kind"], topic=d["topic"], starts_at=d["starts_at"],
                    ends_at=d["ends_at"], place=d["place"], county=unit.county, school=unit.school,
                    community=unit.community, town=d["town"], stage=d["stage"], skills=d["skills"],
                    team_kind=d["team_kind"], people=d["people"], with_children=d["with_children"],
                    description=d["description"],
                )  # fmt: skip
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The need is posted: invite members from the proposals."))
                return redirect(_need_url(need))
    return render(request, "teams/dispatch/need_new.html", {"form": form})


@login_required
def need_detail(request, pk):
    """A need: for its coordinator the invitations and the proposed members (with why) to invite; for an invited
    member her own invitation to answer."""
    need = access.get_need_for(request.user, pk)
    coordinates = access.can_coordinate(request.user, need)
    context = {"need": need, "coordinates": coordinates, "skills": list(need.skills.all())}
    if coordinates:
        context["assignments"] = list(access.assignments_of_need(need))
        if need.status == Need.Status.OPEN and need.ends_at > timezone.now():
            context["proposals"] = propose(need)
    mine = [a for a in access.assignments_of(request.user).filter(need=need)]
    context["mine"] = mine
    messages_read_for(user=request.user, link=_need_url(need))
    return render(request, "teams/dispatch/need_detail.html", context)


@login_required
@require_POST
def need_invite(request, pk):
    need = access.get_need_for(request.user, pk, write=True)
    ids = [i for i in (parse_id(v) for v in request.POST.getlist("member")) if i is not None]
    members = access.members_for_invite(need, ids[: services.MAX_INVITE + 1])
    if not members:
        messages.error(request, _("Choose at least one member to invite."))
        return redirect(_need_url(need))
    try:
        created = services.assignment_invite(actor=request.user, need=need, members=members)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Invited: %(names)s.") % {"names": "、".join(a.member.user.name for a in created)})
    return redirect(_need_url(need))


@login_required
@require_POST
def need_cancel(request, pk):
    need = access.get_need_for(request.user, pk, write=True)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_need_url(need))
    try:
        services.need_cancel(actor=request.user, need=need, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The need is called off; the members were told."))
    return redirect(_need_url(need))


@login_required
@require_POST
def assignment_cancel(request, pk):
    a = access.get_assignment_managed(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_need_url(a.need))
    try:
        services.assignment_cancel(actor=request.user, assignment=a, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Cancelled; %(name)s was told.") % {"name": a.member.user.name})
    return redirect(_need_url(a.need))


# --- the member's side ----------------------------------------------------------------------------------------


@login_required
def my_invitations(request):
    """The member's invitations awaiting an answer, her upcoming assignments, and the rest (paginated)."""
    user = request.user
    if not access.is_team_member(user):
        raise Http404("not a team member")
    messages_read_for(user=user, link=reverse("teams:my_invitations"))
    return render(request, "teams/dispatch/my_invitations.html", {
        "invitations": list(access.invitations_awaiting(user)[:50]),
        "upcoming": list(access.upcoming_assignments(user)[:50]),
        "page": page_of(request, access.past_assignments(user)),
    })  # fmt: skip


def _answer(request, pk, call, success: str, *, reason_required: bool = False):
    a = access.get_assignment_for(request.user, pk)
    form = ReasonForm(request.POST, required=reason_required)
    if not form.is_valid():
        messages.error(request, form_errors(form))
    else:
        try:
            call(a, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, success)
    return redirect("home" if request.POST.get("back") == "home" else "teams:my_invitations")


@login_required
@require_POST
def assignment_accept(request, pk):
    return _answer(request, pk, lambda a, _r: services.assignment_accept(actor=request.user, assignment=a),
                   _("Accepted: thank you. The event now lists you as its staff."))  # fmt: skip


@login_required
@require_POST
def assignment_decline(request, pk):
    return _answer(request, pk, lambda a, r: services.assignment_decline(actor=request.user, assignment=a, reason=r),
                   _("Declined: the coordinator will invite someone else."))  # fmt: skip


@login_required
@require_POST
def assignment_withdraw(request, pk):
    return _answer(request, pk, lambda a, r: services.assignment_withdraw(actor=request.user, assignment=a, reason=r),
                   _("You have withdrawn; the coordinator was told."), reason_required=True)  # fmt: skip


def member_home(request, acting):
    """The home of experts and volunteers: invitations awaiting an answer, upcoming assignments, hours this year,
    the check's valid-until date (warning when it lapses within 30 days or has lapsed). A fixed number of queries
    whatever the number of assignments."""
    user = request.user
    today = timezone.localdate()
    invitations = list(access.invitations_awaiting(user)[: HOME_ITEMS + 1])
    upcoming = list(access.upcoming_assignments(user)[: HOME_ITEMS + 1])
    minutes = own_total(user, today.year)  # the rollup the hours pages read
    until = check_valid_until(user)
    lapsed = until is not None and until < today
    lapsing = until is not None and not lapsed and until <= today + datetime.timedelta(days=LAPSE_WARNING_DAYS)
    return render(request, "teams/dispatch/home_member.html", {
        "acting": acting, "invitations": invitations[:HOME_ITEMS], "more_invitations": len(invitations) > HOME_ITEMS,
        "upcoming": upcoming[:HOME_ITEMS], "more_upcoming": len(upcoming) > HOME_ITEMS,
        "hours": round(minutes / 60, 1), "check_until": until, "check_lapsed": lapsed, "check_lapsing": lapsing,
        "is_expert": acting.role == "expert", "year": today.year,
    })  # fmt: skip
