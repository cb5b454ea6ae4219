"""Posting needs, inviting, answering: each rule as a story, each refusal naming what is wrong and changing nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from xieyu.events.models import Event, Staff
from xieyu.notices.models import Delivery
from xieyu.teams.dispatch import services
from xieyu.teams.models import Assignment, Need, Skill

from .dispatch_support import accepted_elsewhere, at, lapsed_member, lecture, member_of, teams

__all__ = ["teams"]


def test_a_schools_lecture_gets_a_published_whole_school_lecture_event(teams):
    need = lecture(teams)
    event = need.event
    assert (event.kind, event.audience, event.school, event.status) == ("lecture", "school", teams.school_a,
                                                                         "published")  # fmt: skip
    assert need.town == teams.school_a.town and event.title == need.topic


@pytest.mark.parametrize(
    "kind, event_kind", [("clinic", "clinic"), ("after_school", "after_school_session"), ("tour_stop", "tour_stop")]
)
def test_each_kind_of_need_gets_its_kind_of_event(teams, kind, event_kind):
    assert lecture(teams, kind=kind).event.kind == event_kind


def test_the_countys_lecture_is_for_the_county_and_a_communitys_activity_for_its_town(teams):
    county_need = services.need_create(actor=teams.county_admin_chen, kind="lecture", topic="全县家风讲座",
                                       starts_at=at(10), ends_at=at(10, 17), place="县文化馆", county=teams.county)  # fmt: skip
    assert (county_need.event.audience, county_need.event.organiser) == ("county", "county")
    south = teams.communities["south"]
    need = services.need_create(actor=teams.community_ye, kind="community", topic="城南社区暑期读书会",
                                starts_at=at(10), ends_at=at(10, 17), place="城南社区书屋", county=teams.county,
                                community=south)  # fmt: skip
    event = need.event
    assert (event.kind, event.audience, event.audience_town, event.organiser) == (
        "community_activity",
        "town",
        south.town,
        "community",
    )


def test_a_case_follow_up_gets_no_event(teams):
    need = lecture(teams, kind="case_followup", topic="个案跟进")
    assert need.event is None


def test_a_need_linking_an_existing_event_gets_no_second_one(teams):
    first = lecture(teams)
    before = Event.objects.count()
    second = lecture(teams, topic="同一场讲座", event=first.event)
    assert second.event == first.event and Event.objects.count() == before


@pytest.mark.parametrize(
    "change, code",
    [({"ends_at": at(13, 15)}, "ends_at"), ({"people": 0}, "people"), ({"people": 51}, "people"),
     ({"topic": "  "}, "topic"), ({"kind": "party"}, "kind")],
)  # fmt: skip
def test_a_bad_need_is_refused_and_nothing_is_posted(teams, change, code):
    before = (Need.objects.count(), Event.objects.count())
    with pytest.raises(ValidationError) as exc:
        lecture(teams, **change)
    assert exc.value.code == code
    assert (Need.objects.count(), Event.objects.count()) == before


def test_a_skill_of_another_county_is_refused(teams):
    from xieyu.directory.models import Region

    other = Region.objects.create(name="龙南市", level="county", parent=teams.county.parent)
    foreign = Skill.objects.create(county=other, name="心理")
    with pytest.raises(ValidationError) as exc:
        services.need_create(actor=teams.school_admin_liu, kind="lecture", topic="讲座", starts_at=at(3),
                             ends_at=at(3, 17), place="报告厅", county=teams.county, school=teams.school_a,
                             skills=[foreign])  # fmt: skip
    assert exc.value.code == "skills" and not Need.objects.exists()


def test_zeng_is_invited_told_and_accepts_and_becomes_the_lectures_instructor(teams):
    need = lecture(teams)
    zeng = member_of(teams.volunteer_zeng)
    (a,) = services.assignment_invite(actor=teams.school_admin_liu, need=need, members=[zeng])
    assert Delivery.objects.filter(user=teams.volunteer_zeng, notice__title__contains=need.topic).exists()
    services.assignment_accept(actor=teams.volunteer_zeng, assignment=a)
    a.refresh_from_db()
    need.refresh_from_db()
    assert a.status == "accepted" and need.status == "filled"
    staff = Staff.objects.get(event=need.event, user=teams.volunteer_zeng)
    assert (staff.role, staff.source) == ("instructor", f"teams.assignment:{a.pk}")


def test_a_clinic_places_the_expert_and_after_school_a_helper(teams):
    huang = member_of(teams.expert_huang)
    clinic = lecture(teams, kind="clinic", skills=("心理",))
    (a,) = services.assignment_invite(actor=teams.school_admin_liu, need=clinic, members=[huang])
    services.assignment_accept(actor=teams.expert_huang, assignment=a)
    assert Staff.objects.get(event=clinic.event, user=teams.expert_huang).role == "expert"


def test_inviting_a_member_whose_check_lapsed_is_refused_naming_the_check(teams):
    need = lecture(teams)
    lapsed = lapsed_member()
    with pytest.raises(ValidationError) as exc:
        services.assignment_invite(actor=teams.school_admin_liu, need=need, members=[member_of(teams.volunteer_zeng),
                                                                                     lapsed])  # fmt: skip
    assert exc.value.code == "check" and lapsed.user.name in str(exc.value)
    assert not Assignment.objects.exists() and not Delivery.objects.filter(user=teams.volunteer_zeng).exists()


def test_inviting_a_member_working_elsewhere_then_is_refused_naming_the_event(teams):
    need = lecture(teams)
    other = lecture(teams, topic="龙下乡红色故事会")
    zeng = member_of(teams.volunteer_zeng)
    accepted_elsewhere(zeng, other)
    with pytest.raises(ValidationError, match="龙下乡红色故事会"):
        services.assignment_invite(actor=teams.school_admin_liu, need=need, members=[zeng])
    assert not Assignment.objects.filter(need=need).exists()


def test_accepting_re_checks_a_clash_that_arose_after_the_invitation(teams):
    need = lecture(teams)
    zeng = member_of(teams.volunteer_zeng)
    (a,) = services.assignment_invite(actor=teams.school_admin_liu, need=need, members=[zeng])
    accepted_elsewhere(zeng, lecture(teams, topic="大吉山家风故事会"))
    with pytest.raises(ValidationError, match="大吉山家风故事会"):
        services.assignment_accept(actor=teams.volunteer_zeng, assignment=a)
    a.refresh_from_db()
    assert a.status == "invited" and not Staff.objects.filter(event=need.event).exists()


def test_accepting_after_the_check_lapsed_is_refused(teams):
    from xieyu.teams.models import BackgroundCheck

    need = lecture(teams)
    (a,) = services.assignment_invite(
        actor=teams.school_admin_liu, need=need, members=[member_of(teams.volunteer_zeng)]
    )
    BackgroundCheck.objects.filter(user=teams.volunteer_zeng).update(valid_until=at(-1).date())
    with pytest.raises(ValidationError) as exc:
        services.assignment_accept(actor=teams.volunteer_zeng, assignment=a)
    assert exc.value.code == "check"
    a.refresh_from_db()
    assert a.status == "invited"


def test_the_last_place_fills_the_need_closes_open_invitations_and_refuses_more(teams):
    need = lecture(teams, skills=("心理",), people=1)
    huang, zhou = member_of(teams.expert_huang), member_of(teams.counsellor_zhou)
    a_huang, a_zhou = services.assignment_invite(actor=teams.school_admin_liu, need=need, members=[huang, zhou])
    services.assignment_accept(actor=teams.expert_huang, assignment=a_huang)
    a_zhou.refresh_from_db()
    assert a_zhou.status == "cancelled"
    with pytest.raises(ValidationError) as exc:
        services.assignment_accept(actor=teams.counsellor_zhou, assignment=a_zhou)
    assert exc.value.code == "status"
    with pytest.raises(ValidationError) as exc:
        services.assignment_invite(actor=teams.school_admin_liu, need=need, members=[member_of(teams.volunteer_zeng)])
    assert exc.value.code == "status"
    assert Assignment.objects.filter(need=need, status="accepted").count() == 1


def test_accepting_a_filled_need_is_refused_even_while_the_invitation_is_open(teams):
    need = lecture(teams, skills=("心理",), people=1)
    huang, zhou = member_of(teams.expert_huang), member_of(teams.counsellor_zhou)
    a_huang, a_zhou = services.assignment_invite(actor=teams.school_admin_liu, need=need, members=[huang, zhou])
    Assignment.objects.filter(pk=a_huang.pk).update(status="accepted")  # accepted in another request
    with pytest.raises(ValidationError) as exc:
        services.assignment_accept(actor=teams.counsellor_zhou, assignment=a_zhou)
    assert exc.value.code == "filled"
    a_zhou.refresh_from_db()
    assert a_zhou.status == "invited"


def test_declining_keeps_the_reason_and_withdrawing_reopens_the_need(teams):
    need = lecture(teams, skills=("心理",), people=1)
    huang, zhou = member_of(teams.expert_huang), member_of(teams.counsellor_zhou)
    a_huang, a_zhou = services.assignment_invite(actor=teams.school_admin_liu, need=need, members=[huang, zhou])
    services.assignment_decline(actor=teams.counsellor_zhou, assignment=a_zhou, reason="那天在市里开会")
    a_zhou.refresh_from_db()
    assert (a_zhou.status, a_zhou.reason) == ("declined", "那天在市里开会")
    services.assignment_accept(actor=teams.expert_huang, assignment=a_huang)
    with pytest.raises(ValidationError) as exc:
        services.assignment_withdraw(actor=teams.expert_huang, assignment=a_huang, reason=" ")
    assert exc.value.code == "reason"
    services.assignment_withdraw(actor=teams.expert_huang, assignment=a_huang, reason="身体不适")
    need.refresh_from_db()
    assert need.status == "open" and not Staff.objects.filter(event=need.event).exists()


def test_the_coordinator_cancels_an_assignment_and_the_member_is_told(teams):
    need = lecture(teams)
    (a,) = services.assignment_invite(
        actor=teams.school_admin_liu, need=need, members=[member_of(teams.volunteer_zeng)]
    )
    services.assignment_accept(actor=teams.volunteer_zeng, assignment=a)
    services.assignment_cancel(actor=teams.school_admin_liu, assignment=a, reason="讲座改期")
    need.refresh_from_db()
    assert need.status == "open" and not Staff.objects.filter(event=need.event).exists()
    assert Delivery.objects.filter(user=teams.volunteer_zeng, notice__body__contains="讲座改期").exists()
    services.need_cancel(actor=teams.school_admin_liu, need=need)
    need.refresh_from_db()
    assert need.status == "cancelled"
    with pytest.raises(ValidationError):
        services.assignment_invite(actor=teams.school_admin_liu, need=need, members=[member_of(teams.volunteer_zeng)])


def test_inviting_the_same_member_twice_is_refused(teams):
    need = lecture(teams)
    zeng = member_of(teams.volunteer_zeng)
    services.assignment_invite(actor=teams.school_admin_liu, need=need, members=[zeng])
    with pytest.raises(ValidationError) as exc:
        services.assignment_invite(actor=teams.school_admin_liu, need=need, members=[zeng])
    assert exc.value.code == "member" and "曾德福" in str(exc.value)
    assert Assignment.objects.filter(need=need).count() == 1


def test_a_reason_too_long_is_refused(teams):
    need = lecture(teams)
    (a,) = services.assignment_invite(
        actor=teams.school_admin_liu, need=need, members=[member_of(teams.volunteer_zeng)]
    )
    with pytest.raises(ValidationError) as exc:
        services.assignment_decline(actor=teams.volunteer_zeng, assignment=a, reason="忙" * 201)
    assert exc.value.code == "reason"
    a.refresh_from_db()
    assert (a.status, a.reason) == ("invited", "")
