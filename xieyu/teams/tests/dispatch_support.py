"""Shared set-up of the dispatch tests: the demo county's teams and members (xieyu/demo/teams_members.py), and a
家风 lecture 城厢小学 needs two weeks ahead."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.demo.teams_members import seed_teams_members
from xieyu.teams.dispatch import services
from xieyu.teams.models import Assignment, Availability, BackgroundCheck, Member, Skill


def at(days: int, hour: int = 15, minute: int = 0) -> datetime.datetime:
    """A time `days` from today at the hour (the county's time zone)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def skill(cast, name: str) -> Skill:
    return Skill.objects.get(county=cast.county, name=name)


def member_of(user) -> Member:
    return Member.objects.filter(user=user, status=Member.Status.APPROVED).select_related("user", "team").first()


def lapsed_member() -> Member:
    today = timezone.localdate()
    checks = BackgroundCheck.objects.filter(valid_until__lt=today).values("user")
    return (
        Member.objects.filter(user__in=checks, status=Member.Status.APPROVED)
        .exclude(user__background_checks__valid_until__gte=today)
        .select_related("user", "team")
        .first()
    )


def lecture(cast, *, days: int = 14, hour: int = 15, skills=("红色文化讲解", "客家文化"), people: int = 1, **kw):
    """城厢小学's 家风 lecture, posted by 刘芳."""
    options = {"kind": "lecture", "topic": "家风家训讲座:客家围屋里的好家风", "place": "城厢小学报告厅",
               "county": cast.county, "school": cast.school_a, "skills": [skill(cast, s) for s in skills],
               "people": people, "starts_at": at(days, hour), "ends_at": at(days, hour + 1, 30)}  # fmt: skip
    options.update(kw)
    return services.need_create(actor=cast.school_admin_liu, **options)


def make_free(member: Member, when: datetime.datetime) -> None:
    from xieyu.teams.dispatch.matching import part_of_day

    Availability.objects.get_or_create(
        member=member, weekday=timezone.localtime(when).weekday(), part=part_of_day(when)
    )


def accepted_elsewhere(member: Member, need) -> Assignment:
    return Assignment.objects.create(need=need, member=member, status=Assignment.Status.ACCEPTED,
                                     starts_at=need.starts_at, ends_at=need.ends_at)  # fmt: skip


@pytest.fixture
def teams(cast):
    seed_teams_members(cast)
    return cast
