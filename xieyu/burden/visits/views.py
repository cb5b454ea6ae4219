"""Pages of home visits (家访) and 双减 meetings: the class plan, recording a visit, one visit (a logged read),
coverage by class and school, a meeting opened from a flag, new meeting, the school's meetings and the minutes.

Every read and authorisation goes through access.py (404 alike for missing and forbidden); every write through
services.py (a refusal is shown, nothing changed)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.audit.services import access_record
from xieyu.core.viewhelpers import error_text, id_or_404, parse_id
from xieyu.parentschool.semester import semester_of

from . import access, services
from .forms import CaseRequestForm, FollowUpForm, MeetingForm, MinutesForm, PlanForm, VisitForm

PAGE_SIZE = 30


def _page(request, items, size: int = PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


def _refusal(form, exc, field: str | None = None) -> None:
    code = getattr(exc, "code", None)
    target = code if code in form.fields else field
    form.add_error(target, error_text(exc))


# --- the plan -----------------------------------------------------------------------------------------------------


@login_required
def visit_plan(request):
    """A class's families in plan order (registered, no phone, not visited yet first), the planned date, the last
    visit of the school year; the head teacher plans a date or records a visit."""
    raw = request.GET.get("class") or request.POST.get("class")
    if raw:
        school_class = access.get_class_for_visits(request.user, id_or_404(raw))
    else:
        school_class = access.get_class_for_visits(request.user, access.default_class_for(request.user).pk)
    writable = access.may_record(request.user, school_class)
    sem, year = semester_of(), access.school_year_of()
    form = PlanForm()
    status = 200
    if request.method == "POST":
        if not writable:
            raise Http404("class not found")
        form = PlanForm(request.POST)
        if form.is_valid():
            student = access.get_student_to_visit(request.user, school_class, id_or_404(form.cleaned_data["student"]))
            try:
                services.visit_plan(actor=request.user, student=student, planned_on=form.cleaned_data["planned_on"])
            except ValidationError as exc:
                messages.error(request, error_text(exc))
                status = 400
            else:
                messages.success(request, _("The visit to %(name)s's family is planned.") % {"name": student.name})
                return redirect(f"{reverse('burden:visit_plan')}?class={school_class.pk}")
        else:
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
            status = 400
    page = _page(request, access.plan_rows(school_class, sem.code, year))
    labels = access.registry_labels(request.user, list(page.object_list))
    rows = []
    for s in page.object_list:
        reasons = []
        if s.registered:
            reasons.append("、".join(labels[s.pk]) if labels.get(s.pk) else _("priority"))
        if not s.has_phone:
            reasons.append(_("no phone"))
        rows.append({"student": s, "reasons": reasons})
    coverage = access.coverage_classes(request.user, school_class.school, year).filter(school_class=school_class)
    return render(request, "burden/visits/plan.html", {
        "school_class": school_class, "semester": sem, "page_obj": page, "rows": rows, "writable": writable,
        "coverage": coverage.first(), "today": timezone.localdate(), "form": form,
    }, status=status)  # fmt: skip


# --- a visit --------------------------------------------------------------------------------------------------------


def _follow_ups_from(form: VisitForm, staff_by_id: dict) -> list[services.FollowUpIn]:
    items = []
    for i in range(1, 4):
        text = form.cleaned_data.get(f"fu_text_{i}") or ""
        if not text.strip():
            continue
        owner = staff_by_id.get(parse_id(form.cleaned_data.get(f"fu_owner_{i}")))
        items.append(services.FollowUpIn(text=text, owner=owner, days=form.cleaned_data.get(f"fu_days_{i}")))
    return items


@login_required
def visit_new(request, pk):
    """Record a visit to one family: the head teacher goes by default."""
    student = access.get_student_for_visit(request.user, pk)
    school_class = student.school_class
    if school_class is None:
        raise Http404("student not found")
    staff = access.staff_of_class(school_class)
    staff_by_id = {u.pk: u for u in staff}
    guardianships = access.family_guardians(student)
    initial = {"visited_on": timezone.localdate(), "visitors": [str(request.user.pk)]}
    form = VisitForm(request.POST or None, staff=staff, guardianships=guardianships, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            met_ids = [int(x) for x in form.cleaned_data["met"]]
            try:
                visit = services.visit_record(
                    actor=request.user, student=student, visited_on=form.cleaned_data["visited_on"],
                    place=form.cleaned_data["place"],
                    visitors=[staff_by_id[int(x)] for x in form.cleaned_data["visitors"]],
                    met=access.guardians_of_family(student, met_ids), met_ids=met_ids,
                    companion=form.cleaned_data["companion"], discussed=form.cleaned_data["discussed"],
                    concerns=form.cleaned_data["concerns"], follow_ups=_follow_ups_from(form, staff_by_id),
                    allowed_staff=staff,
                )  # fmt: skip
            except ValidationError as exc:
                code = getattr(exc, "code", None)
                field = {"follow_up_owner": "fu_owner_1", "follow_up_text": "fu_text_1",
                         "follow_up_days": "fu_days_1"}.get(code or "")  # fmt: skip
                _refusal(form, exc, field)
            else:
                messages.success(request, _("The visit to %(name)s's family is recorded.") % {"name": student.name})
                return redirect("burden:visit_detail", visit.pk)
    return render(request, "burden/visits/visit_form.html",
                  {"student": student, "school_class": school_class, "form": form}, status=status)  # fmt: skip


@login_required
def visit_detail(request, pk):
    """One visit record (a sensitive read, logged): who went, who was met, what was said, concerns, follow-ups with
    their dues; the follow-ups are marked done, and a concern can become a care case request."""
    visit = access.get_visit_for(request.user, pk)
    writable = access.may_record(request.user, visit.school_class)
    staff = access.staff_of_class(visit.school_class) if writable else []
    fu_form, case_form = FollowUpForm(staff=staff), CaseRequestForm(initial={"concern": visit.concerns})
    status = 200
    if request.method == "POST":
        action = request.POST.get("form", "")
        if action == "done":
            follow_up = access.get_follow_up_for(request.user, visit, id_or_404(request.POST.get("follow_up")))
            try:
                services.visit_follow_up_done(actor=request.user, follow_up=follow_up)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The follow-up is done."))
            return redirect("burden:visit_detail", visit.pk)
        if not writable:
            raise Http404("visit not found")
        if action == "follow_up":
            fu_form = FollowUpForm(request.POST, staff=staff)
            if fu_form.is_valid():
                owner = {u.pk: u for u in staff}.get(parse_id(fu_form.cleaned_data["owner"]))
                item = services.FollowUpIn(text=fu_form.cleaned_data["text"], owner=owner,
                                           days=fu_form.cleaned_data["days"])  # fmt: skip
                try:
                    services.visit_follow_up_add(actor=request.user, visit=visit, item=item, allowed_staff=staff)
                except ValidationError as exc:
                    _refusal(fu_form, exc, "text")
                else:
                    messages.success(request, _("The follow-up is added."))
                    return redirect("burden:visit_detail", visit.pk)
            status = 400
        elif action == "case":
            case_form = CaseRequestForm(request.POST)
            if case_form.is_valid():
                try:
                    services.visit_case_request(actor=request.user, visit=visit,
                                                concern=case_form.cleaned_data["concern"])  # fmt: skip
                except ValidationError as exc:
                    case_form.add_error("concern", error_text(exc))
                else:
                    messages.success(request, _("The county's counsellors have been asked for a care case."))
                    return redirect("burden:visit_detail", visit.pk)
            status = 400
        else:
            raise Http404("no such form")
    follow_ups = access.follow_ups_of(visit)
    access_record(actor=request.user, target=visit, purpose="burden.visit.read", request=request,
                  detail={"student": visit.student_id})  # fmt: skip
    return render(request, "burden/visits/visit_detail.html", {
        "visit": visit, "follow_ups": follow_ups, "writable": writable, "fu_form": fu_form, "case_form": case_form,
        "user_id": request.user.pk,
    }, status=status)  # fmt: skip


# --- coverage -------------------------------------------------------------------------------------------------------


def _rate(visited: int, families: int) -> int | None:
    return round(100 * visited / families) if families else None


@login_required
def visit_coverage(request):
    """Families visited this school year: a school's classes (school admins, head teachers their own class), or
    for the county admin the county's schools, each opening on its classes. Read from the kept counts."""
    year = access.school_year_of()
    scope = scope_of(request.user)
    raw = request.GET.get("school")
    counties = scope.counties(Role.COUNTY_ADMIN)
    if not raw and counties:
        county_id = min(counties)
        rows = list(access.coverage_schools(request.user, county_id, year))
        for r in rows:
            r["rate"] = _rate(r["visited"], r["families"])
        page = _page(request, rows, 50)
        totals = {"families": sum(r["families"] for r in rows), "visited": sum(r["visited"] for r in rows)}
        totals["rate"] = _rate(totals["visited"], totals["families"])
        return render(request, "burden/visits/coverage_county.html",
                      {"page_obj": page, "totals": totals, "year": year})  # fmt: skip
    if raw:
        school = access.get_coverage_school_for(request.user, id_or_404(raw))
    else:
        schools = sorted(scope.schools(Role.SCHOOL_ADMIN, Role.HEAD_TEACHER))
        if not schools:
            raise Http404("no school")
        school = access.get_coverage_school_for(request.user, schools[0])
    page = _page(request, access.coverage_classes(request.user, school, year), 50)
    for c in page.object_list:
        c.rate = _rate(c.visited, c.families)
    return render(request, "burden/visits/coverage_school.html",
                  {"school": school, "page_obj": page, "year": year, "county_view": bool(counties)})  # fmt: skip


