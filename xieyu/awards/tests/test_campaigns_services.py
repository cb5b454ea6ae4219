"""The campaign engine: phases on the deadline engine, scope refusals, rubric bounds, the final score, objections
that change the result and a pending objection that holds it, certificates numbered."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xieyu.awards.campaigns import services
from xieyu.awards.campaigns.models import Campaign, Nomination, Objection
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.workcalendar import add_working_time
from xieyu.directory.models import Guardianship, School
from xieyu.directory.services import school_create, student_create
from xieyu.notices.models import Delivery

from .campaigns_fixtures import *  # noqa: F403
from .campaigns_fixtures import advance, campaign_fields, end_publicity, nominate, recommend_all, score

pytestmark = pytest.mark.django_db
FACTS = "2026年5月该家长在校门口多次辱骂其他学生家长,班主任和多名家长在场,可以作证。"


def test_opening_starts_the_nomination_on_the_deadline_engine(cast, campaign):
    assert campaign.phase == "nomination"
    d = Deadline.objects.get(target_type="awards.campaign_phase", target_id=f"{campaign.pk}:nomination")
    assert d.policy.name == "awards.phase" and d.resolution_due == campaign.phase_ends_at
    expected = add_working_time(cast.county, campaign.phase_started_at, 10, "days")
    assert campaign.nomination_ends_at == expected


def test_the_phases_run_in_order_and_each_phase_closes_its_deadline(cast, in_publicity):
    campaign, _ = in_publicity
    assert campaign.phase == "publicity"
    states = dict(Deadline.objects.filter(target_type="awards.campaign_phase").values_list("target_id", "state"))
    assert states[f"{campaign.pk}:nomination"] == "resolved" and states[f"{campaign.pk}:county_review"] == "resolved"
    assert states[f"{campaign.pk}:publicity"] == "running"
    assert campaign.publicity_ends_at == add_working_time(cast.county, campaign.publicity_starts_at, 5, "days")


def test_the_weights_must_add_up_and_the_rubric_needs_maxima(cast):
    with pytest.raises(ValidationError, match="相加"):
        services.campaign_create(actor=cast.county_admin_chen, county=cast.county,
                                 fields=campaign_fields(has_vote=True, expert_weight=70, vote_weight=20))  # fmt: skip
    with pytest.raises(ValidationError):
        services.campaign_create(actor=cast.county_admin_chen, county=cast.county,
                                 fields=campaign_fields(rubric=(("家风建设", 0),)))  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=cast.school_admin_liu, county=cast.county, fields=campaign_fields())
    assert not Campaign.objects.exists()


def test_a_family_outside_the_scope_is_refused_and_nothing_changes(cast, campaign):
    high = school_create(actor=None, county=cast.county, name="全南中学", kind=School.Kind.SENIOR, code="3607290301")
    grade = high.grades.order_by("level").first()
    from xieyu.directory.services import class_create, guardian_for_phone, guardianship_add

    klass = class_create(actor=None, grade=grade, name="1班")
    s = student_create(actor=None, school_class=klass, name="高远", gender="M", birth_date=datetime.date(2009, 1, 1),
                       student_number="")
    guardianship_add(actor=None, student=s, guardian=guardian_for_phone(name="高山", phone="13800009999"),
                     relationship="father", status=Guardianship.Status.CONFIRMED)  # fmt: skip
    with pytest.raises(ValidationError, match="不在本次评选的范围"):
        services.nomination_submit(actor=cast.county_admin_chen, campaign=campaign, by="community", nominee=s,
                                   statement=FACTS)  # fmt: skip
    unconfirmed = cast.students["chen_yu"]  # no guardian bound
    with pytest.raises(ValidationError, match="不在本次评选的范围"):
        nominate(cast, campaign, "chen_yu")
    assert unconfirmed and not Nomination.objects.exists()


def test_who_may_nominate_whom(cast, campaign):
    own = services.nomination_submit(actor=cast.parent_zhang, campaign=campaign, by="self",
                                     nominee=cast.students["zhang_xiaoming"], statement=FACTS)  # fmt: skip
    assert own.display_name == "张小明家庭" and own.school == cast.school_a
    with pytest.raises(PermissionDenied):  # not his child
        services.nomination_submit(actor=cast.parent_zhang, campaign=campaign, by="self",
                                   nominee=cast.students["liu_xiaoyu"], statement=FACTS)  # fmt: skip
    with pytest.raises(PermissionDenied):  # the other school's admin
        nominate(cast, campaign, "liu_xiaoyu", actor=cast.school_admin_wang)
    with pytest.raises(ValidationError, match="已被推荐"):
        nominate(cast, campaign, "zhang_xiaoming")
    by_community = services.nomination_submit(actor=cast.community_ye, campaign=campaign, by="community",
                                              nominee=cast.students["sun_hao"], statement=FACTS)  # fmt: skip
    assert by_community.school == cast.school_b and Nomination.objects.count() == 2


def test_nominations_close_with_the_phase(cast, campaign):
    advance(cast, campaign)
    with pytest.raises(ValidationError, match="推荐阶段"):
        nominate(cast, campaign, "zhang_xiaoming")


def test_the_school_reviews_only_its_own_and_says_why_not(cast, campaign):
    n = nominate(cast, campaign, "zhang_xiaoming")
    advance(cast, campaign)
    with pytest.raises(PermissionDenied):
        services.school_review(actor=cast.school_admin_wang, nomination=n, recommend=True)
    with pytest.raises(ValidationError):
        services.school_review(actor=cast.school_admin_liu, nomination=n, recommend=False, note="")
    with pytest.raises(ValidationError, match="学校审核"):
        advance(cast, campaign)
    services.school_review(actor=cast.school_admin_liu, nomination=n, recommend=True)
    n.refresh_from_db()
    assert n.status == "recommended"


def test_scores_stay_within_each_criterion(cast, campaign):
    n = nominate(cast, campaign, "zhang_xiaoming")
    advance(cast, campaign)
    recommend_all(cast, campaign)
    advance(cast, campaign)
    for bad in ((41, 20, 20), (-1, 20, 20), ("abc", 20, 20), (20.3, 20, 20)):
        with pytest.raises(ValidationError, match="家风建设"):
            score(cast, n, *bad)
    with pytest.raises(PermissionDenied):
        score(cast, n, 30, 20, 20, expert=cast.counsellor_zhou)
    score(cast, n, 40, 29.5, 0)
    score(cast, n, 30, 20, 20)  # a second submission replaces the first
    n.refresh_from_db()
    assert n.expert_score == Decimal("70.00") and n.scores.count() == 1


def test_only_assigned_experts_score_when_the_county_assigns_them(cast):
    from xieyu.accounts.models import Role
    from xieyu.accounts.services import membership_grant, user_create

    other = user_create(actor=None, phone="13800000095", name="温雅")
    membership_grant(actor=None, user=other, role=Role.EXPERT, unit=cast.county)
    c = services.campaign_create(actor=cast.county_admin_chen, county=cast.county, fields=campaign_fields(),
                                 experts=[other])  # fmt: skip
    services.campaign_open(actor=cast.county_admin_chen, campaign=c)
    n = nominate(cast, c, "zhang_xiaoming")
    advance(cast, c)
    recommend_all(cast, c)
    advance(cast, c)
    with pytest.raises(PermissionDenied):
        score(cast, n, 30, 20, 20)
    score(cast, n, 30, 20, 20, expert=other)


def test_the_final_score_weighs_experts_and_votes(cast):
    c = Campaign(rubric=[{"name": "a", "max": 40}, {"name": "b", "max": 40}], has_vote=True, expert_weight=70,
                 vote_weight=30)  # fmt: skip
    # 60 of 80 → 75 on 100; 50 of the most 200 votes → 25 on 100: 0.7×75 + 0.3×25 = 60.
    assert services.final_score(c, Decimal(60), 50, 200) == Decimal("60.00")
    assert services.final_score(c, Decimal(80), 0, 0) == Decimal("70.00")
    plain = Campaign(rubric=[{"name": "a", "max": 50}], has_vote=False, expert_weight=100, vote_weight=0)
    assert services.final_score(plain, Decimal("45.5"), 999, 1000) == Decimal("91.00")


def test_the_publicity_list_is_ranked_by_final_score(cast, in_publicity):
    campaign, noms = in_publicity
    ranked = list(Nomination.objects.filter(campaign=campaign, status="shortlisted").order_by("rank"))
    assert [n.display_name for n in ranked] == ["张小明家庭", "孙浩家庭", "刘小宇家庭", "周杰家庭"]
    assert ranked[0].final_score == Decimal("90.00")


def test_an_objection_needs_facts_a_listed_nominee_and_the_window(cast, in_publicity):
    campaign, noms = in_publicity
    n = noms["liu_xiaoyu"]
    with pytest.raises(ValidationError, match="事实"):
        services.objection_submit(actor=cast.parent_sun, nomination=n, real_name="孙丽", phone="13800000041",
                                  facts="不好")  # fmt: skip
    with pytest.raises(ValidationError, match="真实姓名"):
        services.objection_submit(actor=cast.parent_sun, nomination=n, real_name="", phone="13800000041", facts=FACTS)
    end_publicity(campaign)
    with pytest.raises(ValidationError, match="公示期间"):
        services.objection_submit(actor=cast.parent_sun, nomination=n, real_name="孙丽", phone="13800000041",
                                  facts=FACTS)  # fmt: skip
    assert not Objection.objects.exists()


def test_an_upheld_objection_removes_the_nominee_and_the_next_gets_in(cast, in_publicity):
    campaign, noms = in_publicity
    o = services.objection_submit(actor=cast.parent_sun, nomination=noms["liu_xiaoyu"], real_name="孙丽",
                                  phone="13800000041", facts=FACTS)  # fmt: skip
    end_publicity(campaign)
    with pytest.raises(ValidationError, match="核实"):
        advance(cast, campaign)
    assert services.campaigns_move_on() == 0  # the scheduler waits too
    with pytest.raises(ValidationError):
        services.objection_decide(actor=cast.county_admin_chen, objection=o, upheld=True, reason="", action="remove")
    services.objection_decide(actor=cast.county_admin_chen, objection=o, upheld=True, action="remove",
                              reason="经调查,反映情况属实。")  # fmt: skip
    delivery = Delivery.objects.get(notice__title__contains=campaign.title[:10])
    assert delivery.guardian.user == cast.parent_sun and "属实" in delivery.notice.body
    assert services.campaigns_move_on() == 1
    campaign.refresh_from_db()
    assert campaign.phase == "result"
    selected = list(Nomination.objects.filter(campaign=campaign, status="selected").order_by("rank"))
    assert [n.display_name for n in selected] == ["张小明家庭", "孙浩家庭", "周杰家庭"]
    assert [n.certificate_no for n in selected][0].endswith("-001")
    assert Nomination.objects.get(pk=noms["liu_xiaoyu"].pk).status == "removed"


def test_a_rereview_sends_the_nominee_back_to_the_experts(cast, in_publicity):
    campaign, noms = in_publicity
    n = noms["zhang_xiaoming"]
    o = services.objection_submit(actor=cast.parent_sun, nomination=n, real_name="孙丽", phone="13800000041",
                                  facts=FACTS)  # fmt: skip
    services.objection_decide(actor=cast.county_admin_chen, objection=o, upheld=True, action="rereview",
                              reason="部分事迹需要重新核实评分。")  # fmt: skip
    n.refresh_from_db()
    assert n.status == "recommended" and n.expert_score is None and not n.scores.exists()
    end_publicity(campaign)
    with pytest.raises(ValidationError, match="重新评审"):
        advance(cast, campaign)
    score(cast, n, 20, 15, 15)  # 50
    services.nomination_shortlist(actor=cast.county_admin_chen, nomination=n, shortlisted=True)
    advance(cast, campaign)
    selected = [x.display_name for x in Nomination.objects.filter(campaign=campaign, status="selected").order_by("rank")]
    assert selected == ["孙浩家庭", "刘小宇家庭", "周杰家庭"]


def test_a_dismissed_objection_changes_nothing(cast, in_publicity):
    campaign, noms = in_publicity
    o = services.objection_submit(actor=cast.parent_sun, nomination=noms["sun_hao"], real_name="孙丽",
                                  phone="13800000041", facts=FACTS)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.objection_decide(actor=cast.school_admin_liu, objection=o, upheld=False, reason="不属实")
    services.objection_decide(actor=cast.county_admin_chen, objection=o, upheld=False, reason="经核实,反映不属实。")
    assert Nomination.objects.get(pk=noms["sun_hao"].pk).status == "shortlisted"
    with pytest.raises(ValidationError, match="公示"):  # before the 公示 has run its days
        advance(cast, campaign)


def test_the_scheduler_ends_the_nomination_but_not_the_school_review(cast, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(phase_ends_at=timezone.now() - datetime.timedelta(seconds=1))
    assert services.campaigns_move_on() == 1
    campaign.refresh_from_db()
    assert campaign.phase == "school_review"
    Campaign.objects.filter(pk=campaign.pk).update(phase_ends_at=timezone.now() - datetime.timedelta(seconds=1))
    assert services.campaigns_move_on() == 0


def test_cancel_needs_a_reason_and_stops_the_clock(cast, campaign):
    with pytest.raises(ValidationError):
        services.campaign_cancel(actor=cast.county_admin_chen, campaign=campaign, reason=" ")
    services.campaign_cancel(actor=cast.county_admin_chen, campaign=campaign, reason="上级通知暂停本年度评选。")
    campaign.refresh_from_db()
    assert campaign.phase == "cancelled"
    d = Deadline.objects.get(target_type="awards.campaign_phase", target_id=f"{campaign.pk}:nomination")
    assert d.state == "cancelled"


def test_a_campaign_with_a_vote_counts_the_tally(cast):
    c = services.campaign_create(actor=cast.county_admin_chen, county=cast.county,
                                 fields=campaign_fields(has_vote=True, expert_weight=70, vote_weight=30))  # fmt: skip
    services.campaign_open(actor=cast.county_admin_chen, campaign=c)
    a, b = nominate(cast, c, "zhang_xiaoming"), nominate(cast, c, "sun_hao")
    advance(cast, c)
    recommend_all(cast, c)
    advance(cast, c)
    score(cast, a, 40, 30, 30)
    score(cast, b, 30, 20, 20)
    services.campaign_shortlist_by_score(actor=cast.county_admin_chen, campaign=c, count=2)
    advance(cast, c)
    c.refresh_from_db()
    assert c.phase == "vote" and c.vote_ends_at
    c = advance(cast, c)  # the tally closes (no ballots): the vote part is 0 for everyone
    a.refresh_from_db()
    assert c.phase == "publicity" and a.final_score == Decimal("70.00")


def test_a_person_campaign_takes_the_countys_staff_only(cast, other_county):
    c = services.campaign_create(actor=cast.county_admin_chen, county=cast.county,
                                 fields=campaign_fields(kind="instructor", nominee="person", school_kinds=()))  # fmt: skip
    services.campaign_open(actor=cast.county_admin_chen, campaign=c)
    n = services.nomination_submit(actor=cast.school_admin_liu, campaign=c, by="school", nominee=cast.head_teacher_li,
                                   statement=FACTS)  # fmt: skip
    assert (n.display_name, n.school) == ("李娜", cast.school_a)
    with pytest.raises(ValidationError, match="不在本次评选的范围"):
        services.nomination_submit(actor=other_county[1], campaign=c, by="self", nominee=other_county[1],
                                   statement=FACTS)  # fmt: skip
    with pytest.raises(ValidationError):
        services.nomination_submit(actor=cast.school_admin_liu, campaign=c, by="school",
                                   nominee=cast.students["zhang_xiaoming"], statement=FACTS)  # fmt: skip
    assert Nomination.objects.filter(campaign=c).count() == 1


def test_the_scheduler_job_is_registered():
    from xieyu.awards import schedule  # noqa: F401
    from xieyu.core.scheduler import JOBS

    assert JOBS["awards.campaigns_move_on"].every == 600


def test_a_parent_committee_member_nominates_for_her_school(cast, campaign):
    from xieyu.committees.models import Committee, Member

    committee = Committee.objects.create(county=cast.county, school=cast.school_a, level="school",
                                         name="城厢小学家长委员会")  # fmt: skip
    today = timezone.localdate()
    Member.objects.create(committee=committee, guardian=cast.grandma_zhao.guardian, role="member",
                          term_start=today - datetime.timedelta(days=30), term_end=today + datetime.timedelta(days=300),
                          chosen="election")  # fmt: skip
    n = services.nomination_submit(actor=cast.grandma_zhao, campaign=campaign, by="committee",
                                   nominee=cast.students["zhang_xiaoming"], statement=FACTS)  # fmt: skip
    assert (n.by, n.school) == ("committee", cast.school_a)
    with pytest.raises(PermissionDenied):  # another school's family
        services.nomination_submit(actor=cast.grandma_zhao, campaign=campaign, by="committee",
                                   nominee=cast.students["sun_hao"], statement=FACTS)  # fmt: skip
    with pytest.raises(PermissionDenied):  # 张伟 sits on no committee
        services.nomination_submit(actor=cast.parent_zhang, campaign=campaign, by="committee",
                                   nominee=cast.students["liu_xiaoyu"], statement=FACTS)  # fmt: skip
    assert Nomination.objects.count() == 1


def test_the_closed_tally_weighs_into_the_ranking(cast, monkeypatch):
    from types import SimpleNamespace

    from xieyu.awards.votes import services as votes_services

    c = services.campaign_create(actor=cast.county_admin_chen, county=cast.county,
                                 fields=campaign_fields(has_vote=True, expert_weight=70, vote_weight=30, quota=1))  # fmt: skip
    services.campaign_open(actor=cast.county_admin_chen, campaign=c)
    a, b = nominate(cast, c, "zhang_xiaoming"), nominate(cast, c, "sun_hao")
    advance(cast, c)
    recommend_all(cast, c)
    advance(cast, c)
    score(cast, a, 40, 30, 30)  # 100
    score(cast, b, 28, 21, 21)  # 70
    services.campaign_shortlist_by_score(actor=cast.county_admin_chen, campaign=c, count=2)
    c = advance(cast, c)  # the vote
    closed = SimpleNamespace(counts={str(a.pk): 10, str(b.pk): 40})
    monkeypatch.setattr(votes_services, "tally_close", lambda *, actor, campaign: closed)
    c = advance(cast, c)  # the tally closes, the 公示 begins
    a.refresh_from_db()
    b.refresh_from_db()
    # a: 0.7×100 + 0.3×(10/40×100) = 77.5; b: 0.7×70 + 0.3×100 = 79 — the vote puts b first.
    assert (a.votes, a.final_score, b.votes, b.final_score) == (10, Decimal("77.50"), 40, Decimal("79.00"))
    assert (b.rank, a.rank) == (1, 2)
    end_publicity(c)
    advance(cast, c)
    assert list(Nomination.objects.filter(campaign=c, status="selected").values_list("pk", flat=True)) == [b.pk]
