"""A small guidance center for the members tests: the county's skills, its four teams, 黄志华 approved in the
expert team and 曾德福 in the elders team (both with a check valid for months), and 城厢小学's own teacher team."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from xieyu.teams.models import BackgroundCheck, Member, Skill, Team


@dataclass
class Centre:
    skills: dict[str, Skill]
    teams: dict[str, Team]
    school_team: Team
    huang: Member
    zeng: Member
    extra: list[Member] = field(default_factory=list)


def approved(team, user, *, by, skills=(), towns=(), check_days: int | None = 200, term_days: int = 300) -> Member:
    today = timezone.localdate()
    m = Member.objects.create(
        team=team, user=user, status=Member.Status.APPROVED, term_start=today - datetime.timedelta(days=30),
        term_end=today + datetime.timedelta(days=term_days), identity_checked_at=timezone.now(),
        identity_checked_by=by, decided_by=by, decided_at=timezone.now(),
    )  # fmt: skip
    m.skills.set(skills)
    m.towns.set(towns)
    if check_days is not None and not BackgroundCheck.objects.filter(user=user).exists():
        until = today + datetime.timedelta(days=check_days)
        BackgroundCheck.objects.create(user=user, checked_on=min(today, until - datetime.timedelta(days=300)),
                                       checking_unit="全南县公安局", valid_until=until, attested_by=by)  # fmt: skip
    return m


def make_centre(cast) -> Centre:
    county, chen = cast.county, cast.county_admin_chen
    skills = {n: Skill.objects.create(county=county, name=n, order=i)
              for i, n in enumerate(["心理", "家庭教育指导师", "红色文化讲解", "客家文化", "阅读推广"])}  # fmt: skip
    teams = {
        kind: Team.objects.create(county=county, kind=kind, name=f"全南县{label}") for kind, label in Team.Kind.choices
    }
    school_team = Team.objects.create(
        county=county, school=cast.school_a, kind="teacher", name="城厢小学教师支援服务队"
    )
    seat = cast.towns["城厢镇"]
    huang = approved(teams["expert"], cast.expert_huang, by=chen, skills=[skills["心理"]], towns=[seat])
    zeng = approved(teams["elders"], cast.volunteer_zeng, by=chen, skills=[skills["红色文化讲解"]], towns=[seat])
    return Centre(skills, teams, school_team, huang, zeng)


@pytest.fixture
def centre(cast) -> Centre:
    return make_centre(cast)