# --- 双减 meetings -----------------------------------------------------------------------------------------------------


def _units(request) -> list[tuple[str, str]]:
    classes, schools = access.meeting_units_for(request.user)
    return [*[(f"class:{c.pk}", f"{c.school.name} {c}") for c in classes],
            *[(f"school:{s.pk}", _("%(school)s (whole school)") % {"school": s.name}) for s in schools]]  # fmt: skip


def _unit_of(request, value: str):
    classes, schools = access.meeting_units_for(request.user)
    kind, _sep, raw = (value or "").partition(":")
    pk = parse_id(raw)
    if kind == "class":
        return next((c for c in classes if c.pk == pk), None), None
    if kind == "school":
        return None, next((s for s in schools if s.pk == pk), None)
    return None, None


def _default_times() -> tuple[datetime.datetime, datetime.datetime]:
    day = timezone.localdate() + datetime.timedelta(days=3)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 30)))
    return start, start + datetime.timedelta(hours=1)


def _meeting_post(request, form: MeetingForm, flag=None):
    if not form.is_valid():
        return None
    school_class, school = (
        (flag.school_class, None) if flag is not None else _unit_of(request, form.cleaned_data["unit"])
    )
    if flag is None and school_class is None and school is None:
        form.add_error("unit", _("Choose the class or the school the meeting is for."))
        return None
    try:
        return services.meeting_create(
            actor=request.user, kind=form.cleaned_data["kind"], title=form.cleaned_data["title"],
            starts_at=form.cleaned_data["starts_at"], ends_at=form.cleaned_data["ends_at"],
            place=form.cleaned_data["place"], description=form.cleaned_data["description"],
            school_class=school_class, school=school, flag=flag,
        )  # fmt: skip
    except (ValidationError, PermissionDenied) as exc:
        code = getattr(exc, "code", None)
        form.add_error(code if code in form.fields else None, error_text(exc))
        return None


