"""The demo county's leadership groups, work arrangements and resource reports.

- The county's group (县教科体局): 组长 the 局长, two 副组长, 成员 from the 股室 (基础教育股 陈建国 with his account,
  德育股, 安全股, 计财股), and a former member whose term ended; every school's group (its admin as 组长 where it
  has one, a 副组长 and two 成员).
- The academic year's arrangement: ten county tasks, six of them assigned to every school, from September to June:
  those already due are mostly done with evidence and some late; those to come in progress or not started; and two
  or three tasks of each school's own.
- A resource report for every school: most submitted, a few drafts, one returned by the county.

Bulk-inserted (it runs at every demo build); the open tasks' clocks are computed as deadline_start computes them
and inserted in bulk, so the late ones escalate at the scheduler's next sweep.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from xieyu.accounts.models import Membership, Role
from xieyu.dashboard.leadership.models import LeadershipGroup, LeadershipMember, TaskEvidence, WorkPlan, WorkTask
from xieyu.dashboard.leadership.services import POLICY
from xieyu.dashboard.leadership.years import current_year, year_label
from xieyu.dashboard.resources.models import BudgetLine, ResourceReport
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_prepare, policy_get
from xieyu.deadlines.workcalendar import calendar_for
from xieyu.directory.models import School

from .personas import Cast

SEED = 20261204
CHUNK = 1000
EVIDENCE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COUNTY_PEOPLE = [  # name, title, post, department, phone
    ("钟国华", "局长", LeadershipMember.Post.LEADER, "", "0797-2632001"),
    ("刘建平", "副局长", LeadershipMember.Post.DEPUTY, "", "0797-2632002"),
    ("邱美兰", "副局长", LeadershipMember.Post.DEPUTY, "", ""),
    ("黄丽萍", "股长", LeadershipMember.Post.MEMBER, "德育股", "0797-2632011"),
    ("赖志明", "股长", LeadershipMember.Post.MEMBER, "安全股", ""),
    ("曾小红", "股长", LeadershipMember.Post.MEMBER, "计财股", ""),
]
# (title, month, day, assigned to every school)
COUNTY_TASKS = [
    ("制定本学年家校社协同育人工作计划", 9, 20, True),
    ("召开新学期家长会并开展家庭教育指导", 9, 30, True),
    ("开展秋季学期留守儿童家访", 10, 31, True),
    ("组织家长学校秋季学期授课", 11, 28, True),
    ("全县家庭教育指导骨干教师培训", 11, 15, False),
    ("开展“双减”落实情况家长满意度调查", 12, 25, True),
    ("报送本学年资源保障情况", 1, 10, False),
    ("组织“最美家庭”评选推荐", 3, 31, False),
    ("开展春季学期家校共育开放日", 4, 30, True),
    ("全县家校社协同育人工作总结", 6, 30, False),
]
SCHOOL_TASKS = [("成立学校家长委员会并召开首次会议", 10, 15), ("开展亲子阅读月活动", 11, 30),
                ("组织班主任家庭教育专题培训", 3, 20)]  # fmt: skip
SCHOOL_PEOPLE = ["德育主任", "少先队辅导员", "心理健康教师", "年级组长", "家长代表"]
SURNAMES = "李王张刘陈杨黄赵吴周徐孙朱胡郭何林罗高梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢钟"
GIVEN = "建国华明丽芳强敏静伟秀英志红春梅德福慧兰桂平军涛燕霞玲洁勇斌"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _date(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year if month >= 8 else year + 1, month, day)


def seed_leadership(cast: Cast) -> None:
    if LeadershipGroup.objects.filter(county=cast.county, school__isnull=True).exists():
        return  # seeded already
    rng = random.Random(SEED)
    today = timezone.localdate()
    now = timezone.now()
    year = current_year(today)
    county = cast.county
    chen = cast.county_admin_chen
    schools = list(School.objects.filter(county=county).order_by("pk"))
    admins: dict[int | None, Any] = {}
    for m in (
        Membership.objects.filter(role=Role.SCHOOL_ADMIN, is_active=True, school__in=schools)
        .select_related("user")
        .order_by("pk")
    ):
        admins.setdefault(m.school_id, m.user)

    # --- groups ---
    term_start, term_end = datetime.date(year - 1, 9, 1), datetime.date(year + 2, 8, 31)
    county_group = LeadershipGroup.objects.create(county=county, name="全南县家校社协同育人工作领导小组", created_by=chen,
                                                  duties="统筹全县家校社协同育人工作,研究制定年度工作安排,"
                                                         "督促检查各校落实情况。")  # fmt: skip
    groups = [LeadershipGroup(county=county, school=s, name=f"{s.name}家校共育工作领导小组",
                              created_by=admins.get(s.pk)) for s in schools]  # fmt: skip
    LeadershipGroup.objects.bulk_create(groups)
    members = [LeadershipMember(group=county_group, name=n, title=t, post=p, department=d, phone=ph,
                                term_start=term_start, term_end=term_end, created_by=chen)
               for n, t, p, d, ph in COUNTY_PEOPLE]  # fmt: skip
    members.append(LeadershipMember(group=county_group, user=chen, name=chen.name, title="基础教育股干部",
                                    post=LeadershipMember.Post.MEMBER, department="基础教育股", phone=chen.phone,
                                    term_start=term_start, term_end=term_end, created_by=chen))  # fmt: skip
    members.append(LeadershipMember(group=county_group, name="温长青", title="原副局长", post=LeadershipMember.Post.DEPUTY,
                                    term_start=datetime.date(year - 3, 9, 1), term_end=datetime.date(year - 1, 8, 31),
                                    created_by=chen))  # fmt: skip
    for group, school in zip(groups, schools, strict=True):
        admin = admins.get(school.pk)
        members.append(LeadershipMember(group=group, user=admin, name=admin.name if admin else _name(rng), title="校长",
                                        post=LeadershipMember.Post.LEADER, phone=admin.phone if admin else "",
                                        term_start=term_start, term_end=term_end, created_by=admin))  # fmt: skip
        for post, title in [(LeadershipMember.Post.DEPUTY, "副校长"), (LeadershipMember.Post.MEMBER, rng.choice(SCHOOL_PEOPLE)),
                            (LeadershipMember.Post.MEMBER, rng.choice(SCHOOL_PEOPLE))]:  # fmt: skip
            members.append(LeadershipMember(group=group, name=_name(rng), title=title, post=post, term_start=term_start,
                                            term_end=term_end, created_by=admin))  # fmt: skip
    LeadershipMember.objects.bulk_create(members, batch_size=CHUNK)
    county_member = {m.department: m for m in members if m.group_id == county_group.pk and m.department}

    # --- arrangements ---
    label = year_label(year)
    county_plan = WorkPlan.objects.create(county=county, year=year, title=f"全南县{label}家校社协同育人工作安排",
                                          summary="围绕“家校社协同育人”,落实“双减”和“五项管理”,按月推进。",
                                          created_by=chen)  # fmt: skip
    plans = [WorkPlan(county=county, school=s, year=year, title=f"{s.name}{label}家校共育工作安排",
                      created_by=admins.get(s.pk)) for s in schools]  # fmt: skip
    WorkPlan.objects.bulk_create(plans)
    plan_of = {p.school_id: p for p in plans}
    start = _at(datetime.date(year, 9, 1), 9)
    owners = [
        "德育股",
        "基础教育股",
        "安全股",
        "德育股",
        "基础教育股",
        "德育股",
        "计财股",
        "德育股",
        "基础教育股",
        "德育股",
    ]
    county_tasks = []
    for (title, month, day, _all), dept in zip(COUNTY_TASKS, owners, strict=True):
        owner = county_member.get(dept)
        due = _date(year, month, day)
        done = due < today - datetime.timedelta(days=20) and title != COUNTY_TASKS[4][0]
        county_tasks.append(WorkTask(plan=county_plan, county=county, title=title, description=f"{title},各校按时报送材料。",
                                     owner_member=owner, owner_user=owner.user if owner else None,
                                     owner_name=owner.name if owner else "", due_on=due, created_by=chen,
                                     created_at=start, status=WorkTask.Status.DONE if done else WorkTask.Status.IN_PROGRESS
                                     if due < today + datetime.timedelta(days=40) else WorkTask.Status.NOT_STARTED,
                                     done_at=_at(due - datetime.timedelta(days=2)) if done else None,
                                     done_by=chen if done else None))  # fmt: skip
    WorkTask.objects.bulk_create(county_tasks)
    tasks: list[WorkTask] = []
    for parent, (_title, _m, _d, to_all) in zip(county_tasks, COUNTY_TASKS, strict=True):
        if not to_all:
            continue
        for school in schools:
            tasks.append(_task_for(rng, plan_of[school.pk], school, parent.title, parent.due_on, today, start,
                                   admins.get(school.pk), parent=parent))  # fmt: skip
    for school in schools:
        for title, month, day in rng.sample(SCHOOL_TASKS, rng.choice((2, 3))):
            tasks.append(_task_for(rng, plan_of[school.pk], school, title, _date(year, month, day), today, start,
                                   admins.get(school.pk)))  # fmt: skip
    WorkTask.objects.bulk_create(tasks, batch_size=CHUNK)

    # --- evidence of the tasks done (and of some in progress): one stored document, named per task ---
    stored = default_storage.save("dashboard/evidence/demo/summary.pdf", ContentFile(EVIDENCE_PDF))
    evidence = []
    for t in county_tasks + tasks:
        if t.status == WorkTask.Status.DONE or (t.status == WorkTask.Status.IN_PROGRESS and rng.random() < 0.3):
            evidence.append(TaskEvidence(task=t, kind=TaskEvidence.Kind.DOCUMENT, file=stored,
                                         file_name=f"{t.title}工作总结.pdf", added_by=t.done_by or t.created_by,
                                         added_at=t.done_at or now))  # fmt: skip
    TaskEvidence.objects.bulk_create(evidence, batch_size=CHUNK)
    _clocks(county.pk, [t for t in county_tasks + tasks if t.status != WorkTask.Status.DONE], start, now)
    _resources(rng, cast, schools, admins, year, now)


def _task_for(rng, plan, school, title, due, today, start, admin, parent=None) -> WorkTask:
    if due < today:
        done = rng.random() < 0.78  # the rest are late
    else:
        done = rng.random() < 0.1
    if done:
        status = WorkTask.Status.DONE
    elif due < today + datetime.timedelta(days=45) and rng.random() < 0.6:
        status = WorkTask.Status.IN_PROGRESS
    else:
        status = WorkTask.Status.NOT_STARTED if due >= today else rng.choice(list(WorkTask.Status.values[:2]))
    done_on = min(due, today) - datetime.timedelta(days=rng.randint(0, 6))
    return WorkTask(plan=plan, county_id=school.county_id, school=school, parent=parent, title=title,
                    description=parent.description if parent else "", owner_user=admin if parent is None else None,
                    owner_name=admin.name if admin and parent is None else "校长", due_on=due, status=status,
                    done_at=_at(done_on) if done else None, done_by=admin if done else None, created_by=admin,
                    created_at=start)  # fmt: skip


def _working_days(cal, start: datetime.date, due: datetime.date) -> int:
    day, n = start, 0
    while True:
        nxt = cal.next_working_day(day)
        if nxt > due:
            return max(n, 1)
        day, n = nxt, n + 1


def _clocks(county_id: int, open_tasks: list[WorkTask], start: datetime.datetime, now) -> None:
    policy = policy_get(POLICY)
    cal = calendar_for(county_id)
    days: dict[datetime.date, int] = {}
    label = WorkTask._meta.label_lower
    deadlines = []
    for t in open_tasks:
        if t.due_on not in days:
            days[t.due_on] = _working_days(cal, start.date(), t.due_on)
        d = Deadline(target_type=label, target_id=str(t.pk), title=t.title[:200], county_id=county_id,
                     school_id=t.school_id, owner=t.owner_user, policy=policy,
                     targets=policy.targets((days[t.due_on], "days")), started_at=start)  # fmt: skip
        deadlines.append(deadline_prepare(d, cal, now))
    Deadline.objects.bulk_create(deadlines, batch_size=CHUNK)


ROOMS = list(ResourceReport.Room.values)


def _resources(rng, cast: Cast, schools, admins, year: int, now) -> None:
    reports = []
    for i, school in enumerate(schools):
        admin = admins.get(school.pk)
        status = ResourceReport.Status.SUBMITTED
        if school.pk != cast.school_a.pk and (i % 7 == 3):
            status = ResourceReport.Status.DRAFT
        elif i % 13 == 5:
            status = ResourceReport.Status.RETURNED
        submitted = status != ResourceReport.Status.DRAFT
        reports.append(ResourceReport(
            county=cast.county, school=school, year=year, status=status, dedicated_staff=rng.randint(0, 2),
            part_time_staff=rng.randint(2, 12), coordinator=admin.name if admin else _name(rng),
            hours=Decimal(rng.randint(80, 600)), rooms=rng.sample(ROOMS, rng.randint(1, 3)),
            equipment=rng.choice(["投影仪1台、音响1套", "心理测评软件1套、沙盘1组", "图书角图书300册", "录播设备1套"]),
            submitted_at=now - datetime.timedelta(days=rng.randint(3, 30)) if submitted else None,
            submitted_by=admin if submitted else None, created_by=admin,
            returned_at=now - datetime.timedelta(days=1) if status == ResourceReport.Status.RETURNED else None,
            return_note="设备支出超出预算较多,请核实后重新报送。" if status == ResourceReport.Status.RETURNED else "",
        ))  # fmt: skip
    ResourceReport.objects.bulk_create(reports)
    lines = []
    for r in reports:
        for category in BudgetLine.Category.values:
            planned = Decimal(rng.randint(0, 40) * 500)
            spent = (planned * Decimal(rng.randint(20, 115)) / 100).quantize(Decimal("0.01"))
            lines.append(BudgetLine(report=r, category=category, planned=planned, spent=spent))
    BudgetLine.objects.bulk_create(lines, batch_size=CHUNK)
