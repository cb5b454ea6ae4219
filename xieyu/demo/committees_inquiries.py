"""Demo data: inquiries (质询). At 城厢小学 three guardians' inquiries of 三年级1班: one on homework burden answered on
time (acknowledged, answered by 刘芳, accepted), and a draft on homework gathering signatures (a few signed; 张伟
and 赵秀英 have not). At 全南二中 an inquiry filed 15 working days ago that 王强 never acknowledged: overdue, and
escalated by the deadline engine's sweep to 陈建国. A teacher-ethics concern from 张伟 awaits the school.

Co-signers are generated guardians with accounts in the class (made up when the generated county is not there)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from xieyu.accounts.services import user_create
from xieyu.committees.inquiries import services
from xieyu.committees.inquiries.models import Inquiry, Round
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_for, deadline_recompute, deadline_sweep
from xieyu.deadlines.workcalendar import calendar_for
from xieyu.directory.models import Guardian, Guardianship, SchoolClass
from xieyu.directory.roster.format import national_student_number
from xieyu.directory.services import guardian_for_phone, guardianship_add, student_create

from .personas import DEMO_PASSWORD, PEOPLE, Cast

HOMEWORK_FACTS = (
    "本学期以来,三年级1班每天的书面家庭作业普遍需要90分钟以上才能完成,部分孩子要写到晚上十点。"
    "“双减”规定三至六年级书面作业平均完成时间不超过60分钟,孩子睡眠明显不足。"
)
HOMEWORK_ASKED = "请学校说明本班作业总量如何统筹、是否有年级组的作业公示,并在两周内把作业时间调整到60分钟以内。"


def class_guardian_users(school_class: SchoolClass, n: int, *, exclude: set[int]) -> list:
    """n guardians' accounts of children in this class (not the named cast); made-up ones fill any shortfall."""
    users = []
    seen: set[int] = set(exclude)
    rows = (
        Guardian.objects.filter(
            user__isnull=False,
            guardianships__student__school_class=school_class,
            guardianships__status=Guardianship.Status.CONFIRMED,
        )
        .select_related("user")
        .order_by("pk")
    )
    for g in rows:
        if g.user_id is not None and g.user_id not in seen:
            seen.add(g.user_id)
            users.append(g.user)
        if len(users) == n:
            return users
    for k in range(n - len(users)):
        phone = f"136{school_class.pk % 1000:03d}{k:05d}"
        user = user_create(actor=None, phone=phone, name=f"家长{school_class.pk}-{k + 1}", password=DEMO_PASSWORD)
        born = datetime.date(2017, 1, 1) if school_class.grade.level < 7 else datetime.date(2013, 1, 1)
        student = student_create(
            actor=None, school_class=school_class, name=f"学生{school_class.pk}-{k + 1}", gender="F", birth_date=born,
            student_number=national_student_number(f"360729{born:%Y%m%d}9{k:02d}"),
        )  # fmt: skip
        guardian = guardian_for_phone(name=user.name, phone=phone)
        guardian.user = user
        guardian.save(update_fields=["user"])
        guardianship_add(
            actor=None, student=student, guardian=guardian, relationship="mother", is_primary_carer=True,
            lives_with_child=True, status=Guardianship.Status.CONFIRMED,
        )  # fmt: skip
        users.append(user)
    return users


def _cast_ids(cast: Cast) -> set[int]:
    return {cast.users[key].pk for key in PEOPLE}


def _signed(cast: Cast, school_class: SchoolClass, proposer, *, title: str, facts: str, asked: str, signers: list):
    inquiry = services.inquiry_draft_create(
        actor=proposer, level=Inquiry.Level.CLASS, unit_id=school_class.pk, subject="homework", title=title,
        facts=facts, asked=asked, show_name=False,
    )  # fmt: skip
    for k, user in enumerate(signers):
        inquiry.refresh_from_db()
        if inquiry.state != Inquiry.State.DRAFT:
            break
        services.inquiry_sign(actor=user, inquiry=inquiry, show_name=k % 3 == 0)
    inquiry.refresh_from_db()
    return inquiry


def _backdate(inquiry: Inquiry, working_days: int) -> Deadline:
    """As if filed that many working days ago: the clock restarted then and recomputed by the engine."""
    cal = calendar_for(inquiry.county_id)
    now = timezone.now()
    past = cal.subtract_seconds(now, cal.amount_seconds(working_days, "days"))
    rnd = Round.objects.get(inquiry=inquiry, number=1)
    Round.objects.filter(pk=rnd.pk).update(created_at=past)
    Inquiry.objects.filter(pk=inquiry.pk).update(filed_at=past, created_at=past - datetime.timedelta(days=3))
    d = deadline_for(rnd)
    if d is None:
        raise LookupError("the filed inquiry has no clock")
    Deadline.objects.filter(pk=d.pk).update(started_at=past)
    d.refresh_from_db()
    return deadline_recompute(actor=None, deadline=d)


def seed_inquiries(cast: Cast) -> None:
    a1, b1 = cast.class_a1, cast.class_b1
    skip = _cast_ids(cast)
    pool_a = class_guardian_users(a1, 16, exclude=skip)
    pool_b = class_guardian_users(b1, 9, exclude=skip)

    # 城厢小学: answered on time and accepted.
    answered = _signed(
        cast, a1, pool_a[0], title="三年级1班书面作业时间过长", facts=HOMEWORK_FACTS, asked=HOMEWORK_ASKED,
        signers=pool_a[1:9] + [cast.parent_zhang],
    )  # fmt: skip
    services.inquiry_acknowledge(actor=cast.school_admin_liu, inquiry=answered)
    services.inquiry_answer(
        actor=cast.school_admin_liu, inquiry=answered, signer_role="校长",
        body="学校已核实:三年级1班近三周书面作业平均约85分钟。自下周一起,年级组每日公示各科作业及预计用时,"
        "班主任统筹总量不超过60分钟;每周五由德育处抽查。两周后在家委会会议上通报调整结果。",
    )  # fmt: skip
    services.inquiry_accept(actor=pool_a[0], inquiry=answered)

    # 城厢小学: a draft gathering signatures (the story: ten guardians co-sign it).
    _signed(
        cast, a1, pool_a[9], title="请减少需要家长批改的作业",
        facts="老师每天要求家长在微信群里批改数学口算和语文听写并拍照上传,“双减”明确不得要求家长检查、批改作业。",
        asked="请学校停止要求家长批改作业,并说明今后作业反馈的做法。", signers=pool_a[10:14],
    )  # fmt: skip

    # 全南二中: filed 15 working days ago, never acknowledged: overdue, escalated to the county.
    overdue = _signed(
        cast, b1, cast.parent_sun, title="七年级1班周末作业量过大",
        facts="七年级1班每个周末布置的书面作业需要五到六小时,孩子周末几乎没有户外活动和睡眠时间,多位家长反映孩子疲惫。",
        asked="请学校说明周末作业的统筹办法,把周末作业控制在规定时间内。", signers=pool_b,
    )  # fmt: skip
    _backdate(overdue, 15)
    deadline_sweep(now=timezone.now())

    # A teacher-ethics concern from 张伟, to the school's discipline office.
    services.concern_raise(
        actor=cast.parent_zhang, student=cast.students["zhang_xiaoming"], route="school", teacher_name="某任课老师",
        about_leadership=False, facts="孩子说某任课老师在课堂上多次当众讽刺成绩不好的学生,孩子因此害怕上这门课。",
    )  # fmt: skip
