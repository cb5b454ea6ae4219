"""The talent pool's rules, as stories: 张伟 offers 书法 to 城厢小学 with consent, 刘芳 invites him, and the one rule of
work with children decides when he is placed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.events.models import Staff
from xieyu.notices.models import Delivery
from xieyu.teams.models import BackgroundCheck, Member, TalentInvitation, TalentProfile
from xieyu.teams.talent import access, services

from .talent_fixtures import guardian, make_world, offer, refused, session


@pytest.fixture
def world(cast):
    return make_world(cast)


def _check(cast, user, *, days_ago=30, valid_days=700):
    today = timezone.localdate()
    return BackgroundCheck.objects.create(
        user=user, checked_on=today - datetime.timedelta(days=days_ago), checking_unit="全南县公安局",
        valid_until=today + datetime.timedelta(days=valid_days - days_ago), attested_by=cast.school_admin_liu,
    )  # fmt: skip


def test_a_guardian_offers_her_skill_and_the_school_finds_her_only_with_consent(cast, world):
    profile = offer(cast, world, consent=True)
    assert profile.consent_at is not None
    assert list(access.search(cast.school_admin_liu, skill=world.skills["书法"])) == [profile]
    assert list(access.search(cast.school_admin_liu, skill=world.skills["体育"])) == []
    assert list(access.search(cast.school_admin_liu, weekday=2, part="afternoon")) == [profile]
    assert list(access.search(cast.school_admin_liu, weekday=0)) == []
    assert list(access.searchable_by(cast.school_admin_wang)) == []  # 全南二中 does not see 城厢小学's pool


def test_a_profile_without_consent_never_reaches_the_school(cast, world):
    profile = offer(cast, world, consent=False)
    assert profile.consent_at is None
    assert list(access.searchable_by(cast.school_admin_liu)) == []
    with pytest.raises(Exception, match="not found"):
        access.get_profile_for(cast.school_admin_liu, profile.pk)


def test_editing_keeps_the_consent_and_withdrawing_hides_at_once(cast, world):
    profile = offer(cast, world, consent=True)
    given = profile.consent_at
    edited = offer(cast, world, skills=("书法", "体育"), consent=False)
    assert edited.pk == profile.pk and edited.consent_at == given
    services.talent_consent_withdraw(actor=cast.parent_zhang, profile=edited)
    edited.refresh_from_db()
    assert edited.consent_at is None and edited.consent_withdrawn_at is not None
    assert list(access.searchable_by(cast.school_admin_liu)) == []


def test_a_skill_of_another_county_or_a_school_none_of_her_children_attends_is_refused(cast, world):
    user = cast.parent_zhang
    with refused("skills"):
        services.talent_profile_save(actor=user, guardian=guardian(user), school=cast.school_a,
                                     skills=[world.other_skill], slots=[(1, "morning")], consent=True)  # fmt: skip
    with refused("school"):
        services.talent_profile_save(actor=user, guardian=guardian(user), school=cast.school_b,
                                     skills=[world.skills["书法"]], slots=[(1, "morning")], consent=True)  # fmt: skip
    with refused("slots"):
        services.talent_profile_save(actor=user, guardian=guardian(user), school=cast.school_a,
                                     skills=[world.skills["书法"]], slots=[(7, "morning")], consent=True)  # fmt: skip
    assert not TalentProfile.objects.exists()


def test_a_cleared_parent_accepting_a_session_is_placed_as_helper(cast, world):
    profile = offer(cast, world)
    event = session(cast)
    _check(cast, cast.parent_zhang)
    invitation = services.talent_invite_session(actor=cast.school_admin_liu, profile=profile, event=event)
    assert Delivery.objects.filter(notice__topic="teams.talent", guardian__user=cast.parent_zhang).exists()
    invitation = services.talent_invitation_answer(actor=cast.parent_zhang, invitation=invitation, accept=True)
    assert invitation.status == TalentInvitation.Status.PLACED
    staff = Staff.objects.get(event=event, user=cast.parent_zhang)
    assert (staff.role, staff.source) == ("helper", f"teams.talent:{invitation.pk}")


def test_an_unchecked_parent_waits_until_the_school_records_her_check(cast, world):
    profile = offer(cast, world)
    event = session(cast)
    invitation = services.talent_invite_session(actor=cast.school_admin_liu, profile=profile, event=event)
    invitation = services.talent_invitation_answer(actor=cast.parent_zhang, invitation=invitation, accept=True)
    assert invitation.status == TalentInvitation.Status.AWAITING_CHECK
    assert not Staff.objects.filter(event=event).exists()
    today = timezone.localdate()
    with refused("valid_until"):  # a check lapsing before the session: nothing kept
        services.talent_check_record(actor=cast.school_admin_liu, invitation=invitation, checked_on=today,
                                     checking_unit="全南县公安局", valid_until=today + datetime.timedelta(days=2))  # fmt: skip
    assert not BackgroundCheck.objects.exists()
    services.talent_check_record(actor=cast.school_admin_liu, invitation=invitation, checked_on=today,
                                 checking_unit="全南县公安局", valid_until=today + datetime.timedelta(days=365))  # fmt: skip
    invitation.refresh_from_db()
    assert invitation.status == TalentInvitation.Status.PLACED
    assert Staff.objects.filter(event=event, user=cast.parent_zhang, role="helper").exists()


def test_a_lapsed_check_does_not_place(cast, world):
    profile = offer(cast, world)
    event = session(cast, days=30)
    _check(cast, cast.parent_zhang, days_ago=400, valid_days=410)  # lapses in ten days, before the session
    invitation = services.talent_invite_session(actor=cast.school_admin_liu, profile=profile, event=event)
    invitation = services.talent_invitation_answer(actor=cast.parent_zhang, invitation=invitation, accept=True)
    assert invitation.status == TalentInvitation.Status.AWAITING_CHECK


def test_a_guardian_without_an_account_cannot_be_invited(cast, world):
    profile = offer(cast, world)
    g = profile.guardian
    g.user = None
    g.save(update_fields=["user"])
    profile.refresh_from_db()
    with refused("user"):
        services.talent_invite_session(actor=cast.school_admin_liu, profile=profile, event=session(cast))
    assert not TalentInvitation.objects.exists()


def test_accepting_the_parent_team_invitation_is_an_application(cast, world):
    profile = offer(cast, world)
    invitation = services.talent_invite_team(actor=cast.school_admin_liu, profile=profile, team=world.parent_team)
    with refused("team"):
        services.talent_invite_team(actor=cast.school_admin_liu, profile=profile, team=world.parent_team)
    services.talent_invitation_answer(actor=cast.parent_zhang, invitation=invitation, accept=True)
    member = Member.objects.get(team=world.parent_team, user=cast.parent_zhang)
    assert member.status == Member.Status.APPLIED
    assert list(member.skills.values_list("name", flat=True)) == ["书法"]


def test_withdrawing_consent_cancels_open_invitations(cast, world):
    profile = offer(cast, world)
    invitation = services.talent_invite_session(actor=cast.school_admin_liu, profile=profile, event=session(cast))
    services.talent_consent_withdraw(actor=cast.parent_zhang, profile=profile)
    invitation.refresh_from_db()
    assert invitation.status == TalentInvitation.Status.CANCELLED
    with refused("status"):
        services.talent_invitation_answer(actor=cast.parent_zhang, invitation=invitation, accept=True)


def test_only_a_session_of_her_school_can_be_offered(cast, world):
    profile = offer(cast, world)
    other = session(cast, school=cast.school_b, title="全南二中 课后服务")
    with refused("event"):
        services.talent_invite_session(actor=cast.school_admin_liu, profile=profile, event=other)
