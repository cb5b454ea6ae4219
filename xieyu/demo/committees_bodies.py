"""The demo county's committees: 城厢小学's school committee chaired by 张伟, 全南二中's chaired by 孙丽, and 三年级1班's
class committee with 赵秀英 on it; a few generated guardians (with accounts) of those units as members.

城厢小学's charter: version 1 adopted at a meeting some weeks ago whose minutes are published (two resolutions, one
action item done and one open); version 2 drafted, with a meeting held yesterday (not yet minuted) at which the
committee can adopt it, and the next meeting invited for next week. Written through the services, so the meeting
events, invitations and the action items' clocks are real.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from xieyu.committees.bodies import services
from xieyu.committees.models import Committee, Member
from xieyu.directory.models import Guardian, Guardianship, Student

from .personas import Cast

CHARTER_V1 = """第一条 本会名称为全南县城厢小学家长委员会。
第二条 本会由全校学生家长代表组成,每届任期两年。
第三条 本会参与学校管理,监督学校落实“双减”和“五项管理”。
第四条 本会每学期至少召开两次全体会议。
第五条 本会决议须经到会委员过半数同意方为通过。"""

CHARTER_V2 = """第一条 本会名称为全南县城厢小学家长委员会。
第二条 本会由全校学生家长代表组成,每届任期两年,可连选连任一次。
第三条 本会参与学校管理,监督学校落实“双减”和“五项管理”。
第四条 本会每学期至少召开两次全体会议,会议纪要向全校家长公开。
第五条 本会决议须经到会委员过半数同意方为通过。
第六条 本会可依程序向学校提出质询,学校应在规定时限内书面答复。"""


def _generated_guardians(*, school=None, school_class=None, exclude: set[int], n: int) -> list[Guardian]:
    kids = Student.objects.filter(status=Student.Status.ENROLLED)
    kids = kids.filter(school_class=school_class) if school_class is not None else kids.filter(school=school)
    return list(
        Guardian.objects.filter(
            user__isnull=False,
            guardianships__status=Guardianship.Status.CONFIRMED,
            guardianships__student__in=kids.values("pk")[:400],
        )
        .exclude(pk__in=exclude)
        .distinct()
        .order_by("pk")[:n]
    )


def _seat(actor, committee, guardian, role, start, end) -> Member:
    return services.member_add(
        actor=actor, committee=committee, guardian=guardian, role=role, term_start=start, term_end=end,
        chosen=Member.Chosen.ELECTION, vote_record={"for": 28, "against": 2, "abstain": 1, "voters": 31},
    )  # fmt: skip


def seed_bodies(cast: Cast) -> None:
    now = timezone.now()
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=120), today + datetime.timedelta(days=600)
    liu, wang = cast.school_admin_liu, cast.school_admin_wang
    zhang = Guardian.objects.get(user=cast.parent_zhang)
    sun = Guardian.objects.get(user=cast.parent_sun)
    zhao = Guardian.objects.get(user=cast.grandma_zhao)
    cast_ids = set(Guardian.objects.filter(user__in=cast.users.values()).values_list("pk", flat=True))

    school_a = services.committee_create(actor=liu, school=cast.school_a, level=Committee.Level.SCHOOL,
                                         name="城厢小学家长委员会")  # fmt: skip
    _seat(liu, school_a, zhang, Member.Role.CHAIR, start, end)
    others = _generated_guardians(school=cast.school_a, exclude=cast_ids, n=4)
    for guardian, role in zip(others, [Member.Role.VICE_CHAIR, Member.Role.SECRETARY, Member.Role.MEMBER,
                                       Member.Role.MEMBER], strict=False):  # fmt: skip
        _seat(liu, school_a, guardian, role, start, end)

    school_b = services.committee_create(actor=wang, school=cast.school_b, level=Committee.Level.SCHOOL,
                                         name="全南二中家长委员会")  # fmt: skip
    _seat(wang, school_b, sun, Member.Role.CHAIR, start, end)
    for guardian, role in zip(_generated_guardians(school=cast.school_b, exclude=cast_ids, n=2),
                              [Member.Role.VICE_CHAIR, Member.Role.MEMBER], strict=False):  # fmt: skip
        _seat(wang, school_b, guardian, role, start, end)

    class_a1 = services.committee_create(actor=liu, school=cast.school_a, level=Committee.Level.CLASS,
                                         school_class=cast.class_a1, name="三年级1班家长委员会")  # fmt: skip
    _seat(liu, class_a1, zhang, Member.Role.CHAIR, start, end)
    _seat(liu, class_a1, zhao, Member.Role.MEMBER, start, end)
    for guardian in _generated_guardians(school_class=cast.class_a1, exclude=cast_ids, n=2):
        _seat(liu, class_a1, guardian, Member.Role.MEMBER, start, end)

    _charter_story(cast, school_a, now)


def _charter_story(cast: Cast, committee: Committee, now: datetime.datetime) -> None:
    chair = cast.parent_zhang
    liu = cast.school_admin_liu
    members = list(Member.objects.filter(committee=committee, ended_at__isnull=True).select_related("guardian"))

    # version 1, adopted at a meeting some weeks ago; its minutes published
    v1 = services.charter_draft(actor=chair, committee=committee, text=CHARTER_V1, note="首版章程")
    past = services.meeting_create(
        actor=chair, committee=committee, title="本学期第一次全体会议", starts_at=now - datetime.timedelta(days=40),
        place="学校会议室", agenda="1. 审议家委会章程(第一版)\n2. 讨论课后服务满意度调查\n3. 安排家长志愿者护学岗",
    )  # fmt: skip
    services.meeting_invite(actor=chair, meeting=past, now=past.starts_at - datetime.timedelta(days=7))
    services.meeting_attendance_record(actor=liu, meeting=past, members=members,
                                       now=past.starts_at + datetime.timedelta(hours=1))  # fmt: skip
    n = len(members)
    r1 = services.resolution_add(actor=chair, meeting=past, text="通过《城厢小学家长委员会章程》第一版。",
                                 votes_for=n, votes_against=0, votes_abstain=0)  # fmt: skip
    services.resolution_add(actor=chair, meeting=past, text="由学校在本月内完成课后服务满意度调查并公布结果。",
                            votes_for=n - 1, votes_against=0, votes_abstain=1)  # fmt: skip
    services.charter_adopt(actor=chair, version=v1, resolution=r1)
    done = services.action_add(actor=liu, meeting=past, text="安排家长志愿者护学岗排班表",
                               due_on=timezone.localdate() + datetime.timedelta(days=10), owner_member=members[0])  # fmt: skip
    services.action_done(actor=chair, item=done, note="排班表已在班级群公布")
    services.action_add(actor=liu, meeting=past, text="公布课后服务满意度调查结果",
                        due_on=timezone.localdate() + datetime.timedelta(days=20), owner_user=liu)  # fmt: skip
    services.meeting_minutes_save(
        actor=chair, meeting=past,
        minutes="到会委员全体。会议审议并一致通过章程第一版;讨论课后服务满意度调查,决定由学校组织调查并公布结果;"
        "安排家长志愿者护学岗。",
    )  # fmt: skip
    services.meeting_publish(actor=chair, meeting=past)

    # version 2 drafted; the meeting held yesterday can adopt it; the next one is invited
    services.charter_draft(actor=chair, committee=committee, text=CHARTER_V2,
                           note="增加连任、纪要公开和质询条款")  # fmt: skip
    held = services.meeting_create(
        actor=chair, committee=committee, title="章程修订专题会议", starts_at=now - datetime.timedelta(days=1),
        place="学校会议室", agenda="1. 审议章程第二版(连任、纪要公开、质询)\n2. 其他事项",
    )  # fmt: skip
    services.meeting_invite(actor=chair, meeting=held, now=held.starts_at - datetime.timedelta(days=5))
    services.meeting_attendance_record(actor=chair, meeting=held, members=members[: max(1, len(members) - 1)],
                                       now=held.starts_at + datetime.timedelta(hours=1))  # fmt: skip
    upcoming = services.meeting_create(
        actor=chair, committee=committee, title="期中家校沟通会", starts_at=now + datetime.timedelta(days=7),
        place="学校报告厅", agenda="1. 作业负担情况通报\n2. 课后服务安排",
    )  # fmt: skip
    services.meeting_invite(actor=chair, meeting=upcoming)
