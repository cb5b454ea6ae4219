"""The committee rules as the services hold them: who may sit (guardians of the unit only, one seat at a time, one
chair), terms in order, how a member was chosen; charter versions adopted by a passed resolution of a held meeting,
superseding the last; meetings invited on the events engine; action items on the deadline engine."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xieyu.committees.bodies import services
from xieyu.committees.bodies.diff import line_diff
from xieyu.committees.models import ActionItem, CharterVersion, Meeting, Member
from xieyu.deadlines.services import deadline_for
from xieyu.events.models import Attendance, Event, Registration
from xieyu.notices.models import Delivery

from . import bodies_fixtures as fx
from .bodies_fixtures import V2, guardian, held_meeting, seat

bodies = fx.bodies

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_a_guardian_of_another_school_is_refused_by_name(cast, bodies):
    with pytest.raises(ValidationError, match="孙丽 不是全南县城厢小学学生的家长"):
        seat(cast.school_admin_liu, bodies.a, guardian(cast.parent_sun), Member.Role.MEMBER)
    assert not Member.objects.filter(committee=bodies.a, guardian__user=cast.parent_sun).exists()


def test_a_class_committee_takes_only_that_class_s_guardians(cast, bodies):
    committee = services.committee_create(actor=cast.school_admin_liu, school=cast.school_a, level="class",
                                          school_class=cast.class_a2, name="三年级2班家委会")  # fmt: skip
    with pytest.raises(ValidationError, match="张伟"):
        seat(cast.school_admin_liu, committee, guardian(cast.parent_zhang), Member.Role.MEMBER)


def test_an_overlapping_seat_and_a_second_chair_are_refused(cast, bodies):
    with pytest.raises(ValidationError, match="张伟 已在本家委会任职"):
        seat(cast.school_admin_liu, bodies.a, guardian(cast.parent_zhang), Member.Role.MEMBER)
    li = guardian(cast.head_teacher_li)  # 李娜 is a mother at 全南二中
    with pytest.raises(ValidationError) as exc:
        seat(cast.school_admin_wang, bodies.b, li, Member.Role.CHAIR)
    assert "已有主任" in str(exc.value)
    assert Member.objects.filter(committee=bodies.b).count() == 1


def test_a_seat_ended_today_can_be_followed_by_a_new_role(cast, bodies):
    services.member_end(actor=cast.school_admin_liu, member=bodies.zhao, reason=Member.EndReason.RESIGNED)
    again = seat(cast.school_admin_liu, bodies.a, guardian(cast.grandma_zhao), Member.Role.VICE_CHAIR,
                 start=TODAY())  # fmt: skip
    assert again.role == "vice_chair"
    bodies.zhao.refresh_from_db()
    assert bodies.zhao.ended_at is not None and bodies.zhao.end_reason == "resigned"  # history kept


def test_a_term_that_ends_before_it_starts_is_refused(cast, bodies):
    with pytest.raises(ValidationError, match="不能早于开始"):
        seat(cast.school_admin_wang, bodies.b, guardian(cast.head_teacher_li), Member.Role.MEMBER,
             start=TODAY(), end=TODAY() - datetime.timedelta(days=1))  # fmt: skip


def test_an_election_needs_its_majority_and_an_appointment_its_held_meeting(cast, bodies):
    li = guardian(cast.head_teacher_li)
    base = {"actor": cast.school_admin_wang, "committee": bodies.b, "guardian": li, "role": "member",
            "term_start": TODAY(), "term_end": TODAY() + datetime.timedelta(days=300)}  # fmt: skip
    with pytest.raises(ValidationError, match="过半数"):
        services.member_add(**base, chosen="election", vote_record={"for": 5, "against": 6, "abstain": 0, "voters": 11})
    with pytest.raises(ValidationError, match="批准任命的会议"):
        services.member_add(**base, chosen="appointment")
    future = services.meeting_create(actor=cast.parent_sun, committee=bodies.b, title="下周会议", agenda="任命",
                                     starts_at=timezone.now() + datetime.timedelta(days=3), place="会议室")  # fmt: skip
    with pytest.raises(ValidationError, match="尚未召开"):
        services.member_add(**base, chosen="appointment", approving_meeting=future)
    past = held_meeting(cast.parent_sun, bodies.b)
    m = services.member_add(**base, chosen="appointment", approving_meeting=past)
    assert m.approving_meeting == past and m.vote_record == {}


def test_adopting_v2_supersedes_v1(cast, bodies):
    v2 = services.charter_draft(actor=cast.parent_zhang, committee=bodies.a, text=V2, note="连任与公开")
    assert v2.number == 2 and v2.status == "draft"
    meeting = held_meeting(cast.parent_zhang, bodies.a)
    r = services.resolution_add(actor=cast.parent_zhang, meeting=meeting, text="通过章程第二版", votes_for=2,
                                votes_against=1, votes_abstain=0)  # fmt: skip
    assert r.passed
    services.charter_adopt(actor=cast.parent_zhang, version=v2, resolution=r)
    bodies.v1.refresh_from_db()
    v2.refresh_from_db()
    assert (bodies.v1.status, v2.status) == ("superseded", "adopted")
    assert v2.resolution == r and bodies.v1.superseded_at is not None
    assert CharterVersion.objects.filter(charter__committee=bodies.a, status="adopted").count() == 1


def test_a_charter_is_not_adopted_by_a_failed_resolution_nor_before_the_meeting(cast, bodies):
    v2 = services.charter_draft(actor=cast.parent_zhang, committee=bodies.a, text=V2)
    meeting = held_meeting(cast.parent_zhang, bodies.a)
    failed = services.resolution_add(actor=cast.parent_zhang, meeting=meeting, text="通过章程第二版", votes_for=1,
                                     votes_against=1, votes_abstain=1)  # fmt: skip
    assert not failed.passed
    with pytest.raises(ValidationError, match="未获通过"):
        services.charter_adopt(actor=cast.parent_zhang, version=v2, resolution=failed)
    with pytest.raises(ValidationError, match="已用于通过"):
        services.charter_adopt(actor=cast.parent_zhang, version=v2, resolution=bodies.r1)
    other = held_meeting(cast.parent_sun, bodies.b)
    r_b = services.resolution_add(actor=cast.parent_sun, meeting=other, text="x", votes_for=1, votes_against=0,
                                  votes_abstain=0)  # fmt: skip
    with pytest.raises(ValidationError, match="本家委会会议"):
        services.charter_adopt(actor=cast.parent_zhang, version=v2, resolution=r_b)
    v2.refresh_from_db()
    assert v2.status == "draft"


def test_a_draft_identical_to_the_last_version_is_refused(cast, bodies):
    with pytest.raises(ValidationError, match="与第 1 版相同"):
        services.charter_draft(actor=cast.parent_zhang, committee=bodies.a, text=bodies.v1.text)


def test_the_diff_lists_changed_lines_with_their_marks():
    rows = line_diff("甲\n乙\n丙", "甲\n乙改\n丙\n丁")
    assert [(r.mark, r.number, r.text) for r in rows] == [
        ("removed", 2, "乙"),
        ("added", 2, "乙改"),
        ("added", 4, "丁"),
    ]


def test_resolutions_need_votes_within_the_committee_and_a_held_meeting(cast, bodies):
    future = services.meeting_create(actor=cast.parent_zhang, committee=bodies.a, title="下周", agenda="议程",
                                     starts_at=timezone.now() + datetime.timedelta(days=2), place="会议室")  # fmt: skip
    with pytest.raises(ValidationError, match="尚未开始"):
        services.resolution_add(actor=cast.parent_zhang, meeting=future, text="x", votes_for=1, votes_against=0,
                                votes_abstain=0)  # fmt: skip
    with pytest.raises(ValidationError, match="票数多于"):
        services.resolution_add(actor=cast.parent_zhang, meeting=bodies.held, text="x", votes_for=4,
                                votes_against=0, votes_abstain=0)  # fmt: skip


def test_the_invitation_is_an_event_of_the_school_and_a_message_to_each_member(cast, bodies):
    meeting = services.meeting_create(actor=cast.parent_zhang, committee=bodies.a, title="期中会议", agenda="议程",
                                      starts_at=timezone.now() + datetime.timedelta(days=2), place="会议室")  # fmt: skip
    services.meeting_invite(actor=cast.parent_zhang, meeting=meeting)
    meeting.refresh_from_db()
    event = meeting.event
    assert event.kind == Event.Kind.COMMITTEE_MEETING and event.status == "published"
    assert event.audience == "school" and event.school == cast.school_a
    link = f"/committees/meetings/{meeting.pk}/"
    to = set(Delivery.objects.filter(notice__link=link).values_list("guardian__name", flat=True))
    assert to == {"张伟", "赵秀英", "黄丽"}
    with pytest.raises(ValidationError, match="已经发出"):
        services.meeting_invite(actor=cast.parent_zhang, meeting=meeting)
    services.meeting_rsvp(actor=cast.grandma_zhao, meeting=meeting)
    assert Registration.objects.get(event=event).student == cast.students["liu_xiaoyu"]
    with pytest.raises(ValidationError):
        services.meeting_rsvp(actor=cast.parent_sun, meeting=meeting)


def test_attendance_is_recorded_on_the_event_and_the_meeting_is_held(cast, bodies):
    meeting = services.meeting_create(actor=cast.parent_zhang, committee=bodies.a, title="会议", agenda="议程",
                                      starts_at=timezone.now() + datetime.timedelta(days=2), place="会议室")  # fmt: skip
    services.meeting_invite(actor=cast.parent_zhang, meeting=meeting)
    meeting.refresh_from_db()
    later = meeting.starts_at + datetime.timedelta(minutes=30)
    n = services.meeting_attendance_record(actor=cast.school_admin_liu, meeting=meeting,
                                           members=[bodies.zhang, bodies.zhao], now=later)  # fmt: skip
    assert n == 2
    assert set(Attendance.objects.filter(event=meeting.event).values_list("guardian__name", flat=True)) == {
        "张伟",
        "赵秀英",
    }
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_an_action_item_runs_on_the_deadline_engine_until_done(cast, bodies):
    due = TODAY() + datetime.timedelta(days=14)
    item = services.action_add(actor=cast.parent_zhang, meeting=bodies.held, text="公布调查结果", due_on=due,
                               owner_member=bodies.zhao)  # fmt: skip
    d = deadline_for(item)
    assert d is not None and d.policy.name == "committee.action" and d.owner == cast.grandma_zhao
    assert timezone.localtime(d.resolution_due).date() <= due
    assert item.owner_name == "赵秀英"
    with pytest.raises(ValidationError, match="晚于今天"):
        services.action_add(actor=cast.parent_zhang, meeting=bodies.held, text="x", due_on=TODAY(),
                            owner_member=bodies.zhao)  # fmt: skip
    services.action_done(actor=cast.grandma_zhao, item=item, note="已公布")
    d.refresh_from_db()
    assert d.state == "resolved" and ActionItem.objects.get(pk=item.pk).done_at is not None
    with pytest.raises(ValidationError, match="已经完成"):
        services.action_done(actor=cast.grandma_zhao, item=item)


def test_minutes_are_published_once_and_then_frozen(cast, bodies):
    with pytest.raises(ValidationError, match="请先填写纪要"):
        services.meeting_publish(actor=cast.parent_zhang, meeting=bodies.held)
    services.meeting_minutes_save(actor=cast.parent_zhang, meeting=bodies.held, minutes="全体到会,通过章程。")
    services.meeting_publish(actor=cast.parent_zhang, meeting=bodies.held)
    assert bodies.held.status == "published" and bodies.held.minutes_published_at is not None
    with pytest.raises(ValidationError, match="不能再修改"):
        services.meeting_minutes_save(actor=cast.parent_zhang, meeting=bodies.held, minutes="改")
