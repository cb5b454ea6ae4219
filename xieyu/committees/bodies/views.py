"""Committee pages: the staff's list (and creating a committee), the guardian's committees, a committee's page made
of panels, its charter (versions, diff, drafting, adopting at a meeting), and its meetings (agenda, invitation,
RSVP, attendance, minutes, resolutions, action items, publication).

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
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

from xieyu.core.viewhelpers import error_text, parse_id, run_service
from xieyu.directory import access as directory_access
from xieyu.notices.messages import messages_read_for
from xieyu.questions.viewhelpers import form_errors, page_of

from ..access import committees_managed_by
from ..panels import committee_panels
from . import access, services
from .diff import line_diff
from .forms import (
    ActionDoneForm,
    ActionForm,
    AdoptForm,
    AttendanceForm,
    CharterDraftForm,
    CommitteeCreateForm,
    MeetingForm,
    MemberAddForm,
    MemberEndForm,
    MinutesForm,
    ResolutionForm,
)
from .models import Meeting

STAFF_OWNER = "staff"


def _invalid(request, form, to: str):
    messages.error(request, form_errors(form))
    return redirect(to)


def _detail_url(committee) -> str:
    return reverse("committees:detail", args=[committee.pk])


def _meeting_url(meeting) -> str:
    return reverse("committees:meeting_detail", args=[meeting.pk])


def _create_form(user, data=None) -> CommitteeCreateForm | None:
    """A school admin's form (for her one school); None for anyone else."""
    school = access.school_to_create_in(user)
    if school is None:
        return None
    grades = directory_access.grades_of(school)
    classes = directory_access.classes_visible_to(user).filter(school=school).select_related("grade")
    return CommitteeCreateForm(data, school=school, grades=grades, classes=classes.order_by("grade__level", "name"))


# --- lists ----------------------------------------------------------------------------------------------------------


@login_required
def committee_list(request):
    """The committees of the staff member's units; a school admin creates her school's committees here."""
    if not access.sees_committee_list(request.user):
        raise Http404("no committees for this user")
    page = page_of(request, access.staff_committees(request.user))
    return render(request, "committees/bodies/list.html", {"page": page, "form": _create_form(request.user)})


@login_required
@require_POST
def committee_create(request):
    form = _create_form(request.user, request.POST)
    if form is None:
        raise Http404("no school to create a committee for")
    if not form.is_valid():
        return _invalid(request, form, reverse("committees:list"))
    d = form.cleaned_data
    try:
        committee = services.committee_create(actor=request.user, school=form.school, level=d["level"],
                                              name=d["name"], grade=d["grade"], school_class=d["school_class"])  # fmt: skip
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("committees:list")
    messages.success(request, _("The committee is created: now add its members."))
    return redirect(_detail_url(committee))


@login_required
def committee_mine(request):
    """A guardian's committees: members' names and roles, the charter in force, the published minutes; a member
    is pointed to her committee's page."""
    committees: list[Any] = list(access.guardian_committees(request.user)[:20])
    ids = [c.pk for c in committees]
    charters = access.current_versions_of(ids)
    minutes: dict[int, list[Meeting]] = {}
    for m in access.published_minutes_of(ids)[:60]:
        if len(minutes.setdefault(m.committee_id, [])) < 3:
            minutes[m.committee_id].append(m)
    seats = {s.committee_id: s for s in access.open_seats(request.user)}
    for c in committees:
        c.current_charter, c.minutes, c.my_seat = charters.get(c.pk), minutes.get(c.pk, []), seats.get(c.pk)
        c.current_members.sort(key=lambda m: (access.ROLE_ORDER.get(m.role, 9), m.pk))
    return render(request, "committees/bodies/mine.html", {"committees": committees})


@login_required
def committee_detail(request, pk):
    committee = access.get_committee_for_page(request.user, pk)
    seat = access.seat_on(request.user, committee)
    return render(
        request,
        "committees/bodies/detail.html",
        {"committee": committee, "seat": seat, "panels": committee_panels(request, committee),
         "unit": services.unit_label(committee),
         "staff_view": seat is None and access.is_staff_of(request.user, committee)},
    )  # fmt: skip


# --- members --------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def member_add(request, pk):
    committee = committees_managed_by(request.user).filter(pk=pk).select_related("school").first()
    if committee is None:
        raise Http404("committee not found")
    to = _detail_url(committee) + "#members"
    form = MemberAddForm(request.POST, meetings=access.meetings_for(request.user, committee))
    if not form.is_valid():
        return _invalid(request, form, to)
    d = form.cleaned_data
    guardian = access.unit_guardian_by_phone(d["phone"])
    if guardian is None:
        messages.error(request, _("No guardian has the mobile number %(phone)s.") % {"phone": d["phone"]})
        return redirect(to)
    return run_service(
        request,
        lambda: services.member_add(actor=request.user, committee=committee, guardian=guardian, role=d["role"],
                                    term_start=d["term_start"], term_end=d["term_end"], chosen=d["chosen"],
                                    vote_record=form.vote_record(), approving_meeting=d["approving_meeting"]),
        _("%(name)s now sits on the committee.") % {"name": guardian.name},
        to,
    )  # fmt: skip