@login_required
def meeting_new(request):
    """A 双减家长会 or 课后作业恳谈会 for one's class (head teacher) or school (school admin)."""
    units = _units(request)
    if not units:
        raise Http404("no unit")
    start, end = _default_times()
    form = MeetingForm(request.POST or None, units=units, initial={
        "kind": "double_reduction_meeting", "starts_at": start, "ends_at": end, "unit": units[0][0]})  # fmt: skip
    if request.method == "POST":
        event = _meeting_post(request, form)
        if event is not None:
            messages.success(request, _("The meeting is published to the families."))
            return redirect("burden:meeting_minutes", event.pk)
    return render(request, "burden/visits/meeting_form.html", {"form": form, "flag": None},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def flag_meeting_new(request, pk):
    """A homework meeting opened from a class's open burden flag, prefilled; the flag then shows it."""
    flag = access.get_flag_for_meeting(request.user, pk)
    if flag.meeting_id is not None:
        messages.info(request, _("A meeting has already been opened from this flag."))
        return redirect("burden:meeting_minutes", flag.meeting_id)
    start, end = _default_times()
    sc = flag.school_class
    unit = (f"class:{sc.pk}", f"{sc.school.name} {sc}")
    form = MeetingForm(request.POST or None, units=[unit], initial={
        "kind": "homework_meeting", "unit": unit[0], "starts_at": start, "ends_at": end,
        "title": _("Homework discussion meeting: %(class)s") % {"class": str(sc)},
        "place": _("%(class)s classroom") % {"class": str(sc)},
        "description": _("Our class's diaries were over the line on %(metric)s for two weeks running. Let us talk "
                         "about it together.") % {"metric": flag.get_metric_display()},
    })  # fmt: skip
    if request.method == "POST":
        event = _meeting_post(request, form, flag=flag)
        if event is not None:
            messages.success(request, _("The homework meeting is published to the class's families."))
            return redirect("burden:meeting_minutes", event.pk)
    return render(request, "burden/visits/meeting_form.html", {"form": form, "flag": flag},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def meeting_list(request):
    """The 双减 meetings the user sees (their school's, or the county's), newest first, and whether minutes exist."""
    page = _page(request, access.meetings_visible_to(request.user))
    for e in page.object_list:
        e.minutes = access.minutes_of(e)
    classes, schools = access.meeting_units_for(request.user)
    return render(request, "burden/visits/meeting_list.html",
                  {"page_obj": page, "may_create": bool(classes or schools)})  # fmt: skip


@login_required
def meeting_minutes(request, pk):
    """A meeting's minutes: what families raised, what the school changed. The school admin or the class's head
    teacher writes and publishes them; the audience's guardians read them once published."""
    event = access.get_meeting_for(request.user, pk)
    writable = access.may_write_minutes(request.user, event)
    minutes = access.minutes_of(event)
    initial = {"raised": "\n".join(minutes.raised), "changes": "\n".join(minutes.changes)} if minutes else {}
    form = MinutesForm(initial=initial)
    status = 200
    if request.method == "POST":
        if not writable:
            raise Http404("meeting not found")
        if request.POST.get("form") == "publish":
            if minutes is None:
                messages.error(request, _("Write the minutes before publishing them."))
                return redirect("burden:meeting_minutes", event.pk)
            try:
                services.minutes_publish(actor=request.user, minutes=minutes,
                                         link=request.build_absolute_uri(request.path))  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The minutes are sent to the families."))
            return redirect("burden:meeting_minutes", event.pk)
        form = MinutesForm(request.POST)
        if form.is_valid():
            try:
                services.minutes_write(actor=request.user, event=event, raised=form.cleaned_data["raised"],
                                       changes=form.cleaned_data["changes"])  # fmt: skip
            except ValidationError as exc:
                form.add_error(exc.code if exc.code in form.fields else None, error_text(exc))
            else:
                messages.success(request, _("The minutes are saved."))
                return redirect("burden:meeting_minutes", event.pk)
        status = 400
    return render(request, "burden/visits/minutes.html", {
        "event": event, "minutes": minutes, "writable": writable, "form": form,
        "started": event.starts_at <= timezone.now(),
    }, status=status)  # fmt: skip
