"""Who may see and change leadership groups, work arrangements and their tasks (built on the one scope).

- A county admin manages the county's group and arrangement (and its tasks), and sees every school's group,
  arrangement and tasks in the county, with their progress.
- A school admin manages the school's own group and arrangement, and works the school's tasks, including the
  instances of county tasks assigned to the school (status, evidence, completion).
- Nobody else (head teachers, teachers, guardians) sees any of it; missing and forbidden answer 404 alike.
- Members' phones are shown only to those who manage the group.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import School
from xieyu.events.models import Event
from xieyu.notices.models import Notice

from .models import LeadershipGroup, LeadershipMember, TaskEvidence, WorkPlan, WorkTask

NOTHING = Q(pk__in=[])


def _county_ids(user) -> set[int]:
    return scope_of(user).counties(Role.COUNTY_ADMIN)


def _school_ids(user) -> set[int]:
    return scope_of(user).whole_schools(Role.SCHOOL_ADMIN)


def is_county_admin(user) -> bool:
    return bool(_county_ids(user))


def county_of(user) -> int | None:
    """The county a county admin acts for (the first, for an admin of several)."""
    counties = _county_ids(user)
    return min(counties) if counties else None


def is_school_admin(user) -> bool:
    return bool(_school_ids(user))


def sees_leadership(user) -> bool:
    return is_county_admin(user) or is_school_admin(user)


def _unit_q(user, *, write: bool) -> Q:
    """Rows of a unit (county and school copied on the row): what the user sees, or manages with `write`."""
    counties, schools = _county_ids(user), _school_ids(user)
    q = NOTHING
    if counties:
        q |= Q(county__in=counties, school__isnull=True) if write else Q(county__in=counties)
    if schools:
        q |= Q(school__in=schools)
    return q


def manages_unit(user, *, county_id: int, school_id: int | None) -> bool:
    if school_id is None:
        return county_id in _county_ids(user)
    return school_id in _school_ids(user)


# --- groups -----------------------------------------------------------------------------------------------------------


def groups_visible_to(user) -> QuerySet[LeadershipGroup]:
    return LeadershipGroup.objects.filter(_unit_q(user, write=False))


def groups_managed_by(user) -> QuerySet[LeadershipGroup]:
    return LeadershipGroup.objects.filter(_unit_q(user, write=True))


def get_group_for(user, pk, *, write: bool = False) -> LeadershipGroup:
    qs = groups_managed_by(user) if write else groups_visible_to(user)
    group = qs.filter(pk=pk).select_related("county", "school").first()
    if group is None:
        raise Http404("group not found")
    return group


def manages_group(user, group: LeadershipGroup) -> bool:
    return manages_unit(user, county_id=group.county_id, school_id=group.school_id)


def group_list_for(user) -> QuerySet[LeadershipGroup]:
    """The county's group first, then the schools' groups by name."""
    return (
        groups_visible_to(user)
        .select_related("county", "school")
        .annotate(
            current=Count(
                "members", filter=Q(members__ended_at__isnull=True, members__term_end__gte=timezone.localdate())
            )
        )  # fmt: skip
        .order_by(F("school__name").asc(nulls_first=True), "pk")
    )


POST_ORDER: dict[str, int] = {"leader": 0, "deputy": 1, "member": 2}


def current_members(group: LeadershipGroup) -> list[LeadershipMember]:
    rows = list(
        LeadershipMember.objects.filter(group=group, ended_at__isnull=True, term_end__gte=timezone.localdate())
        .select_related("user")
        .order_by("term_start", "pk")
    )
    rows.sort(key=lambda m: (POST_ORDER.get(m.post, 9), m.department, m.term_start, m.pk))
    return rows


def past_members(group: LeadershipGroup) -> QuerySet[LeadershipMember]:
    today = timezone.localdate()
    return (
        LeadershipMember.objects.filter(group=group)
        .filter(Q(ended_at__isnull=False) | Q(term_end__lt=today))
        .order_by("-term_end", "-pk")
    )


def get_member_for(user, pk, *, write: bool = False) -> LeadershipMember:
    groups = groups_managed_by(user) if write else groups_visible_to(user)
    member = LeadershipMember.objects.filter(pk=pk, group__in=groups.values("pk")).select_related("group").first()
    if member is None:
        raise Http404("member not found")
    return member


def unit_to_create_for(user) -> tuple[int, School | None] | None:
    """The one unit the user manages a group or arrangement for: (county id, None) for a county admin of one
    county, (county id, school) for a school admin of one school; None otherwise."""
    counties, schools = _county_ids(user), _school_ids(user)
    if len(counties) == 1:
        return next(iter(counties)), None
    if len(schools) == 1:
        school = School.objects.filter(pk__in=schools).first()
        return (school.county_id, school) if school is not None else None
    return None


# --- plans and tasks -----------------------------------------------------------------------------------------------


def plans_visible_to(user) -> QuerySet[WorkPlan]:
    return WorkPlan.objects.filter(_unit_q(user, write=False))


def plans_managed_by(user) -> QuerySet[WorkPlan]:
    return WorkPlan.objects.filter(_unit_q(user, write=True))


def get_plan_for(user, pk, *, write: bool = False) -> WorkPlan:
    qs = plans_managed_by(user) if write else plans_visible_to(user)
    plan = qs.filter(pk=pk).select_related("county", "school").first()
    if plan is None:
        raise Http404("plan not found")
    return plan


def plan_list_for(user, year: int) -> QuerySet[WorkPlan]:
    return (
        plans_visible_to(user)
        .filter(year=year)
        .select_related("school")
        .annotate(
            n_tasks=Count("tasks"),
            n_done=Count("tasks", filter=Q(tasks__status=WorkTask.Status.DONE)),
            n_late=Count("tasks", filter=late_q("tasks__")),
        )
        .order_by(F("school__name").asc(nulls_first=True), "pk")
    )


def late_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return ~Q(**{f"{prefix}status": WorkTask.Status.DONE}) & Q(**{f"{prefix}due_on__lt": today})


def open_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return ~Q(**{f"{prefix}status": WorkTask.Status.DONE}) & Q(**{f"{prefix}due_on__gte": today})


def tasks_visible_to(user) -> QuerySet[WorkTask]:
    return WorkTask.objects.filter(_unit_q(user, write=False))


def tasks_worked_by(user) -> QuerySet[WorkTask]:
    """Tasks the user works (status, evidence, completion): the unit's own, instances of county tasks included."""
    return WorkTask.objects.filter(_unit_q(user, write=True))


