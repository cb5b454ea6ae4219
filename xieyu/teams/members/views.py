"""The members pages: the team list (the coordinator's page with its panels; a school admin's; the teams others may
apply to), a team's members, applying, a member's record with the vetting steps, the user's own teams, the lapsing
checks, and the county's skill list.

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.uploads import serve_file
from xieyu.core.viewhelpers import error_text, run_service
from xieyu.questions.viewhelpers import form_errors

from ..access import coordinated_counties, coordinated_schools, is_coordinator
from ..models import Availability, Member
from . import access, services
from .forms import (
    SLOT_CHOICES,
    WEEKDAYS,
    ApplyForm,
    ApproveForm,
    CertificateForm,
    CheckForm,
    MemberFilterForm,
    ProfileForm,
    ReasonForm,
    ReferencesForm,
    SkillForm,
    TeamCreateForm,
    slot_values,
)

PAGE_SIZE = 20
PANEL_ROWS = 8


def _page(request, items, per_page: int = PAGE_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _member_url(member) -> str:
    return reverse("teams:member_detail", args=[member.pk])


def _grid(slots: set[tuple[int, str]]) -> list[dict]:
    """The weekly availability as rows of a weekday × part-of-day grid."""
    return [
        {"day": d, "label": WEEKDAYS[d],
         "cells": [{"value": f"{d}-{p}", "part": p, "label": label, "on": (d, p) in slots}
                   for p, label in Availability.Part.choices]}
        for d in range(7)
    ]  # fmt: skip


def check_state(until: datetime.date | None, today: datetime.date) -> str:
    if until is None:
        return "none"
    if until < today:
        return "lapsed"
    if until <= today + datetime.timedelta(days=access.LAPSING_DAYS):
        return "lapsing"
    return "valid"


# --- the team list ----------------------------------------------------------------------------------------------


@login_required
def team_list(request):
    user = request.user
    today = timezone.localdate()
    ctx: dict = {"today": today, "to_apply": list(access.teams_to_apply(user)[:20])}
    if coordinated_counties(user):
        ctx["role"] = "county"
        ctx["teams"] = list(access.with_counts(access.teams_managed_by(user))[:60])
        load = list(access.members_by_load(user)[:PANEL_ROWS])
        lapsing: list[Any] = list(access.lapsing_members(user)[:PANEL_ROWS])
        for m in lapsing:
            m.check_state = check_state(m.check_until, today)
        ctx.update(load=load, lapsing=lapsing, needs=list(access.needs_unfilled(user)[:PANEL_ROWS]))
    elif coordinated_schools(user):
        ctx["role"] = "school"
        ctx["teams"] = list(access.with_counts(access.teams_managed_by(user))[:20])
        ctx["drawn_on"] = list(access.teams_visible_to(user).filter(school__isnull=True).order_by("kind", "pk")[:8])
        ctx["needs"] = list(access.needs_unfilled(user)[:PANEL_ROWS])
        school = access.school_to_create_team(user)
        if school is not None:
            ctx["create_school"] = school
            ctx["create_form"] = TeamCreateForm(initial={"name": f"{school.name}教师支援服务队"})
    else:
        ctx["role"] = "member"
        ctx["mine"] = list(access.my_memberships(user)[:20])
        if not ctx["to_apply"] and not ctx["mine"] and not access.teams_listed_for(user).exists():
            raise Http404("no teams for this user")
    return render(request, "teams/members/team_list.html", ctx)


@login_required
@require_POST
def team_create(request):
    school = access.school_to_create_team(request.user)
    if school is None:
        raise Http404("no school to create a team for")
    form = TeamCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("teams:team_list")
    try:
        team = services.team_create(actor=request.user, county=school.county, school=school, kind="teacher",
                                    name=form.cleaned_data["name"], description=form.cleaned_data["description"])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("teams:team_list")
    messages.success(request, _("The school's teacher team is created: teachers of the school may now apply."))
    return redirect("teams:team_detail", team.pk)


@login_required
def team_detail(request, pk):
    team, manages = access.get_team_page_for(request.user, pk)
    today = timezone.localdate()
    ctx: dict = {"team": team, "manages": manages, "today": today}
    if manages:
        form = MemberFilterForm(request.GET or None, county_id=team.county_id)
        d = form.cleaned_data if form.is_bound and form.is_valid() else {}
        members = access.team_members(
            team, skill=getattr(d.get("skill"), "pk", None), town=getattr(d.get("town"), "pk", None),
            status=d.get("status") or "",
        )  # fmt: skip
        ctx["filter_form"] = form
    else:
        members = access.team_members(team, status=Member.Status.APPROVED)
    page = _page(request, members)
    for m in page.object_list:
        m.check_state = check_state(m.check_until, today)
    ctx["page"] = page
    ctx["can_apply"] = access.teams_to_apply(request.user).filter(pk=team.pk).exists()
    return render(request, "teams/members/team_detail.html", ctx)


# --- applying -----------------------------------------------------------------------------------------------------


@login_required
def apply(request, pk):
    team = access.get_team_to_apply(request.user, pk)
    form = ApplyForm(request.POST or None, county_id=team.county_id)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                member = services.member_apply(
                    actor=request.user, team=team, skills=d["skills"], towns=d["towns"], languages=d["languages"],
                    availability=form.slots, introduction=d["introduction"], motivation=d["motivation"],
                    references=d["references"],
                )  # fmt: skip
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Your application is sent: the coordinator will check your identity and "
                                            "background check with you."))  # fmt: skip
                return redirect(_member_url(member))
        else:
            messages.error(request, form_errors(form))
    valid = dict(SLOT_CHOICES)
    chosen = set(request.POST.getlist("availability")) if request.method == "POST" else set()
    slots = {(int(v.split("-")[0]), v.split("-")[1]) for v in chosen if v in valid}
    return render(request, "teams/members/apply.html", {"team": team, "form": form, "grid": _grid(slots)})


# --- a member's record --------------------------------------------------------------------------------------------


@login_required
def member_detail(request, pk):
    member, manages = access.get_member_page_for(request.user, pk)
    today = timezone.localdate()
    record = access.member_record(member)
    latest = record["checks"][0] if record["checks"] else None
    until = latest.valid_until if latest else None
    valid = latest is not None and latest.checked_on <= today <= latest.valid_until
    missing = []
    if member.status in (Member.Status.APPLIED, Member.Status.VETTING):
        if member.identity_checked_at is None:
            missing.append(_("identity not yet checked"))
        if not valid:
            missing.append(_("no valid background check (入职查询)"))
        if member.references and member.references_checked_at is None:
            missing.append(_("references not yet noted"))
    ctx = {
        "member": member, "manages": manages, "today": today, "grid": _grid(record["slots"]),
        "checks": record["checks"], "certificates": record["certificates"], "check_until": until,
        "check_state": check_state(until, today), "check_valid": valid, "missing": missing,
        "can_approve": valid and member.identity_checked_at is not None,
        "is_own": member.user_id == request.user.pk, "live": member.status in Member.LIVE,
        "open_application": member.status in (Member.Status.APPLIED, Member.Status.VETTING),
    }  # fmt: skip
    if manages and member.status in Member.LIVE:
        start = today
        ctx.update(
            check_form=CheckForm(initial={"checked_on": today}),
            references_form=ReferencesForm(initial={"note": member.references_note}),
            approve_form=ApproveForm(initial={"term_start": start, "term_end": services._add_years(start, 2)}),
            reason_form=ReasonForm(),
            certificate_form=CertificateForm(),
            profile_form=ProfileForm(county_id=member.team.county_id, initial={
                "skills": list(member.skills.all()), "towns": list(member.towns.all()), "languages": member.languages,
                "availability": slot_values(record["slots"])}),
        )  # fmt: skip
    return render(request, "teams/members/member_detail.html", ctx)


def _manage(request, pk) -> Member:
    return access.get_member_to_manage(request.user, pk)


@login_required
@require_POST
def member_identity(request, pk):
    member = _manage(request, pk)
    return run_service(request, lambda: services.member_identity_check(actor=request.user, member=member),
                _("The identity is recorded as checked."), _member_url(member))  # fmt: skip


@login_required
@require_POST
def member_check(request, pk):
    member = _manage(request, pk)
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_member_url(member))
    d = form.cleaned_data
    return run_service(
        request,
        lambda: services.member_check_record(actor=request.user, member=member, checked_on=d["checked_on"],
                                             checking_unit=d["checking_unit"], valid_until=d["valid_until"],
                                             reference=d["reference"]),
        _("The background check is recorded."), _member_url(member),
    )  # fmt: skip


@login_required
@require_POST
def member_references(request, pk):
    member = _manage(request, pk)
    form = ReferencesForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_member_url(member))
    return run_service(request, lambda: services.member_references_note(actor=request.user, member=member,
                                                                 note=form.cleaned_data["note"]),
                _("The note on the references is saved."), _member_url(member))  # fmt: skip


@login_required
@require_POST
def member_approve(request, pk):
    member = _manage(request, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_member_url(member))
    d = form.cleaned_data
    return run_service(request, lambda: services.member_approve(actor=request.user, member=member,
                                                         term_start=d["term_start"], term_end=d["term_end"]),
                _("Approved: the member has been told."), _member_url(member))  # fmt: skip


@login_required
@require_POST
def member_decline(request, pk):
    member = _manage(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_member_url(member))
    return run_service(request, lambda: services.member_decline(actor=request.user, member=member,
                                                         reason=form.cleaned_data["reason"]),
                _("The application is declined: the applicant has been told."), _member_url(member))  # fmt: skip


@login_required
@require_POST
def member_leave(request, pk):
    """The coordinator ends a membership, or the member leaves (from her own teams)."""
    member, manages = access.get_member_page_for(request.user, pk)
    own = member.user_id == request.user.pk
    to = _member_url(member) if manages else reverse("teams:my_teams")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(to)
    if not (manages or own):
        raise Http404("member not found")
    return run_service(request, lambda: services.member_leave(actor=request.user, member=member,
                                                       reason=form.cleaned_data["reason"]),
                _("The membership has ended; its history is kept."), to)  # fmt: skip


@login_required
@require_POST
def member_profile(request, pk):
    member = _manage(request, pk)
    form = ProfileForm(request.POST, county_id=member.team.county_id)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_member_url(member))
    d = form.cleaned_data
    return run_service(request, lambda: services.member_profile_update(actor=request.user, member=member, skills=d["skills"],
                                                                towns=d["towns"], languages=d["languages"],
                                                                availability=form.slots),
                _("Skills and availability are saved."), _member_url(member))  # fmt: skip


@login_required
@require_POST
def certificate_add(request, pk):
    member = _manage(request, pk)
    form = CertificateForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_member_url(member))
    d = form.cleaned_data
    return run_service(request, lambda: services.certificate_add(actor=request.user, member=member, name=d["name"],
                                                          issuer=d["issuer"], number=d["number"], file=d["file"],
                                                          issued_on=d["issued_on"], expires_on=d["expires_on"]),
                _("The certificate is added."), _member_url(member))  # fmt: skip


@login_required
def certificate_file(request, pk):
    cert = access.get_certificate_for(request.user, pk)
    return serve_file(cert.file, filename=f"{cert.name}{cert.file.name[cert.file.name.rfind('.') :]}")


# --- the user's own teams, the lapsing checks --------------------------------------------------------------------


@login_required
def my_teams(request):
    today = timezone.localdate()
    mine: list[Any] = list(access.my_memberships(request.user)[:40])
    for m in mine:
        m.check_state = check_state(m.check_until, today)
    return render(request, "teams/members/my_teams.html", {
        "mine": mine, "to_apply": list(access.teams_to_apply(request.user)[:20]), "today": today,
        "live_statuses": Member.LIVE,
    })  # fmt: skip


@login_required
def checks_lapsing(request):
    if not is_coordinator(request.user):
        raise Http404("not a coordinator")
    today = timezone.localdate()
    page = _page(request, access.lapsing_members(request.user))
    for m in page.object_list:
        m.check_state = check_state(m.check_until, today)
    return render(request, "teams/members/checks_lapsing.html", {"page": page, "today": today})


# --- the skill list -------------------------------------------------------------------------------------------------


@login_required
def skill_list(request):
    county = access.county_of_skill_list(request.user)
    if county is None:
        raise Http404("no skill list for this user")
    form = SkillForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            return run_service(request, lambda: services.skill_add(actor=request.user, county=county,
                                                            name=form.cleaned_data["name"]),
                        _("The skill is added."), reverse("teams:skill_list"))  # fmt: skip
        messages.error(request, form_errors(form))
    skills = list(access.county_skills(county.pk))
    return render(request, "teams/members/skill_list.html", {"county": county, "skills": skills, "form": form})


@login_required
@require_POST
def skill_rename(request, pk):
    skill = access.get_skill_to_manage(request.user, pk)
    form = SkillForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("teams:skill_list")
    return run_service(request, lambda: services.skill_rename(actor=request.user, skill=skill, name=form.cleaned_data["name"]),
                _("The skill is renamed."), reverse("teams:skill_list"))  # fmt: skip


@login_required
@require_POST
def skill_move(request, pk):
    skill = access.get_skill_to_manage(request.user, pk)
    direction = request.POST.get("direction", "")
    return run_service(request, lambda: services.skill_move(actor=request.user, skill=skill, direction=direction),
                _("The list's order is saved."), reverse("teams:skill_list"))  # fmt: skip


@login_required
@require_POST
def skill_delete(request, pk):
    skill = access.get_skill_to_manage(request.user, pk)
    return run_service(request, lambda: services.skill_delete(actor=request.user, skill=skill),
                _("The skill is deleted."), reverse("teams:skill_list"))  # fmt: skip