@login_required
@require_POST
def member_end(request, pk):
    member = access.get_member_for(request.user, pk, write=True)
    to = _detail_url(member.committee) + "#members"
    form = MemberEndForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, to)
    return run_service(request, lambda: services.member_end(actor=request.user, member=member,
                                                     reason=form.cleaned_data["reason"]),
                _("%(name)s's seat has ended; it stays in the history.") % {"name": member.guardian.name}, to)  # fmt: skip


# --- charter --------------------------------------------------------------------------------------------------------


@login_required
def charter_page(request, pk):
    committee = access.get_committee_for_page(request.user, pk)
    writes = access.writes(request.user, committee)
    versions = list(access.versions_for(request.user, committee)[:50])
    resolutions = list(access.adoptable_resolutions(committee)[:50]) if writes else []
    draft_form = None
    if writes:
        draft_form = CharterDraftForm(initial={"text": versions[0].text} if versions else None)
    return render(
        request,
        "committees/bodies/charter.html",
        {
            "committee": committee,
            "versions": versions,
            "current": next((v for v in versions if v.status == "adopted"), None),
            "writes": writes,
            "draft_form": draft_form,
            "resolutions": resolutions,
        },
    )


@login_required
def charter_version(request, pk):
    version = access.get_version_for(request.user, pk)
    return render(request, "committees/bodies/charter_version.html",
                  {"version": version, "committee": version.charter.committee})  # fmt: skip


@login_required
def charter_diff(request, pk):
    """The changed lines between two versions (?a= older, ?b= newer; by default the last two)."""
    committee = access.get_committee_for_page(request.user, pk)
    versions = list(access.versions_for(request.user, committee)[:50])
    if len(versions) < 2:
        raise Http404("nothing to compare")
    by_id = {v.pk: v for v in versions}
    a, b = by_id.get(parse_id(request.GET.get("a")) or 0), by_id.get(parse_id(request.GET.get("b")) or 0)
    if a is None or b is None:
        b, a = versions[0], versions[1]
    if a.number > b.number:
        a, b = b, a
    context = {"committee": committee, "versions": versions, "a": a, "b": b, "lines": line_diff(a.text, b.text)}
    template = "committees/bodies/_diff.html" if request.htmx else "committees/bodies/charter_diff.html"
    return render(request, template, context)


@login_required
@require_POST
def charter_draft(request, pk):
    committee = access.get_committee_to_write(request.user, pk)
    to = reverse("committees:charter", args=[committee.pk])
    form = CharterDraftForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, to)
    return run_service(request, lambda: services.charter_draft(actor=request.user, committee=committee,
                                                        text=form.cleaned_data["text"], note=form.cleaned_data["note"]),
                _("The draft is saved: adopt it at a meeting."), to)  # fmt: skip


@login_required
@require_POST
def charter_adopt(request, pk):
    version = access.get_version_for(request.user, pk, write=True)
    committee = version.charter.committee
    to = reverse("committees:charter", args=[committee.pk])
    form = AdoptForm(request.POST, resolutions=access.adoptable_resolutions(committee))
    if not form.is_valid():
        return _invalid(request, form, to)
    return run_service(request, lambda: services.charter_adopt(actor=request.user, version=version,
                                                        resolution=form.cleaned_data["resolution"]),
                _("Version %(n)s is now the charter in force.") % {"n": version.number}, to)  # fmt: skip


# --- meetings -------------------------------------------------------------------------------------------------------


