"""The service the hours tests use: 曾德福 in the county's “five elders” team and 黄志华 in its expert team; 城厢小学's
家风家训 lecture (an event 刘芳 manages, a need she posted) with 曾德福's accepted assignment, at a time the test names;
全南二中's lecture (王强's) for the neighbour."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from xieyu.events.models import Event
from xieyu.events.services import event_create
from xieyu.teams.dispatch.services import need_create
from xieyu.teams.models import Assignment, Member, Need, Team

HOUR = datetime.timedelta(hours=1)


def team(cast, kind: str) -> Team:
    names = {Team.Kind.ELDERS: "全南县“五老”关爱团", Team.Kind.EXPERT: "全南县家庭教育专家引导团",
             Team.Kind.TEACHER: "全南县教师支援服务团", Team.Kind.PARENT: "全南县家长互助示范团"}  # fmt: skip
    found, _ = Team.objects.get_or_create(county=cast.county, kind=kind, school=None, defaults={"name": names[kind]})
    return found


def member(cast, user, kind: str = Team.Kind.ELDERS) -> Member:
    t = team(cast, kind)
    found = Member.objects.filter(team=t, user=user).first()
    return found or Member.objects.create(team=t, user=user, status=Member.Status.APPROVED)


def lecture(
    cast, *, starts_at: datetime.datetime, minutes: int = 90, school=None, title: str = "家风家训讲座"
) -> Event:
    school = school or cast.school_a
    admin = cast.school_admin_liu if school == cast.school_a else cast.school_admin_wang
    return event_create(
        actor=admin, kind=Event.Kind.FAMILY_TRADITION, title=title, school=school, audience=Event.Audience.SCHOOL,
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=minutes), place=f"{school.name}报告厅",
        publish=True,
    )  # fmt: skip


def assign(cast, m: Member, event: Event, *, status: str = Assignment.Status.ACCEPTED, poster=None) -> Assignment:
    school = event.school
    poster = poster or (cast.school_admin_liu if school == cast.school_a else cast.school_admin_wang)
    need = need_create(
        actor=poster, kind=Need.Kind.LECTURE, topic=event.title, starts_at=event.starts_at, ends_at=event.ends_at,
        place=event.place, county=cast.county, school=school, event=event,
    )  # fmt: skip
    return Assignment.objects.create(need=need, member=m, status=status, starts_at=event.starts_at,
                                     ends_at=event.ends_at, invited_by=poster, answered_at=timezone.now())  # fmt: skip


@dataclass
class Service:
    zeng: Member
    huang: Member
    event: Event
    assignment: Assignment


def service(cast, *, starts_at: datetime.datetime | None = None, minutes: int = 90) -> Service:
    """曾德福's accepted assignment to 城厢小学's lecture (by default, starting in an hour)."""
    zeng = member(cast, cast.volunteer_zeng)
    huang = member(cast, cast.expert_huang, Team.Kind.EXPERT)
    event = lecture(cast, starts_at=starts_at or timezone.now() + HOUR, minutes=minutes)
    return Service(zeng, huang, event, assign(cast, zeng, event))


def at(moment: datetime.datetime):
    """Travel to that moment, the clock stopped."""
    import time_machine

    return time_machine.travel(moment, tick=False)


def past_records(
    cast, m: Member, n: int, *, signed: bool = True, school=None, minutes: int = 60, first_day: int = 1
) -> list:
    """n lectures on n days before today from `first_day` days ago (10:00 local), each with an entered record, signed off or pending."""
    from xieyu.teams.hours import services

    school = school or cast.school_a
    admin = cast.school_admin_liu if school == cast.school_a else cast.school_admin_wang
    tz = timezone.get_default_timezone()
    today = timezone.localdate()
    records = []
    for i in range(first_day, first_day + n):
        day = today - datetime.timedelta(days=i)
        start = datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=tz)
        a = assign(cast, m, lecture(cast, starts_at=start, minutes=minutes, school=school, title=f"家风讲座{i}"))
        records.append(services.record_enter(actor=admin, assignment=a, started_at=start,
                                             ended_at=start + datetime.timedelta(minutes=minutes),
                                             source_note="纸质签到表"))  # fmt: skip
    if signed:
        services.records_sign(actor=admin, records=records)
    return records
