"""Shared set-up for the talent pool and communities tests: the county's skill list and parent team, a second
county with its own skills and community, and a family of a school in 大吉山镇 (another town than 城厢镇)."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant, user_create
from xieyu.directory.models import Community, Guardianship, Region, School
from xieyu.directory.services import class_create, guardian_for_phone, guardianship_add, school_create, student_create
from xieyu.events.models import Event
from xieyu.events.services import event_create
from xieyu.teams.models import Skill, Team
from xieyu.teams.talent import services as talent_services

SKILL_NAMES = ["书法", "体育", "科技", "非遗"]


@dataclass
class World:
    skills: dict[str, Skill]
    parent_team: Team
    other_county: Region
    other_skill: Skill
    other_community: Community
    far_school: School
    far_parent: object  # a user: 钟秀兰, mother of a pupil of 大吉山镇中心小学
    far_staff: object  # a user: community staff of 大吉山镇大吉山社区


def make_world(cast) -> World:
    skills = {n: Skill.objects.create(county=cast.county, name=n, order=i) for i, n in enumerate(SKILL_NAMES)}
    team = Team.objects.create(county=cast.county, kind=Team.Kind.PARENT, name="全南县家长互助示范团")
    other = Region.objects.create(name="龙南市", level=Region.Level.COUNTY, code="360727", parent=cast.county.parent)
    other_skill = Skill.objects.create(county=other, name="书法")
    other_community = Community.objects.create(county=other, name="龙南市东江社区", kind=Community.Kind.COMMUNITY)
    far = school_create(actor=None, county=cast.county, name="全南县大吉山镇中心小学", kind=School.Kind.PRIMARY,
                        code="3607290901", address="全南县大吉山镇", town=cast.towns["大吉山镇"])  # fmt: skip
    klass = class_create(actor=None, grade=far.grades.get(level=4), name="1班")
    pupil = student_create(actor=None, school_class=klass, name="钟小兰", gender="F",
                           birth_date=datetime.date(2016, 4, 1), student_number="")  # fmt: skip
    mother = user_create(actor=None, phone="13800009001", name="钟秀兰", password="Demo2026xy")  # noqa: S106
    g = guardian_for_phone(name="钟秀兰", phone="13800009001")
    g.user = mother
    g.save(update_fields=["user"])
    guardianship_add(actor=None, student=pupil, guardian=g, relationship="mother", is_primary_carer=True,
                     lives_with_child=True, status=Guardianship.Status.CONFIRMED)  # fmt: skip
    staff = user_create(actor=None, phone="13800009002", name="廖建平", password="Demo2026xy")  # noqa: S106
    membership_grant(actor=None, user=staff, role=Role.COMMUNITY_STAFF, unit=cast.communities["dajishan"])
    return World(skills, team, other, other_skill, other_community, far, mother, staff)


def guardian(user):
    from xieyu.directory.models import Guardian

    return Guardian.objects.get(user=user)


def offer(cast, world, persona="parent_zhang", *, skills=("书法",), consent=True, school=None):
    user = getattr(cast, persona)
    return talent_services.talent_profile_save(
        actor=user, guardian=guardian(user), school=school or cast.school_a,
        skills=[world.skills[s] for s in skills], description="会写毛笔字,可以教孩子们书法。",
        slots=[(2, "afternoon"), (4, "afternoon")], consent=consent,
    )  # fmt: skip


def session(cast, *, days: int = 7, school=None, title="课后服务·书法兴趣课") -> Event:
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return event_create(actor=cast.school_admin_liu, kind=Event.Kind.AFTER_SCHOOL_SESSION, title=title,
                        starts_at=start, ends_at=start + datetime.timedelta(hours=1), audience=Event.Audience.SCHOOL,
                        school=school or cast.school_a, place="城厢小学 书法教室", publish=True)  # fmt: skip


@contextmanager
def refused(code: str):
    """The service refuses with a ValidationError of this code (the field its message names)."""
    with pytest.raises(ValidationError) as info:
        yield
    assert info.value.code == code, info.value
