"""Demo data: care cases.

- 刘小宇's case, owned by 周敏 and supervised by 钟慧: in services with an approved plan; a family-support section
  about his carer 赵秀英's needs (written so a 妇联 partner may read it), an assessment and a sensitive family-conflict
  section; a study-support service, two follow-ups and an action asked of his head teacher 李娜.
- An urgent question from 张伟 about 张小明 with no case yet, so that 周敏 can open one from the alert on her home.
- Dozens of cases across the generated schools, deterministic: most owned by 周敏 (her home lists them by next due
  date), a few by a second counsellor of the guidance center, 孔燕; some plans wait for 钟慧's approval, and 周敏
  has opened one of 孔燕's cases by breaking the glass, waiting on 钟慧's review list.

Cases go through the services (audit rows, messages), like a real county's; a second run does nothing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from xieyu.accounts.models import Role, User
from xieyu.accounts.services import membership_grant, user_create
from xieyu.care.cases import services
from xieyu.care.models import Case, CaseService, FollowUp, Section, ServiceKind
from xieyu.directory.models import Student
from xieyu.questions.asking import services as asking
from xieyu.questions.models import Question

from .personas import DEMO_PASSWORD, Cast

SECOND_COUNSELLOR = ("13600000055", "孔燕")
GENERATED_CASES = 36

LIU_FAMILY_SUPPORT = (
    "照护人:奶奶赵秀英(68岁),独自照顾孙子。她不识字,辅导作业有困难,希望每月有人上门讲讲怎么陪孩子写作业、"
    "怎么和孩子聊天;家里有智能手机,但不会视频通话,希望学会和孩子父母视频。"
)
LIU_ASSESSMENT = (
    "三年级男生,父母在广东打工,每年春节回家一次。近两个月上课注意力不集中,作业常拖到很晚,"
    "放学后不愿说话。与同学关系尚可,无自伤迹象。"
)
LIU_CONFLICT = "父母近期在电话中多次争吵,提到离婚,孩子听到后情绪低落,向奶奶说“是不是我不好”。"
LIU_PLAN = (
    "1. 每两周家访一次,指导奶奶陪伴写作业的方法;2. 每周三放学后学业帮扶一小时;"
    "3. 每月组织一次与父母的视频通话;4. 一个学期后复查。"
)

TITLES = ["学习困难跟进", "情绪低落关注", "隔代照护指导", "家庭变故关爱", "行为问题辅导", "亲子沟通帮扶"]
RISKS = [Case.Risk.LOW, Case.Risk.MEDIUM, Case.Risk.MEDIUM, Case.Risk.HIGH]


def _second_counsellor(cast: Cast) -> User:
    phone, name = SECOND_COUNSELLOR
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = user_create(actor=None, phone=phone, name=name, password=DEMO_PASSWORD)
    membership_grant(actor=None, user=user, role=Role.COUNSELLOR, unit=cast.county)
    return user


def _walk(case: Case, actor, to_state: str, plan_text: str, supervisor) -> None:
    """Move a new case on to `to_state` the way its people would (the plan approved before services)."""
    path: list[str] = [Case.State.ASSESSMENT, Case.State.PLAN, Case.State.SERVICES, Case.State.REVIEW]
    for state in path[: path.index(to_state) + 1] if to_state in path else []:
        if state == Case.State.SERVICES:
            approval = services.approval_request(actor=actor, case=case, kind="plan", text=plan_text)
            services.approval_decide(actor=supervisor, approval=approval, approve=True, comment="同意")
        services.case_move(actor=actor, case=case, to_state=state)


def _liu_case(cast: Cast, today: datetime.date) -> Case:
    zhou, zhong = cast.counsellor_zhou, cast.supervisor_zhong
    case = services.case_open(
        actor=zhou, student=cast.students["liu_xiaoyu"], origin=Case.Origin.REGISTRY, title="刘小宇 留守儿童关爱",
        owner=zhou, supervisor=zhong, risk=Case.Risk.MEDIUM,
        summary="留守儿童,父母在外地打工,由奶奶赵秀英照顾。班主任反映近期注意力不集中。",
        next_due_on=today + datetime.timedelta(days=1),
    )  # fmt: skip
    services.case_section_write(actor=zhou, case=case, section=Section.ASSESSMENT, body=LIU_ASSESSMENT)
    services.case_section_write(actor=zhou, case=case, section=Section.FAMILY_SUPPORT, body=LIU_FAMILY_SUPPORT)
    services.case_section_write(actor=zhou, case=case, section=Section.FAMILY_CONFLICT, body=LIU_CONFLICT)
    _walk(case, zhou, Case.State.SERVICES, LIU_PLAN, zhong)
    services.service_add(
        actor=zhou, case=case, kind=ServiceKind.STUDY, provider="城厢小学 李娜老师",
        starts_on=today - datetime.timedelta(days=20), state=CaseService.State.ACTIVE,
    )  # fmt: skip
    services.follow_up_add(
        actor=zhou, case=case, kind=FollowUp.Kind.VISIT, on=today - datetime.timedelta(days=14),
        note="家访:奶奶身体尚好,孩子的房间整洁;约定每周三放学后到校参加学业帮扶。",
    )  # fmt: skip
    services.follow_up_add(
        actor=zhou, case=case, kind=FollowUp.Kind.CALL, on=today - datetime.timedelta(days=3),
        note="电话:奶奶说孩子这周作业按时完成,周末和爸爸视频了十分钟。",
        next_due_on=today + datetime.timedelta(days=1),
    )  # fmt: skip
    services.action_ask(
        actor=zhou, case=case, assignee=cast.head_teacher_li, text="请留意刘小宇课间是否一个人待着,每周告诉我一次。",
        due_on=today + datetime.timedelta(days=10),
    )  # fmt: skip
    return case


def _urgent_question(cast: Cast) -> None:
    if Question.objects.filter(county=cast.county, flagged_at__isnull=False).exists():
        return
    asking.question_ask(
        actor=cast.parent_zhang, student=cast.students["zhang_xiaoming"], level="class", category="emotions",
        title="孩子说活着没意思", body="孩子这几天晚上一直哭,说活着没意思,不想活了,我们很害怕,该怎么办?",
    )  # fmt: skip


def _generated(cast: Cast, kong: User, today: datetime.date) -> None:
    zhou, zhong = cast.counsellor_zhou, cast.supervisor_zhong
    ids = list(
        Student.objects.filter(school__county=cast.county, status=Student.Status.ENROLLED)
        .exclude(school__in=[cast.school_a, cast.school_b])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return
    step = max(len(ids) // GENERATED_CASES, 1)
    chosen = ids[::step][:GENERATED_CASES]
    students = Student.objects.select_related("school").in_bulk(chosen)
    glass_done = False
    states = [Case.State.INTAKE, Case.State.ASSESSMENT, Case.State.PLAN, Case.State.SERVICES, Case.State.REVIEW]
    for i, pk in enumerate(chosen):
        student = students[pk]
        owner, supervisor = (kong, zhong) if i % 9 == 4 else (zhou, zhong)
        case = services.case_open(
            actor=owner, student=student, origin=[Case.Origin.HEAD_TEACHER, Case.Origin.HOME_VISIT,
                                                  Case.Origin.REGISTRY][i % 3],
            title=f"{student.name} {TITLES[i % len(TITLES)]}", owner=owner, supervisor=supervisor,
            risk=RISKS[i % len(RISKS)], summary="班主任反映孩子近期状态不佳,需要跟进。",
            next_due_on=today + datetime.timedelta(days=(i * 5) % 40 + 1),
        )  # fmt: skip
        target = states[i % len(states)]
        _walk(case, owner, target, "每月家访一次,每周电话联系照护人,学期末复查。", supervisor)
        if target == Case.State.PLAN and i % 2 == 0:  # a plan waiting for 钟慧
            services.approval_request(actor=owner, case=case, kind="plan", text="每两周家访一次,联系学校安排学业帮扶。")
        if i % 7 == 3:
            services.flag_raise(actor=owner, case=case, reason="照护人电话经常打不通")
        if owner == kong and not glass_done:
            glass_done = True
            services.break_glass_open(actor=zhou, case=case, reason="孔燕外出培训,照护人来电说孩子两天没回家")


@transaction.atomic
def seed_cases(cast: Cast) -> None:
    if Case.objects.filter(student=cast.students["liu_xiaoyu"]).exists():
        return
    today = timezone.localdate()
    kong = _second_counsellor(cast)
    _liu_case(cast, today)
    _urgent_question(cast)
    _generated(cast, kong, today)
