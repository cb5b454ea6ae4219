"""The committees of the cast, as the bodies tests use them: 城厢小学's school committee (张伟 chair, 赵秀英 member,
黄丽 — a mother without an account — secretary), 全南二中's (孙丽 chair); a meeting that has been held, with a passed
resolution, and the charter's first version adopted by it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from xieyu.committees.bodies import services
from xieyu.committees.models import CharterVersion, Committee, Meeting, Member, Resolution
from xieyu.directory.models import Guardian

V1 = "第一条 本会名称为城厢小学家长委员会。\n第二条 每届任期两年。\n第三条 每学期至少开会两次。"
V2 = "第一条 本会名称为城厢小学家长委员会。\n第二条 每届任期两年,可连任一次。\n第三条 每学期至少开会两次。\n第四条 纪要向家长公开。"
VOTES = {"for": 20, "against": 1, "abstain": 0, "voters": 21}


@dataclass
class Bodies:
    a: Committee
    b: Committee
    zhang: Member
    zhao: Member
    huang: Member
    sun: Member
    held: Meeting
    r1: Resolution
    v1: CharterVersion


def guardian(user) -> Guardian:
    return Guardian.objects.get(user=user)


def seat(actor, committee, g, role, **kw) -> Member:
    today = timezone.localdate()
    return services.member_add(
        actor=actor, committee=committee, guardian=g, role=role, term_start=kw.get("start", today - datetime.timedelta(days=30)),
        term_end=kw.get("end", today + datetime.timedelta(days=700)), chosen=Member.Chosen.ELECTION, vote_record=VOTES,
    )  # fmt: skip


def held_meeting(actor, committee, *, title="全体会议", ago=datetime.timedelta(hours=1)) -> Meeting:
    return services.meeting_create(actor=actor, committee=committee, title=title, agenda="1. 审议章程",
                                   starts_at=timezone.now() - ago, place="会议室")  # fmt: skip


@pytest.fixture
def bodies(cast) -> Bodies:
    liu, wang = cast.school_admin_liu, cast.school_admin_wang
    a = services.committee_create(actor=liu, school=cast.school_a, level="school", name="城厢小学家长委员会")
    b = services.committee_create(actor=wang, school=cast.school_b, level="school", name="全南二中家长委员会")
    zhang = seat(liu, a, guardian(cast.parent_zhang), Member.Role.CHAIR)
    zhao = seat(liu, a, guardian(cast.grandma_zhao), Member.Role.MEMBER)
    huang = seat(liu, a, Guardian.objects.get(phone="13800001031"), Member.Role.SECRETARY)
    sun = seat(wang, b, guardian(cast.parent_sun), Member.Role.CHAIR)
    v1 = services.charter_draft(actor=cast.parent_zhang, committee=a, text=V1)
    held = held_meeting(cast.parent_zhang, a, ago=datetime.timedelta(days=20))
    r1 = services.resolution_add(actor=cast.parent_zhang, meeting=held, text="通过章程第一版", votes_for=3,
                                 votes_against=0, votes_abstain=0)  # fmt: skip
    services.charter_adopt(actor=cast.parent_zhang, version=v1, resolution=r1)
    return Bodies(a, b, zhang, zhao, huang, sun, held, r1, v1)
