"""Talent pool pages: the guardian's own offers and invitations; the school's search, a parent's profile with the
invitations, and the background check recorded on the way to a placement; the county's counts (no names).

Reads and authorisation through access.py (missing, withdrawn and forbidden answer 404 alike), writes through
services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.viewhelpers import error_text, run_service
from xieyu.events.models import Event
from xieyu.events.services import event_create
from xieyu.questions.viewhelpers import form_errors, page_of

from . import access, services
from .forms import (
    CheckForm,
    ProfileForm,
    SearchForm,
    SessionForm,
    SessionInviteForm,
    TeamInviteForm,
    parse_slots,
    slot_values,
)
from .models import TalentInvitation

INVITATIONS_SHOWN = 20


def _refuse(request, text: str, to: str):
    messages.error(request, text)
    return redirect(to)


# --- the guardian's side --------------------------------------------------------------------------------------------


def _profile_form(user, data=None, *, school=None, profile=None):
    schools = access.schools_of_children(user)
    skills = access.county_skills(school.county_id) if school is not None else access.skills_for_any(schools)
    initial = {}
    if profile is not None:
        initial = {"school": profile.school, "skills": list(profile.skills.all()), "other_skill": profile.other_skill,
                   "description": profile.description, "slots": slot_values(profile)}  # fmt: skip
    elif school is not None:
        initial = {"school": school}
    auto_id = f"id_s{school.pk}_%s" if school is not None else "id_%s"
    return ProfileForm(data, schools=schools, skills=skills, initial=initial, auto_id=auto_id)


@login_required
def talent_mine(request):
    """A guardian offers her skills and time to her children's schools, each with its own consent; she answers the
    schools' invitations here."""
    user = request.user
    guardian = access.guardian_of(user)
    schools = list(access.schools_of_children(user))
    if guardian is None or not schools:
        raise Http404("no child enrolled")
    if request.method == "POST":
        form = ProfileForm(request.POST, schools=access.schools_of_children(user),
                           skills=access.skills_for_any(access.schools_of_children(user)))  # fmt: skip
        if not form.is_valid():
            return _refuse(request, form_errors(form), reverse("teams:talent_mine"))
        d = form.cleaned_data
        try:
            services.talent_profile_save(
                actor=user, guardian=guardian, school=d["school"], skills=d["skills"], other_skill=d["other_skill"],
                description=d["description"], slots=parse_slots(d["slots"]), consent=d["consent"],
            )  # fmt: skip
        except ValidationError as exc:
            return _refuse(request, error_text(exc), reverse("teams:talent_mine"))
        messages.success(request, _("Your offer is saved."))
        return redirect("teams:talent_mine")
    profiles = {p.school_id: p for p in access.profiles_of(user)}
    cards = []
    for school in schools:
        profile = profiles.get(school.pk)
        cards.append({"school": school, "profile": profile,
                      "form": _profile_form(user, school=school, profile=profile)})  # fmt: skip
    invitations = list(access.invitations_of(user)[:INVITATIONS_SHOWN])
    return render(request, "teams/talent/mine.html", {"cards": cards, "invitations": invitations})


@login_required
@require_POST
def talent_withdraw(request, pk: int):
    profile = access.get_own_profile(request.user, pk)
    return run_service(request, lambda: services.talent_consent_withdraw(actor=request.user, profile=profile),
                       _("Consent withdrawn: the school no longer sees your name and skills."),
                       reverse("teams:talent_mine"))  # fmt: skip


@login_required
@require_POST
def talent_answer(request, pk: int):
    invitation = access.get_own_invitation(request.user, pk)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        return _refuse(request, _("Choose to accept or to decline."), reverse("teams:talent_mine"))
    try:
        invitation = services.talent_invitation_answer(actor=request.user, invitation=invitation,
                                                       accept=answer == "accept")  # fmt: skip
    except ValidationError as exc:
        return _refuse(request, error_text(exc), reverse("teams:talent_mine"))
    texts: dict[str, str] = {
        TalentInvitation.Status.PLACED: _("Thank you: you are a helper of the session."),
        TalentInvitation.Status.AWAITING_CHECK: _(
            "Thank you. Work with children needs a background check (入职查询) first: the school will record it, "
            "then you are placed."
        ),
        TalentInvitation.Status.APPLIED: _("Thank you: your application to the parent team is sent."),
        TalentInvitation.Status.DECLINED: _("You declined the invitation."),
    }
    messages.success(request, texts.get(invitation.status, _("Saved.")))
    return redirect("teams:talent_mine")


# --- the school's side ----------------------------------------------------------------------------------------------


