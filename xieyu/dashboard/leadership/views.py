"""Leadership pages: the groups (members by term), the work arrangements of a year, a task (status, evidence,
completion; for a county task its progress across schools, assigning and reminding), and the county's progress
per school and per task.

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

from xieyu.audit.services import access_record
from xieyu.core.forms import form_errors_text
from xieyu.core.uploads import serve_file
from xieyu.core.viewhelpers import error_text, run_service
from xieyu.notices.messages import messages_read_for

from . import access, services
from .forms import EvidenceForm, GroupForm, MemberEndForm, MemberForm, PlanForm, StatusForm, TaskForm
from .models import TaskEvidence
from .years import YEAR_MAX, YEAR_MIN, current_year, year_label

PAGE_SIZE = 20
SCHOOL_SORTS = {"school": "school", "done": "done", "late": "late", "open": "open", "total": "total"}
TASK_SORTS = {"due": "due_on", "title": "title", "done": "n_done", "late": "n_late", "open": "n_open"}


def _need_staff(user) -> None:
    if not access.sees_leadership(user):
        raise Http404("no leadership pages for this user")


def _year(request) -> int:
    raw = request.GET.get("year", "")
    if raw.isascii() and raw.isdigit() and YEAR_MIN <= int(raw) <= YEAR_MAX:
        return int(raw)
    return current_year()


def _invalid(request, form, to: str):
    messages.error(request, form_errors_text(form))
    return redirect(to)


def _group_url(group) -> str:
    return reverse("dashboard:leadership_group", args=[group.pk])


def _plan_url(plan) -> str:
    return reverse("dashboard:leadership_plan", args=[plan.pk])


def _task_url(task) -> str:
    return reverse("dashboard:leadership_task", args=[task.pk])


# --- groups ---------------------------------------------------------------------------------------------------------


@login_required
def group_list(request):
    _need_staff(request.user)
    groups = list(access.group_list_for(request.user)[:500])
    unit = access.unit_to_create_for(request.user)
    can_create = unit is not None and not any(g.county_id == unit[0] and g.school_id == (unit[1].pk if unit[1] else None)
                                              for g in groups)  # fmt: skip
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/leadership/groups.html",
                  {"page": page, "form": GroupForm() if can_create else None})  # fmt: skip


@login_required
@require_POST
def group_create(request):
    _need_staff(request.user)
    unit = access.unit_to_create_for(request.user)
    if unit is None:
        raise Http404("no unit to create a group for")
    form = GroupForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, reverse("dashboard:leadership_groups"))
    try:
        group = services.group_create(actor=request.user, county_id=unit[0], school=unit[1], **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("dashboard:leadership_groups")
    messages.success(request, _("The group is created: now add its members."))
    return redirect(_group_url(group))


@login_required
def group_detail(request, pk):
    group = access.get_group_for(request.user, pk)
    manages = access.manages_group(request.user, group)
    if manages:
        access_record(actor=request.user, target=group, purpose="leadership.members", request=request)
    return render(request, "dashboard/leadership/group.html", {
        "group": group, "manages": manages, "members": access.current_members(group),
        "history": list(access.past_members(group)[:100]) if manages else [],
        "form": MemberForm(county=group.is_county) if manages else None, "end_form": MemberEndForm(),
    })  # fmt: skip


@login_required
@require_POST
def member_add(request, pk):
    group = access.get_group_for(request.user, pk, write=True)
    form = MemberForm(request.POST, county=group.is_county)
    if not form.is_valid():
        return _invalid(request, form, _group_url(group))
    return run_service(request, lambda: services.member_add(actor=request.user, group=group, **form.cleaned_data),
                       _("The member is added."), _group_url(group))  # fmt: skip


@login_required
@require_POST
def member_end(request, pk):
    member = access.get_member_for(request.user, pk, write=True)
    form = MemberEndForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, _group_url(member.group))
    return run_service(request, lambda: services.member_end(actor=request.user, member=member,
                                                            note=form.cleaned_data["note"]),
                       _("The seat has ended; it stays in the group's history."), _group_url(member.group))  # fmt: skip


# --- arrangements ---------------------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    _need_staff(request.user)
    year = _year(request)
    plans = list(access.plan_list_for(request.user, year)[:500])
    unit = access.unit_to_create_for(request.user)
    can_create = unit is not None and not any(p.county_id == unit[0] and p.school_id == (unit[1].pk if unit[1] else None)
                                              for p in plans)  # fmt: skip
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/leadership/plans.html", {
        "page": page, "year": year, "year_label": year_label(year), "years": [year - 1, year + 1],
        "form": PlanForm(year=year) if can_create else None,
        "is_county": access.is_county_admin(request.user),
    })  # fmt: skip


@login_required
@require_POST
def plan_create(request):
    _need_staff(request.user)
    unit = access.unit_to_create_for(request.user)
    if unit is None:
        raise Http404("no unit to create an arrangement for")
    form = PlanForm(request.POST, year=current_year())
    if not form.is_valid():
        return _invalid(request, form, reverse("dashboard:leadership_plans"))
    try:
        plan = services.plan_create(actor=request.user, county_id=unit[0], school=unit[1], **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("dashboard:leadership_plans")
    messages.success(request, _("The work arrangement is created: now add its tasks."))
    return redirect(_plan_url(plan))


def _task_form(plan, data=None) -> TaskForm:
    schools = access.county_schools(plan.county_id) if plan.school_id is None else None
    return TaskForm(data, members=access.owner_members_for(plan), schools=schools)


@login_required
def plan_detail(request, pk):
    plan = access.get_plan_for(request.user, pk)
    manages = access.manages_unit(request.user, county_id=plan.county_id, school_id=plan.school_id)
    page = Paginator(access.plan_tasks(plan), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/leadership/plan.html", {
        "plan": plan, "page": page, "manages": manages, "year_label": year_label(plan.year),
        "form": _task_form(plan) if manages else None,
    })  # fmt: skip


@login_required
@require_POST
def task_create(request, pk):
    plan = access.get_plan_for(request.user, pk, write=True)
    form = _task_form(plan, request.POST)
    if not form.is_valid():
        return _invalid(request, form, _plan_url(plan))
    d = form.cleaned_data
    schools = list(access.county_schools(plan.county_id)) if d.get("all_schools") else list(d.get("schools") or [])
    return run_service(request, lambda: services.task_create(
        actor=request.user, plan=plan, title=d["title"], description=d["description"], due_on=d["due_on"],
        owner_member=d["owner_member"], schools=schools or None),
        _("The task is added."), _plan_url(plan))  # fmt: skip


# --- a task ---------------------------------------------------------------------------------------------------------


@login_required
def task_detail(request, pk):
    task = access.get_task_for(request.user, pk)
    works = access.manages_unit(request.user, county_id=task.county_id, school_id=task.school_id)
    messages_read_for(user=request.user, link=request.path)
    ctx = {"task": task, "works": works, "evidence": list(access.task_evidence(task)[:50]),
           "year_label": year_label(task.plan.year)}  # fmt: skip
    if works and task.status != task.Status.DONE:
        ctx["evidence_form"] = EvidenceForm(events=access.evidence_events_for(task)[:100],
                                            notices=access.evidence_notices_for(task)[:100])  # fmt: skip
        ctx["status_form"] = StatusForm(initial={"status": task.status})
    if task.school_id is None:
        ctx["instances"] = Paginator(access.instances_of(task), PAGE_SIZE).get_page(request.GET.get("page"))
        if works:
            ctx["assign_schools"] = access.schools_without(task)
    return render(request, "dashboard/leadership/task.html", ctx)


@login_required
@require_POST
def task_status(request, pk):
    task = access.get_task_for(request.user, pk, write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, _task_url(task))
    return run_service(request, lambda: services.task_status_set(actor=request.user, task=task,
                                                                 status=form.cleaned_data["status"]),
                       _("The status is saved."), _task_url(task))  # fmt: skip


@login_required
@require_POST
def evidence_add(request, pk):
    task = access.get_task_for(request.user, pk, write=True)
    form = EvidenceForm(request.POST, request.FILES, events=access.evidence_events_for(task),
                        notices=access.evidence_notices_for(task))  # fmt: skip
    if not form.is_valid():
        return _invalid(request, form, _task_url(task))
    d = form.cleaned_data
    return run_service(request, lambda: services.evidence_add(actor=request.user, task=task, kind=d["kind"],
                                                              file=d["file"], event=d["event"], notice=d["notice"],
                                                              note=d["note"]),
                       _("The evidence is attached."), _task_url(task))  # fmt: skip


@login_required
@require_POST
def task_complete(request, pk):
    task = access.get_task_for(request.user, pk, write=True)
    return run_service(request, lambda: services.task_complete(actor=request.user, task=task),
                       _("The task is done."), _task_url(task))  # fmt: skip


@login_required
@require_POST
def task_assign(request, pk):
    task = access.get_task_for(request.user, pk, write=True)
    schools = access.county_schools(task.county_id)
    if request.POST.get("all_schools") != "on":
        ids = [int(i) for i in request.POST.getlist("schools") if i.isascii() and i.isdigit() and len(i) < 19]
        schools = schools.filter(pk__in=ids)
    return run_service(request, lambda: services.task_assign(actor=request.user, task=task, schools=list(schools)),
                       _("The task is assigned to the schools."), _task_url(task))  # fmt: skip


@login_required
@require_POST
def task_remind(request, pk):
    task = access.get_task_for(request.user, pk, write=True)
    try:
        sent = services.task_remind_late(actor=request.user, task=task)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(n)s reminders sent to the admins of the late schools.") % {"n": sent})
    return redirect(_task_url(task))


@login_required
def evidence_file(request, pk):
    evidence = access.get_evidence_for(request.user, pk)
    if evidence.kind != TaskEvidence.Kind.DOCUMENT or not evidence.file:
        raise Http404("no file")
    return serve_file(evidence.file, filename=evidence.file_name)


# --- the county's progress ------------------------------------------------------------------------------------------


def _sort(request, allowed: dict[str, str], default: str, param: str) -> tuple[str, str, bool]:
    raw = request.GET.get(param, default)
    desc = raw.startswith("-")
    key = raw.lstrip("-")
    if key not in allowed:
        key, desc = default.lstrip("-"), default.startswith("-")
    return key, allowed[key], desc


@login_required
def progress(request):
    if not access.is_county_admin(request.user):
        raise Http404("only the county sees progress")
    county_id = access.county_of(request.user)
    year = _year(request)
    key, field, desc = _sort(request, SCHOOL_SORTS, "-late", "sort")
    rows = access.task_progress_by_school(county_id, year)
    rows.sort(key=lambda r: r[field], reverse=desc)
    schools = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    tkey, tfield, tdesc = _sort(request, TASK_SORTS, "due", "tsort")
    tasks_qs = access.county_task_progress(county_id, year).order_by(("-" if tdesc else "") + tfield, "pk")
    tasks = Paginator(tasks_qs, PAGE_SIZE).get_page(request.GET.get("tpage"))
    return render(request, "dashboard/leadership/progress.html", {
        "year": year, "year_label": year_label(year), "years": [year - 1, year + 1], "schools": schools,
        "tasks": tasks, "sort": ("-" if desc else "") + key, "tsort": ("-" if tdesc else "") + tkey,
    })  # fmt: skip
