"""The dispatch pages: who sees which need (the neighbour matrix), posting one with bad input, inviting, and the
member's invitations and home; list and home pages run a fixed number of queries whatever the data size."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant
from xieyu.events.models import Staff
from xieyu.teams.dispatch import services
from xieyu.teams.models import Assignment, Need

from .dispatch_support import at, lapsed_member, lecture, member_of, skill, teams

__all__ = ["teams"]


def invite_zeng(cast, need=None):
    need = need or lecture(cast)
    (a,) = services.assignment_invite(actor=cast.school_admin_liu, need=need, members=[member_of(cast.volunteer_zeng)])
    return need, a


@pytest.mark.parametrize(
    "persona, status",
    [("school_admin_liu", 200), ("county_admin_chen", 200), ("school_admin_wang", 404), ("head_teacher_li", 404),
     ("parent_zhang", 404), ("community_ye", 404), ("volunteer_zeng", 404), ("expert_huang", 404), (None, 302)],
)  # fmt: skip
def test_a_schools_need_is_seen_by_its_coordinators_only(teams, client_for, persona, status):
    need = lecture(teams)
    response = client_for(persona).get(reverse("teams:need_detail", args=[need.pk]))
    assert response.status_code == status
    if status == 200:
        assert "曾德福" in response.content.decode()  # proposed


def test_an_invited_member_sees_the_need_and_her_invitation_but_not_the_proposals(teams, client_for):
    need, a = invite_zeng(teams)
    page = client_for("volunteer_zeng").get(reverse("teams:need_detail", args=[need.pk])).content.decode()
    assert f'data-assignment="{a.pk}"' in page and 'id="proposals"' not in page


@pytest.mark.parametrize(
    "persona, status", [("school_admin_liu", 200), ("county_admin_chen", 200), ("community_ye", 200),
                        ("school_admin_wang", 200), ("parent_zhang", 404), ("volunteer_zeng", 404), (None, 302)],
)  # fmt: skip
def test_the_need_list_is_for_those_who_post_and_shows_only_their_needs(teams, client_for, persona, status):
    need = lecture(teams)
    response = client_for(persona).get(reverse("teams:need_list"))
    assert response.status_code == status
    if status == 200:
        shown = f'data-need="{need.pk}"' in response.content.decode()
        assert shown == (persona in ("school_admin_liu", "county_admin_chen"))


def test_community_staff_of_another_community_do_not_see_the_communitys_need(teams, client_for, cast):
    need = services.need_create(actor=teams.community_ye, kind="community", topic="城南社区暑期读书会",
                                starts_at=at(10), ends_at=at(10, 17), place="城南社区书屋", county=teams.county,
                                community=teams.communities["south"])  # fmt: skip
    from xieyu.accounts.models import User

    other = User.objects.create(phone="13800009999", name="雅溪村工作人员")
    membership_grant(actor=None, user=other, role=Role.COMMUNITY_STAFF, unit=teams.communities["village"])
    from django.test import Client

    client = Client()
    client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("teams:need_detail", args=[need.pk])).status_code == 404
    assert client_for("community_ye").get(reverse("teams:need_detail", args=[need.pk])).status_code == 200


def test_liu_posts_a_need_and_lands_on_its_proposals(teams, client_for):
    client = client_for("school_admin_liu")
    assert client.get(reverse("teams:need_new")).status_code == 200
    response = client.post(reverse("teams:need_new"), {
        "unit": f"school:{teams.school_a.pk}", "kind": "lecture", "topic": "家风家训讲座", "stage": "",
        "starts_at": at(14).strftime("%Y-%m-%dT%H:%M"), "ends_at": at(14, 17).strftime("%Y-%m-%dT%H:%M"),
        "place": "城厢小学报告厅", "town": teams.towns["城厢镇"].pk,
        "skills": [skill(teams, "红色文化讲解").pk, skill(teams, "客家文化").pk], "team_kind": "", "people": 1,
        "with_children": "on",
    }, follow=True)  # fmt: skip
    need = Need.objects.get(topic="家风家训讲座")
    assert (need.school, need.posted_by, need.with_children) == (teams.school_a, teams.school_admin_liu, True)
    assert "曾德福" in response.content.decode()


@pytest.mark.parametrize(
    "change",
    [{"people": "0"}, {"people": "51"}, {"ends_at": at(14, 14).strftime("%Y-%m-%dT%H:%M")}, {"unit": "school:999"},
     {"skills": ["999999"]}, {"starts_at": "明天"}, {"kind": "party"}],
)  # fmt: skip
def test_a_bad_need_form_is_refused_with_a_message_and_nothing_posted(teams, client_for, change):
    client = client_for("school_admin_liu")
    data = {"unit": f"school:{teams.school_a.pk}", "kind": "lecture", "topic": "家风家训讲座",
            "starts_at": at(14).strftime("%Y-%m-%dT%H:%M"), "ends_at": at(14, 17).strftime("%Y-%m-%dT%H:%M"),
            "place": "城厢小学报告厅", "people": "1", **change}  # fmt: skip
    response = client.post(reverse("teams:need_new"), data)
    assert response.status_code == 200
    assert 'class="msg' in response.content.decode() or "messages" in response.context
    assert not Need.objects.exists()


def test_the_need_form_is_not_for_guardians_or_volunteers(teams, client_for):
    assert client_for("parent_zhang").get(reverse("teams:need_new")).status_code == 404
    assert client_for("volunteer_zeng").post(reverse("teams:need_new"), {}).status_code == 404


def test_liu_invites_zeng_and_a_lapsed_member_is_refused(teams, client_for):
    need = lecture(teams)
    client = client_for("school_admin_liu")
    lapsed = lapsed_member()
    response = client.post(reverse("teams:need_invite", args=[need.pk]), {"member": [lapsed.pk]}, follow=True)
    assert lapsed.user.name in response.content.decode() and not Assignment.objects.exists()
    client.post(reverse("teams:need_invite", args=[need.pk]), {"member": [member_of(teams.volunteer_zeng).pk]})
    assert Assignment.objects.get(need=need).member.user == teams.volunteer_zeng


@pytest.mark.parametrize("persona", ["school_admin_wang", "head_teacher_li", "volunteer_zeng", "parent_zhang"])
def test_only_the_coordinator_invites(teams, client_for, persona):
    need = lecture(teams)
    response = client_for(persona).post(reverse("teams:need_invite", args=[need.pk]),
                                        {"member": [member_of(teams.volunteer_zeng).pk]})  # fmt: skip
    assert response.status_code == 404 and not Assignment.objects.exists()


def test_zeng_accepts_on_his_home_and_the_event_lists_him_as_instructor(teams, client_for):
    need, a = invite_zeng(teams)
    client = client_for("volunteer_zeng")
    home = client.get("/").content.decode()
    assert f'data-accept="{a.pk}"' in home
    client.post(reverse("teams:assignment_accept", args=[a.pk]), {"back": "home"})
    a.refresh_from_db()
    assert a.status == "accepted"
    event_page = client.get(reverse("events:detail", args=[need.event_id])).content.decode()
    assert 'data-staff="曾德福" data-role="instructor"' in event_page


@pytest.mark.parametrize("persona", ["expert_huang", "parent_zhang", "school_admin_liu"])
def test_nobody_else_answers_zengs_invitation(teams, client_for, persona):
    _need, a = invite_zeng(teams)
    for name in ("assignment_accept", "assignment_decline", "assignment_withdraw"):
        assert client_for(persona).post(reverse(f"teams:{name}", args=[a.pk]), {"reason": "x"}).status_code == 404
    a.refresh_from_db()
    assert a.status == "invited"


def test_withdrawing_needs_a_reason(teams, client_for):
    need, a = invite_zeng(teams)
    client = client_for("volunteer_zeng")
    client.post(reverse("teams:assignment_accept", args=[a.pk]))
    client.post(reverse("teams:assignment_withdraw", args=[a.pk]), {"reason": ""})
    a.refresh_from_db()
    assert a.status == "accepted"
    client.post(reverse("teams:assignment_withdraw", args=[a.pk]), {"reason": "家里有事"})
    a.refresh_from_db()
    assert a.status == "withdrawn" and not Staff.objects.filter(event=need.event).exists()


def test_the_coordinator_cancels_an_invitation_from_the_need_page(teams, client_for):
    need, a = invite_zeng(teams)
    assert client_for("school_admin_wang").post(reverse("teams:assignment_cancel", args=[a.pk])).status_code == 404
    client_for("school_admin_liu").post(reverse("teams:assignment_cancel", args=[a.pk]), {"reason": "改期"})
    a.refresh_from_db()
    assert a.status == "cancelled"


@pytest.mark.parametrize("persona, status", [("volunteer_zeng", 200), ("expert_huang", 200), ("parent_zhang", 404),
                                             ("school_admin_liu", 404), (None, 302)])  # fmt: skip
def test_my_invitations_is_for_team_members(teams, client_for, persona, status):
    assert client_for(persona).get(reverse("teams:my_invitations")).status_code == status


def test_the_member_home_warns_of_a_lapsing_check_and_links_an_experts_queue(teams, client_for):
    import datetime

    from django.utils import timezone

    from xieyu.teams.models import BackgroundCheck

    BackgroundCheck.objects.filter(user=teams.expert_huang).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=10)
    )
    page = client_for("expert_huang").get("/").content.decode()
    assert 'id="check-warning"' in page and reverse("questions:queue") in page
    assert reverse("questions:clinic_mine") in page
    assert 'id="check-warning"' not in client_for("volunteer_zeng").get("/").content.decode()


def _load(cast, n: int) -> None:
    """n past and n coming assignments of 曾德福, n needs of 城厢小学."""
    zeng = member_of(cast.volunteer_zeng)
    for i in range(n):
        need = lecture(cast, days=20 + i * 2, topic=f"讲座{i}")
        Assignment.objects.create(need=need, member=zeng, status="invited", starts_at=need.starts_at,
                                  ends_at=need.ends_at)  # fmt: skip
        past = lecture(cast, days=-5 - i * 2, topic=f"往期讲座{i}")
        Assignment.objects.create(need=past, member=zeng, status="accepted", starts_at=past.starts_at,
                                  ends_at=past.ends_at)  # fmt: skip


def _count(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: the session and the scope
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_member_home_and_the_dispatch_pages_run_the_same_queries_at_two_sizes(teams, client_for):
    liu, zeng = client_for("school_admin_liu"), client_for("volunteer_zeng")
    _load(teams, 1)
    need = Need.objects.filter(school=teams.school_a).order_by("starts_at").last()
    urls = [(zeng, "/"), (liu, reverse("teams:need_list")), (zeng, reverse("teams:my_invitations")),
            (liu, reverse("teams:need_detail", args=[need.pk]))]  # fmt: skip
    small = [_count(c, u) for c, u in urls]
    _load(teams, 8)
    large = [_count(c, u) for c, u in urls]
    assert small == large
    assert small[0] <= 16