def get_task_for(user, pk, *, write: bool = False) -> WorkTask:
    qs = tasks_worked_by(user) if write else tasks_visible_to(user)
    task = qs.filter(pk=pk).select_related("plan", "school", "parent", "owner_member", "owner_user").first()
    if task is None:
        raise Http404("task not found")
    return task


def plan_tasks(plan: WorkPlan) -> QuerySet[WorkTask]:
    return (
        WorkTask.objects.filter(plan=plan)
        .select_related("owner_member", "owner_user", "parent")
        .annotate(
            n_evidence=Count("evidence", distinct=True),
            n_instances=Count("instances", distinct=True),
            n_instances_done=Count("instances", filter=Q(instances__status=WorkTask.Status.DONE), distinct=True),
        )
        .order_by("due_on", "pk")
    )


def task_evidence(task: WorkTask) -> QuerySet[TaskEvidence]:
    return TaskEvidence.objects.filter(task=task).select_related("event", "notice", "added_by")


def get_evidence_for(user, pk) -> TaskEvidence:
    evidence = TaskEvidence.objects.filter(pk=pk, task__in=tasks_visible_to(user).values("pk")).first()
    if evidence is None:
        raise Http404("evidence not found")
    return evidence


def evidence_events_for(task: WorkTask) -> QuerySet[Event]:
    """Events the task's unit organised (the school's own, or the county's for a county task), newest first."""
    return (
        Event.objects.filter(county=task.county_id, school=task.school_id)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("-starts_at", "-pk")
    )


def evidence_notices_for(task: WorkTask) -> QuerySet[Notice]:
    """Notices the task's unit sent (the school's, or the county's own for a county task), newest first."""
    return Notice.objects.filter(
        kind=Notice.Kind.BROADCAST, county=task.county_id, school=task.school_id, retracted_at__isnull=True
    ).order_by("-created_at", "-pk")  # fmt: skip


def owner_members_for(plan: WorkPlan) -> QuerySet[LeadershipMember]:
    """The current members of the plan's unit's group (who may own its tasks)."""
    today = timezone.localdate()
    return LeadershipMember.objects.filter(
        group__county=plan.county_id, group__school=plan.school_id, ended_at__isnull=True, term_end__gte=today
    ).order_by("post", "pk")  # fmt: skip


def county_schools(county_id: int) -> QuerySet[School]:
    return School.objects.filter(county=county_id).order_by("name", "pk")


# --- progress across schools (also read by the dashboard) -----------------------------------------------------------


def task_progress_by_school(county, year: int) -> list[dict]:
    """For each school of the county: its tasks of the year (its own and the county's instances) done, late and
    open. Two queries whatever the number of schools or tasks."""
    county_id = getattr(county, "pk", county)
    counts = {
        row["school"]: row
        for row in WorkTask.objects.filter(county=county_id, plan__year=year, school__isnull=False)
        .values("school")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=WorkTask.Status.DONE)),
            late=Count("pk", filter=late_q()),
            open=Count("pk", filter=open_q()),
        )
    }
    out = []
    for school in county_schools(county_id).values("pk", "name"):
        row = counts.get(school["pk"], {})
        out.append({"school_id": school["pk"], "school": school["name"], "total": row.get("total", 0),
                    "done": row.get("done", 0), "late": row.get("late", 0), "open": row.get("open", 0)})  # fmt: skip
    return out


def county_task_progress(county, year: int) -> QuerySet[WorkTask]:
    """The county's tasks of the year, each with its instances across schools done, late and open."""
    county_id = getattr(county, "pk", county)
    return WorkTask.objects.filter(county=county_id, school__isnull=True, plan__year=year).annotate(
        n_schools=Count("instances"),
        n_done=Count("instances", filter=Q(instances__status=WorkTask.Status.DONE)),
        n_late=Count("instances", filter=late_q("instances__")),
        n_open=Count("instances", filter=open_q("instances__")),
    )


def late_instances(task: WorkTask) -> QuerySet[WorkTask]:
    return WorkTask.objects.filter(parent=task).filter(late_q()).select_related("school").order_by("school__name")


def instances_of(task: WorkTask) -> QuerySet[WorkTask]:
    return (
        WorkTask.objects.filter(parent=task)
        .select_related("school")
        .annotate(n_evidence=Count("evidence"))
        .order_by("school__name", "pk")
    )


def schools_without(task: WorkTask) -> QuerySet[School]:
    """The county's schools a county task is not assigned to yet."""
    return county_schools(task.county_id).exclude(pk__in=WorkTask.objects.filter(parent=task).values("school_id"))


def school_task_counts(school_id: int, year: int) -> dict:
    """One school's tasks of the year (its own and the county's instances): total, done, late, open. One query."""
    return WorkTask.objects.filter(school=school_id, plan__year=year).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=WorkTask.Status.DONE)),
        late=Count("pk", filter=late_q()),
        open=Count("pk", filter=open_q()),
    )