@login_required
def talent_search(request):
    """A school admin searches her school's pool by skill and time; a county admin sees how many parents each
    school's pool holds, without names."""
    user = request.user
    if access.searches_pool(user):
        schools = list(access.own_schools(user))
        skills = access.county_skills(schools[0].county_id)
        form = SearchForm(request.GET or None, skills=skills)
        skill = weekday = None
        part = ""
        if form.is_bound and form.is_valid():
            skill, weekday, part = form.cleaned_data["skill"], form.cleaned_data["weekday"], form.cleaned_data["part"]
        elif form.is_bound:
            messages.error(request, form_errors(form))
        page = page_of(request, access.search(user, skill=skill, weekday=weekday, part=part))
        waiting = list(access.invitations_sent_by(user).filter(status__in=TalentInvitation.LIVE)[:INVITATIONS_SHOWN])
        return render(request, "teams/talent/search.html", {
            "form": form, "page": page, "schools": schools, "invitations": waiting, "session_form": SessionForm(),
            "check_form": CheckForm(),
        })  # fmt: skip
    if access.sees_counts(user):
        page = page_of(request, access.pool_count_rows(user))
        return render(request, "teams/talent/counts.html", {"page": page})
    raise Http404("no talent pool for this user")


@login_required
def talent_profile(request, pk: int):
    profile = access.get_profile_for(request.user, pk)
    sessions = access.sessions_for_invitation(request.user, profile.school)
    return render(request, "teams/talent/profile.html", {
        "profile": profile, "session_form": SessionInviteForm(sessions=sessions), "team_form": TeamInviteForm(),
        "team": access.parent_team_of(profile.school),
        "invitations": list(access.invitations_sent_by(request.user).filter(profile=profile)[:INVITATIONS_SHOWN]),
    })  # fmt: skip


@login_required
@require_POST
def talent_invite_session(request, pk: int):
    profile = access.get_profile_for(request.user, pk)
    to = reverse("teams:talent_profile", args=[profile.pk])
    form = SessionInviteForm(request.POST, sessions=access.sessions_for_invitation(request.user, profile.school))
    if not form.is_valid():
        return _refuse(request, form_errors(form), to)
    try:
        services.talent_invite_session(actor=request.user, profile=profile, event=form.cleaned_data["event"],
                                       note=form.cleaned_data["note"])  # fmt: skip
    except ValidationError as exc:
        return _refuse(request, error_text(exc), to)
    messages.success(request, _("The invitation is sent."))
    return redirect(to)


@login_required
@require_POST
def talent_invite_team(request, pk: int):
    profile = access.get_profile_for(request.user, pk)
    to = reverse("teams:talent_profile", args=[profile.pk])
    form = TeamInviteForm(request.POST)
    team = access.parent_team_of(profile.school)
    if team is None:
        return _refuse(request, _("The county has no parent mutual-aid team yet."), to)
    if not form.is_valid():
        return _refuse(request, form_errors(form), to)
    try:
        services.talent_invite_team(actor=request.user, profile=profile, team=team, note=form.cleaned_data["note"])
    except ValidationError as exc:
        return _refuse(request, error_text(exc), to)
    messages.success(request, _("The invitation is sent."))
    return redirect(to)


@login_required
@require_POST
def talent_session_create(request):
    """A small form on the search page: a published after-school service session of the admin's school."""
    schools = list(access.own_schools(request.user))
    if not schools:
        raise Http404("no school")
    to = reverse("teams:talent_search")
    form = SessionForm(request.POST)
    if not form.is_valid():
        return _refuse(request, form_errors(form), to)
    d = form.cleaned_data
    try:
        event_create(actor=request.user, kind=Event.Kind.AFTER_SCHOOL_SESSION, title=d["title"],
                     starts_at=d["starts_at"], ends_at=d["ends_at"], audience=Event.Audience.SCHOOL,
                     school=schools[0], place=d["place"], publish=True)  # fmt: skip
    except ValidationError as exc:
        return _refuse(request, error_text(exc), to)
    messages.success(request, _("The session is created: invite parents from the results."))
    return redirect(to)


@login_required
@require_POST
def talent_check(request, pk: int):
    invitation = access.get_sent_invitation_for(request.user, pk)
    to = reverse("teams:talent_search")
    form = CheckForm(request.POST)
    if not form.is_valid():
        return _refuse(request, form_errors(form), to)
    d = form.cleaned_data
    try:
        services.talent_check_record(actor=request.user, invitation=invitation, checked_on=d["checked_on"],
                                     checking_unit=d["checking_unit"], valid_until=d["valid_until"],
                                     reference=d["reference"])  # fmt: skip
    except ValidationError as exc:
        return _refuse(request, error_text(exc), to)
    messages.success(request, _("The check is recorded and the parent is placed as a helper of the session."))
    return redirect(to)


@login_required
@require_POST
def talent_invitation_cancel(request, pk: int):
    invitation = access.get_sent_invitation_for(request.user, pk)
    return run_service(request, lambda: services.talent_invitation_cancel(actor=request.user, invitation=invitation),
                       _("The invitation is withdrawn."), reverse("teams:talent_search"))  # fmt: skip
