"""Proposals for a need, read as stories: 城厢小学 needs a 家风 lecture; who does the platform propose, and why?"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.teams.dispatch.matching import propose
from xieyu.teams.models import Assignment, BackgroundCheck, Member, Team

from .dispatch_support import accepted_elsewhere, lapsed_member, lecture, make_free, member_of, skill, teams

__all__ = ["teams"]


def names(proposals) -> list[str]:
    return [p.member.user.name for p in proposals]


def test_zeng_is_proposed_for_the_family_tradition_lecture_and_a_lapsed_member_is_not(teams):
    cast = teams
    lapsed = lapsed_member()
    lapsed.skills.add(skill(cast, "红色文化讲解"), skill(cast, "客家文化"))
    need = lecture(cast)
    proposals = propose(need, limit=100)
    assert "曾德福" in names(proposals)
    assert lapsed.user.name not in {p.member.user.name for p in proposals if p.member.user_id == lapsed.user_id}
    assert all(p.member.user_id != lapsed.user_id for p in proposals)
    zeng = next(p for p in proposals if p.member.user == cast.volunteer_zeng)
    assert sorted(zeng.skills) == ["客家文化", "红色文化讲解"] and zeng.reaches
    assert any("2" in w and "客家文化" in w for w in zeng.why)


def test_more_matching_skills_rank_first(teams):
    cast = teams
    need = lecture(cast, skills=("红色文化讲解", "客家文化", "书法"))
    proposals = propose(need, limit=100)
    scores = [len(p.skills) for p in proposals]
    assert scores == sorted(scores, reverse=True)
    assert proposals[0].member.user == cast.volunteer_zeng  # he has all three
    assert all(p.skills for p in proposals)  # nobody without one of the skills


def test_a_member_who_does_not_reach_the_town_ranks_after_one_who_does(teams):
    cast = teams
    need = lecture(cast, skills=("心理",), town=cast.towns["龙下乡"])
    proposals = propose(need, limit=100)
    reach = [p.reaches for p in proposals]
    # within equal skills and availability, those who reach the town come first
    for a, b in zip(proposals, proposals[1:], strict=False):
        if (len(a.skills), a.available) == (len(b.skills), b.available):
            assert a.reaches >= b.reaches
    assert True in reach


def test_the_member_with_fewer_recent_assignments_comes_first(teams):
    cast = teams
    need = lecture(cast, skills=("心理",))
    huang, zhou = member_of(cast.expert_huang), member_of(cast.counsellor_zhou)
    huang.skills.set([skill(cast, "心理")])
    zhou.skills.set([skill(cast, "心理")])
    zhou.towns.set(huang.towns.all())
    for m in (huang, zhou):
        make_free(m, need.starts_at)
    for i in range(3):
        past = lecture(cast, days=-20 - i * 10, skills=("心理",), topic=f"上月讲座{i}")
        Assignment.objects.create(need=past, member=huang, status=Assignment.Status.ACCEPTED,
                                  starts_at=past.starts_at, ends_at=past.ends_at)  # fmt: skip
    order = names(propose(need, limit=100))
    assert order.index("周敏") < order.index("黄志华")
    huang_p = next(p for p in propose(need, limit=100) if p.member == huang)
    assert huang_p.load == 3


def test_a_member_already_working_elsewhere_then_is_not_proposed(teams):
    cast = teams
    need = lecture(cast)
    other = lecture(cast, topic="龙下乡红色故事会", hour=15)
    accepted_elsewhere(member_of(cast.volunteer_zeng), other)
    assert "曾德福" not in names(propose(need, limit=100))


def test_a_member_usually_free_then_ranks_first_among_equals(teams):
    cast = teams
    need = lecture(cast, skills=("心理",))
    huang, zhou = member_of(cast.expert_huang), member_of(cast.counsellor_zhou)
    for m in (huang, zhou):
        m.skills.set([skill(cast, "心理")])
        m.towns.set([cast.towns["城厢镇"]])
        m.availability.all().delete()
    make_free(zhou, need.starts_at)
    proposals = [p for p in propose(need, limit=100) if p.member in (huang, zhou)]
    assert [p.member for p in proposals] == [zhou, huang]
    assert proposals[0].available and not proposals[1].available


def test_without_children_a_lapsed_check_does_not_matter_but_the_team_kind_does(teams):
    cast = teams
    lapsed = lapsed_member()
    need = lecture(cast, skills=(), with_children=False, team_kind=lapsed.team.kind)
    found = propose(need, limit=100)
    assert lapsed.user_id in {p.member.user_id for p in found}
    assert {p.member.team.kind for p in found} == {lapsed.team.kind}


def test_a_member_whose_term_ended_or_who_left_is_not_proposed(teams):
    cast = teams
    zeng = member_of(cast.volunteer_zeng)
    Member.objects.filter(pk=zeng.pk).update(term_end=timezone.localdate() + datetime.timedelta(days=3))
    assert "曾德福" not in names(propose(lecture(cast), limit=100))
    Member.objects.filter(pk=zeng.pk).update(term_end=None, status=Member.Status.LEFT)
    assert "曾德福" not in names(propose(lecture(cast, topic="再一次"), limit=100))


def test_a_check_lapsing_before_the_date_excludes_the_member(teams):
    cast = teams
    BackgroundCheck.objects.filter(user=cast.volunteer_zeng).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=5)
    )
    assert "曾德福" not in names(propose(lecture(cast, days=14), limit=100))
    assert "曾德福" in names(propose(lecture(cast, days=3, topic="三天后"), limit=100))


def test_a_person_in_two_teams_is_proposed_once(teams):
    cast = teams
    elders = Team.objects.get(county=cast.county, kind=Team.Kind.TEACHER, school__isnull=True)
    second = Member.objects.create(team=elders, user=cast.volunteer_zeng, status=Member.Status.APPROVED)
    second.skills.set([skill(cast, "红色文化讲解")])
    found = [p for p in propose(lecture(cast), limit=100) if p.member.user == cast.volunteer_zeng]
    assert len(found) == 1


@pytest.mark.parametrize("extra_members", [0, 40])
def test_proposing_runs_a_fixed_number_of_queries(teams, django_assert_max_num_queries, extra_members):
    cast = teams
    if extra_members:
        from xieyu.accounts.models import User

        team = Team.objects.get(county=cast.county, kind=Team.Kind.ELDERS, school__isnull=True)
        for i in range(extra_members):
            u = User.objects.create(phone=f"1390000{i:04d}", name=f"志愿者{i}")
            today = timezone.localdate()
            m = Member.objects.create(team=team, user=u, status=Member.Status.APPROVED,
                                      term_start=today - datetime.timedelta(days=30),
                                      term_end=today + datetime.timedelta(days=700))  # fmt: skip
            m.skills.set([skill(cast, "客家文化")])
            m.towns.set([cast.towns["城厢镇"]])
            BackgroundCheck.objects.create(user=u, checked_on=timezone.localdate() - datetime.timedelta(days=10),
                                           checking_unit="全南县公安局",
                                           valid_until=timezone.localdate() + datetime.timedelta(days=300))  # fmt: skip
    need = lecture(cast)
    need = type(need).objects.get(pk=need.pk)
    with django_assert_max_num_queries(3):
        proposals = propose(need, limit=100)
    assert len(proposals) >= 1 + (extra_members and 40)
