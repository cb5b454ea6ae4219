"""Every write of leadership groups and work arrangements: groups and their seats by term, arrangements, tasks
(on the deadline engine, policy dashboard.task), assigning a county task to schools, evidence, completion and the
county's reminder to schools late on a task.

The edge has fetched and authorised the objects through access.py; the rules between them are enforced here, and
a refusal is a ValidationError whose Chinese message names what is wrong (nothing is changed).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Membership, Role, User
from xieyu.audit.services import audit_record
from xieyu.core.uploads import IMAGES, MB, OFFICE, AllowList, check_upload
from xieyu.deadlines.services import deadline_for, deadline_resolve, deadline_start
from xieyu.deadlines.workcalendar import working_days_until
from xieyu.directory.models import Region, School
from xieyu.events.models import Event
from xieyu.notices.messages import message_send
from xieyu.notices.models import Notice

from . import access
from .models import LeadershipGroup, LeadershipMember, TaskEvidence, WorkPlan, WorkTask
from .years import YEAR_MAX, YEAR_MIN, year_label

POLICY = "dashboard.task"
REMINDER_TOPIC = "dashboard.task_reminder"
ESCALATION_TOPIC = "dashboard.task_overdue"
# Evidence of a task: a report, minutes, a sign-in sheet or photos of the activity.
EVIDENCE_FILES = AllowList(IMAGES + OFFICE, max_bytes=20 * MB, max_image_bytes=10 * MB)
TEXT_MAX = 5_000


def _text(value, *, required: str | None, limit: int, too_long: str, code: str) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError(too_long % {"n": limit}, code=code)
    if not value and required:
        raise ValidationError(required, code=code)
    if len(value) > limit:
        raise ValidationError(too_long % {"n": limit}, code=code)
    return value


def unit_name(county_id: int, school: School | None) -> str:
    if school is not None:
        return school.name
    county = Region.objects.filter(pk=county_id).first()
    return county.name if county else ""


# --- groups and seats -----------------------------------------------------------------------------------------------


@transaction.atomic
def group_create(
    *, actor, county_id: int, school: School | None = None, name: str, duties: str = ""
) -> LeadershipGroup:
    """The county's leadership group (no school) or a school's; one of each."""
    name = _text(name, required=_("Give the group a name."), limit=80, code="name",
                 too_long=_("The group name is too long: at most %(n)s characters."))  # fmt: skip
    duties = _text(duties, required=None, limit=TEXT_MAX, code="duties",
                   too_long=_("The duties are too long: at most %(n)s characters."))  # fmt: skip
    if school is not None and school.county_id != county_id:
        raise ValidationError(_("The school is not in this county."), code="school")
    if LeadershipGroup.objects.filter(county=county_id, school=school).exists():
        raise ValidationError(_("This unit already has a leadership group."), code="name")
    group = LeadershipGroup.objects.create(county_id=county_id, school=school, name=name, duties=duties,
                                           created_by=actor)  # fmt: skip
    audit_record(actor=actor, action="leadership.group_create", target=group, changes={"name": [None, name]})
    return group


def _phone(value: str) -> str:
    value = (value or "").strip().replace(" ", "")
    if value and not (len(value) <= 20 and all(c.isdigit() or c == "-" for c in value) and value[0].isdigit()):
        raise ValidationError(_("Give the phone as digits (a mobile number or a landline such as 0797-2632001)."),
                              code="phone")  # fmt: skip
    return value


@transaction.atomic
def member_add(
    *,
    actor,
    group: LeadershipGroup,
    name: str,
    post: str,
    term_start: datetime.date,
    term_end: datetime.date,
    title: str = "",
    department: str = "",
    phone: str = "",
    user: User | None = None,
) -> LeadershipMember:
    """Seat a person in the group for a term. A phone that is a platform account's mobile number links the seat
    to that account (so tasks owned by the seat reach the person). A group has one current leader (组长)."""
    if post not in LeadershipMember.Post.values:
        raise ValidationError(_("Choose the post: group leader, deputy leader or member."), code="post")
    phone = _phone(phone)
    if user is None and phone:
        user = User.objects.filter(phone=phone, is_active=True).first()
    name = _text(name or (user.name if user else ""), required=_("Give the member's name."), limit=50, code="name",
                 too_long=_("The name is too long: at most %(n)s characters."))  # fmt: skip
    title = _text(title, required=None, limit=60, code="title",
                  too_long=_("The job title is too long: at most %(n)s characters."))  # fmt: skip
    department = _text(department, required=None, limit=60, code="department",
                       too_long=_("The department is too long: at most %(n)s characters."))  # fmt: skip
    if department and not group.is_county:
        department = ""  # departments (股室) are the bureau's; a school's members have none
    if term_start is None or term_end is None:
        raise ValidationError(_("Give the term's first and last days."), code="term_start")
    if term_end < term_start:
        raise ValidationError(_("The term ends before it starts."), code="term_end")
    if term_end < timezone.localdate():
        raise ValidationError(_("The term has already ended: give a term that is still running."), code="term_end")
    current = LeadershipMember.objects.filter(group=group, ended_at__isnull=True, term_end__gte=timezone.localdate())
    if post == LeadershipMember.Post.LEADER and current.filter(post=post).exists():
        raise ValidationError(_("The group already has a leader: end that seat first."), code="post")
    if user is not None and current.filter(user=user).exists():
        raise ValidationError(_("This person already has a seat in the group."), code="phone")
    member = LeadershipMember.objects.create(group=group, user=user, name=name, title=title, post=post,
                                             department=department, phone=phone, term_start=term_start,
                                             term_end=term_end, created_by=actor)  # fmt: skip
    audit_record(actor=actor, action="leadership.member_add", target=member,
                 changes={"post": [None, post], "group": [None, group.pk]})  # fmt: skip
    return member


@transaction.atomic
def member_end(*, actor, member: LeadershipMember, note: str = "") -> LeadershipMember:
    """End a seat (its row stays, with why, in the group's history)."""
    note = _text(note, required=None, limit=200, code="note",
                 too_long=_("Say why in at most %(n)s characters."))  # fmt: skip
    if not LeadershipMember.objects.filter(pk=member.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_note=note
    ):
        raise ValidationError(_("This seat has already ended."), code="note")
    member.refresh_from_db()
    audit_record(actor=actor, action="leadership.member_end", target=member, changes={"ended": [False, True]})
    return member


# --- arrangements ---------------------------------------------------------------------------------------------------


def default_plan_title(county_id: int, school: School | None, year: int) -> str:
    return _("%(unit)s work arrangement, %(year)s") % {"unit": unit_name(county_id, school), "year": year_label(year)}


@transaction.atomic
def plan_create(*, actor, county_id: int, school: School | None = None, year: int, title: str = "",
                summary: str = "") -> WorkPlan:  # fmt: skip
    """The unit's work arrangement for an academic year; one per unit and year."""
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(_("Choose the academic year."), code="year")
    title = _text(title or default_plan_title(county_id, school, year), required=None, limit=100, code="title",
                  too_long=_("The title is too long: at most %(n)s characters."))  # fmt: skip
    summary = _text(summary, required=None, limit=TEXT_MAX, code="summary",
                    too_long=_("The summary is too long: at most %(n)s characters."))  # fmt: skip
    if WorkPlan.objects.filter(county=county_id, school=school, year=year).exists():
        raise ValidationError(_("This unit already has a work arrangement for that year."), code="year")
    plan = WorkPlan.objects.create(county_id=county_id, school=school, year=year, title=title, summary=summary,
                                   created_by=actor)  # fmt: skip
    audit_record(actor=actor, action="leadership.plan_create", target=plan, changes={"year": [None, year]})
    return plan


def _plan_of_school(actor, school: School, year: int) -> WorkPlan:
    plan = WorkPlan.objects.filter(school=school, year=year).first()
    if plan is None:
        plan = plan_create(actor=actor, county_id=school.county_id, school=school, year=year)
    return plan


# --- tasks ----------------------------------------------------------------------------------------------------------



def _start_clock(actor, task: WorkTask, school: School | None, days: int) -> None:
    owner = task.owner_user or (task.owner_member.user if task.owner_member else None)
    deadline_start(actor=actor, target=task, policy=POLICY, county=task.county_id, school=school, owner=owner,
                   title=task.title, resolution=(days, "days"))  # fmt: skip


def _check_due(plan: WorkPlan, due_on) -> None:
    if not isinstance(due_on, datetime.date):
        raise ValidationError(_("Give the due date as a date."), code="due_on")
    if due_on < timezone.localdate():
        raise ValidationError(_("The due date has already passed: give a date from today on."), code="due_on")
    if due_on > datetime.date(plan.year + 1, 8, 31):
        raise ValidationError(_("The due date is after the end of the academic year (31 August %(y)s).")
                              % {"y": plan.year + 1}, code="due_on")  # fmt: skip


@transaction.atomic
def task_create(
    *,
    actor,
    plan: WorkPlan,
    title: str,
    due_on: datetime.date,
    description: str = "",
    owner_member: LeadershipMember | None = None,
    owner_user: User | None = None,
    schools: list[School] | None = None,
) -> WorkTask:
    """A task of the arrangement, with its owner (a current member of the unit's group, or a user) and its due
    date on the deadline engine. A county task may at once be assigned to schools of the county."""
    title = _text(title, required=_("Give the task a title."), limit=100, code="title",
                  too_long=_("The task title is too long: at most %(n)s characters."))  # fmt: skip
    description = _text(description, required=None, limit=TEXT_MAX, code="description",
                        too_long=_("The description is too long: at most %(n)s characters."))  # fmt: skip
    _check_due(plan, due_on)
    if owner_member is not None and not access.owner_members_for(plan).filter(pk=owner_member.pk).exists():
        raise ValidationError(_("The owner must be a current member of this unit's leadership group."),
                              code="owner_member")  # fmt: skip
    owner_name = owner_member.name if owner_member else (owner_user.name if owner_user else "")
    task = WorkTask.objects.create(plan=plan, county_id=plan.county_id, school=plan.school, title=title,
                                   description=description, owner_member=owner_member, owner_user=owner_user,
                                   owner_name=owner_name, due_on=due_on, created_by=actor)  # fmt: skip
    _start_clock(actor, task, plan.school, working_days_until(plan.county_id, due_on))
    audit_record(actor=actor, action="leadership.task_create", target=task, changes={"due_on": [None, str(due_on)]})
    if schools:
        task_assign(actor=actor, task=task, schools=schools)
    return task


@transaction.atomic
def task_assign(*, actor, task: WorkTask, schools: list[School]) -> list[WorkTask]:
    """Give each school (of the task's county) its own instance of a county task, in the school's arrangement for
    the year (made if the school has none). A school that already has it is skipped."""
    if task.school_id is not None:
        raise ValidationError(_("Only a county task can be assigned to schools."), code="schools")
    if not schools:
        raise ValidationError(_("Choose the schools the task is for."), code="schools")
    if any(s.county_id != task.county_id for s in schools):
        raise ValidationError(_("Choose schools of the county only."), code="schools")
    if task.due_on < timezone.localdate():
        raise ValidationError(_("The task's due date has passed: it cannot be assigned now."), code="schools")
    plan = task.plan
    have = set(WorkTask.objects.filter(parent=task).values_list("school_id", flat=True))
    days = working_days_until(task.county_id, task.due_on)
    made = []
    for school in sorted({s.pk: s for s in schools}.values(), key=lambda s: s.pk):
        if school.pk in have:
            continue
        instance = WorkTask.objects.create(plan=_plan_of_school(actor, school, plan.year), county_id=task.county_id,
                                           school=school, parent=task, title=task.title,
                                           description=task.description, due_on=task.due_on,
                                           owner_name=_("school admin"), created_by=actor)  # fmt: skip
        _start_clock(actor, instance, school, days)
        made.append(instance)
    audit_record(actor=actor, action="leadership.task_assign", target=task,
                 changes={"schools": [sorted(have), sorted(have | {m.school_id for m in made})]})  # fmt: skip
    return made


def _check_open(task: WorkTask) -> None:
    if task.status == WorkTask.Status.DONE:
        raise ValidationError(_("This task is already done."), code="status")


@transaction.atomic
def task_status_set(*, actor, task: WorkTask, status: str) -> WorkTask:
    """Not started or in progress (a task is done only by completing it, with its evidence)."""
    if status not in (WorkTask.Status.NOT_STARTED, WorkTask.Status.IN_PROGRESS):
        raise ValidationError(_("Choose the status: not started or in progress (complete a task with evidence)."),
                              code="status")  # fmt: skip
    _check_open(task)
    before = task.status
    WorkTask.objects.filter(pk=task.pk).update(status=status)
    task.status = status
    audit_record(actor=actor, action="leadership.task_status", target=task, changes={"status": [before, status]})
    return task


@transaction.atomic
def evidence_add(
    *,
    actor,
    task: WorkTask,
    kind: str,
    file=None,
    event: Event | None = None,
    notice: Notice | None = None,
    note: str = "",
) -> TaskEvidence:
    """Attach what shows the work: an uploaded document (the evidence allow-list), one of the unit's own events,
    or a notice the unit sent. A task not started is then in progress."""
    _check_open(task)
    note = _text(note, required=None, limit=200, code="note",
                 too_long=_("The note is too long: at most %(n)s characters."))  # fmt: skip
    evidence = TaskEvidence(task=task, kind=kind, note=note, added_by=actor)
    if kind == TaskEvidence.Kind.DOCUMENT:
        if file is None:
            raise ValidationError(_("Choose the document to upload."), code="file")
        checked = check_upload(file, EVIDENCE_FILES)
        evidence.file_name = checked.name
        evidence.file.save(checked.stored_name(), file, save=False)
    elif kind == TaskEvidence.Kind.EVENT:
        if event is None or event.county_id != task.county_id or event.school_id != task.school_id:
            raise ValidationError(_("Choose one of your unit's own events."), code="event")
        if event.status == Event.Status.CANCELLED:
            raise ValidationError(_("A cancelled event cannot show the work was done."), code="event")
        evidence.event = event
    elif kind == TaskEvidence.Kind.NOTICE:
        if (notice is None or notice.kind != Notice.Kind.BROADCAST or notice.county_id != task.county_id
                or notice.school_id != task.school_id or notice.retracted_at is not None):  # fmt: skip
            raise ValidationError(_("Choose a notice your unit sent."), code="notice")
        evidence.notice = notice
    else:
        raise ValidationError(_("Choose the type of evidence: a document, an event or a notice."), code="kind")
    evidence.save()
    if task.status == WorkTask.Status.NOT_STARTED:
        WorkTask.objects.filter(pk=task.pk).update(status=WorkTask.Status.IN_PROGRESS)
        task.status = WorkTask.Status.IN_PROGRESS
    audit_record(actor=actor, action="leadership.evidence_add", target=task, changes={"evidence": [None, kind]})
    return evidence


@transaction.atomic
def task_complete(*, actor, task: WorkTask) -> WorkTask:
    """Done, which needs at least one piece of evidence; the task's clock is resolved."""
    if not TaskEvidence.objects.filter(task=task).exists():
        raise ValidationError(_("Attach evidence (a document, an event or a notice) before completing the task."),
                              code="evidence")  # fmt: skip
    now = timezone.now()
    before = task.status
    if (
        not WorkTask.objects.filter(pk=task.pk)
        .filter(~Q(status=WorkTask.Status.DONE))
        .update(status=WorkTask.Status.DONE, done_at=now, done_by=actor)
    ):
        raise ValidationError(_("This task is already done."), code="status")
    task.status, task.done_at, task.done_by = WorkTask.Status.DONE, now, actor
    if (deadline := deadline_for(task)) is not None:
        deadline_resolve(actor=actor, deadline=deadline)
    audit_record(actor=actor, action="leadership.task_complete", target=task, changes={"status": [before, "done"]})
    return task


def task_url(task: WorkTask) -> str:
    return reverse("dashboard:leadership_task", args=[task.pk])


@transaction.atomic
def task_remind_late(*, actor, task: WorkTask) -> int:
    """The county reminds the admins of every school late on a county task (one message each); how many were
    sent. Nobody late, or no admin to tell, is refused."""
    if task.school_id is not None:
        raise ValidationError(_("Only a county task's late schools can be reminded."), code="task")
    late = list(access.late_instances(task))
    if not late:
        raise ValidationError(_("No school is late on this task."), code="task")
    admins = (
        Membership.objects.filter(
            role=Role.SCHOOL_ADMIN, is_active=True, user__is_active=True, school__in=[i.school_id for i in late]
        )  # fmt: skip
        .order_by("pk")
        .values_list("school_id", "user_id")
    )
    by_school: dict[int | None, list[int]] = {}
    for school_id, user_id in admins:
        by_school.setdefault(school_id, []).append(user_id)
    users = {u.pk: u for u in User.objects.filter(pk__in=[u for ids in by_school.values() for u in ids])}
    sent = 0
    for instance in late:
        for user_id in dict.fromkeys(by_school.get(instance.school_id, [])):
            message_send(
                actor=actor, county_id=task.county_id, to_user=users[user_id], topic=REMINDER_TOPIC,
                title=_("Reminder: %(task)s is overdue") % {"task": task.title},
                body=_("The county's task “%(task)s” was due on %(due)s and %(school)s has not completed it. "
                       "Please complete it with its evidence.")
                % {"task": task.title, "due": instance.due_on.isoformat(), "school": instance.school.name if instance.school else ""},
                link=task_url(instance), sender_unit=unit_name(task.county_id, None),
            )  # fmt: skip
            sent += 1
    if not sent:
        raise ValidationError(_("The late schools have no admin to remind."), code="task")
    WorkTask.objects.filter(pk=task.pk).update(reminded_at=timezone.now())
    audit_record(actor=actor, action="leadership.task_remind", target=task, changes={"sent": [None, sent]})
    return sent


def task_escalation_notify(*, task_id: int, user_ids: list[int]) -> None:
    """The deadline engine escalated an overdue task: a message to each person it names."""
    task = WorkTask.objects.filter(pk=task_id).select_related("school", "created_by").first()
    if task is None:
        return
    for user in User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"):
        where = task.school.name if task.school else unit_name(task.county_id, None)
        message_send(
            actor=task.created_by or user, county_id=task.county_id, to_user=user, topic=ESCALATION_TOPIC,
            title=_("Overdue task: %(task)s") % {"task": task.title},
            body=_("The task “%(task)s” of %(unit)s was due on %(due)s and is not done yet.")
            % {"task": task.title, "unit": where, "due": task.due_on.isoformat()},
            link=task_url(task), sender_unit=where,
        )  # fmt: skip