@login_required
def meeting_new(request, pk):
    committee = access.get_committee_to_write(request.user, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.meeting_create(actor=request.user, committee=committee, title=d["title"],
                                              agenda=d["agenda"], starts_at=d["starts_at"], place=d["place"])  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The meeting is planned: send the invitation when the agenda is ready."))
            return redirect(_meeting_url(meeting))
    return render(request, "committees/bodies/meeting_new.html", {"committee": committee, "form": form})


def _owners(meeting, user) -> list[tuple[str, str]]:
    owners = [
        (str(m.pk), f"{m.guardian.name}({m.get_role_display()})") for m in access.current_members(meeting.committee)
    ]
    if access.is_staff_of(user, meeting.committee):
        owners.append((STAFF_OWNER, _("Me (%(name)s, school staff)") % {"name": user.name}))
    return owners


@login_required
def meeting_detail(request, pk):
    meeting = access.get_meeting_for(request.user, pk)
    committee = meeting.committee
    user = request.user
    writes = access.writes(user, committee)
    insider = access.insider(user, committee)
    messages_read_for(user=user, link=_meeting_url(meeting))
    context: dict[str, Any] = {
        "meeting": meeting,
        "committee": committee,
        "writes": writes,
        "insider": insider,
        "seat": access.seat_on(user, committee),
        "resolutions": access.resolutions_of(meeting),
        "actions": access.action_items_of(meeting),
        "started": meeting.starts_at <= timezone.now(),
    }
    if insider:
        context["attendance"] = access.attendance_of(meeting)
        context["my_rsvp"] = next((a["rsvp"] for a in context["attendance"]
                                   if context["seat"] and a["member"].pk == context["seat"].pk), None)  # fmt: skip
    if writes:
        members = [a for a in context.get("attendance", []) if not a["came"]]
        context.update(
            edit_form=MeetingForm(initial={"title": meeting.title, "agenda": meeting.agenda, "place": meeting.place},
                                  editing=True),
            attendance_members=members,
            minutes_form=MinutesForm(initial={"minutes": meeting.minutes}),
            resolution_form=ResolutionForm(),
            action_form=ActionForm(owners=_owners(meeting, user)),
        )  # fmt: skip
    context["done_form"] = ActionDoneForm()
    return render(request, "committees/bodies/meeting.html", context)


@login_required
@require_POST
def meeting_edit(request, pk):
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = MeetingForm(request.POST, editing=True)
    if not form.is_valid():
        return _invalid(request, form, _meeting_url(meeting))
    d = form.cleaned_data
    return run_service(request, lambda: services.meeting_update(actor=request.user, meeting=meeting, title=d["title"],
                                                         agenda=d["agenda"], place=d["place"]),
                _("The agenda is saved."), _meeting_url(meeting))  # fmt: skip


@login_required
@require_POST
def meeting_invite(request, pk):
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return run_service(request, lambda: services.meeting_invite(actor=request.user, meeting=meeting),
                _("The invitation is sent to every member."), _meeting_url(meeting))  # fmt: skip


@login_required
@require_POST
def meeting_rsvp(request, pk):
    meeting = access.get_meeting_for(request.user, pk)
    return run_service(request, lambda: services.meeting_rsvp(actor=request.user, meeting=meeting),
                _("Thank you: the committee knows you will come."), _meeting_url(meeting))  # fmt: skip


@login_required
@require_POST
def meeting_attendance(request, pk):
    meeting = access.get_meeting_for(request.user, pk, write=True)
    members = access.current_members_qs().filter(committee=meeting.committee)
    form = AttendanceForm(request.POST, members=members)
    if not form.is_valid():
        return _invalid(request, form, _meeting_url(meeting) + "#attendance")
    return run_service(request, lambda: services.meeting_attendance_record(actor=request.user, meeting=meeting,
                                                                    members=list(form.cleaned_data["members"])),
                _("Attendance is recorded."), _meeting_url(meeting) + "#attendance")  # fmt: skip


@login_required
@require_POST
def meeting_minutes(request, pk):
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, _meeting_url(meeting) + "#minutes")
    return run_service(request, lambda: services.meeting_minutes_save(actor=request.user, meeting=meeting,
                                                               minutes=form.cleaned_data["minutes"]),
                _("The minutes are saved."), _meeting_url(meeting) + "#minutes")  # fmt: skip


@login_required
@require_POST
def resolution_add(request, pk):
    meeting = access.get_meeting_for(request.user, pk, write=True)
    form = ResolutionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, _meeting_url(meeting) + "#resolutions")
    d = form.cleaned_data
    return run_service(request, lambda: services.resolution_add(actor=request.user, meeting=meeting, text=d["text"],
                                                         votes_for=d["votes_for"], votes_against=d["votes_against"],
                                                         votes_abstain=d["votes_abstain"]),
                _("The resolution is recorded."), _meeting_url(meeting) + "#resolutions")  # fmt: skip


@login_required
@require_POST
def action_add(request, pk):
    meeting = access.get_meeting_for(request.user, pk, write=True)
    to = _meeting_url(meeting) + "#actions"
    form = ActionForm(request.POST, owners=_owners(meeting, request.user))
    if not form.is_valid():
        return _invalid(request, form, to)
    d = form.cleaned_data
    owner_member = owner_user = None
    if d["owner"] == STAFF_OWNER:
        owner_user = request.user
    else:
        owner_member = next((m for m in access.current_members(meeting.committee) if str(m.pk) == d["owner"]), None)
    return run_service(request, lambda: services.action_add(actor=request.user, meeting=meeting, text=d["text"],
                                                     due_on=d["due_on"], owner_member=owner_member,
                                                     owner_user=owner_user),
                _("The action is recorded; its owner sees it with its due date."), to)  # fmt: skip


@login_required
@require_POST
def action_done(request, pk):
    item = access.get_action_for(request.user, pk)
    to = _meeting_url(item.meeting) + "#actions"
    form = ActionDoneForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, to)
    return run_service(request, lambda: services.action_done(actor=request.user, item=item, note=form.cleaned_data["note"]),
                _("Marked as done."), to)  # fmt: skip


@login_required
@require_POST
def meeting_publish(request, pk):
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return run_service(request, lambda: services.meeting_publish(actor=request.user, meeting=meeting),
                _("The minutes are published to the unit's guardians."), _meeting_url(meeting))  # fmt: skip


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = access.get_meeting_for(request.user, pk, write=True)
    return run_service(request, lambda: services.meeting_cancel(actor=request.user, meeting=meeting),
                _("The meeting is cancelled."), _meeting_url(meeting))  # fmt: skip
