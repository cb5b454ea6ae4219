"""The member's side of dispatch in the API: my invitations, accepting and declining; another's id answers 404, a
refusal 400 with the message, anonymous 401."""

from __future__ import annotations

import pytest

from xieyu.events.models import Staff
from xieyu.teams.dispatch import services
from xieyu.teams.models import Assignment

from .dispatch_support import accepted_elsewhere, lecture, member_of, teams

__all__ = ["teams"]
BASE = "/api/v1/teams/needs"


def invite(cast, user, **kw):
    need = lecture(cast, **kw)
    (a,) = services.assignment_invite(actor=cast.school_admin_liu, need=need, members=[member_of(user)])
    return need, a


def test_zeng_lists_his_invitation_and_accepts_it(teams, client_for):
    need, a = invite(teams, teams.volunteer_zeng)
    client = client_for("volunteer_zeng")
    body = client.get(f"{BASE}/invitations").json()
    assert body["count"] == 1 and body["items"][0]["id"] == a.pk and body["items"][0]["event_id"] is None
    response = client.post(f"{BASE}/assignments/{a.pk}/accept", content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted" and response.json()["event_id"] == need.event_id
    assert Staff.objects.filter(event=need.event, user=teams.volunteer_zeng, role="instructor").exists()


def test_declining_keeps_the_reason(teams, client_for):
    _need, a = invite(teams, teams.volunteer_zeng)
    response = client_for("volunteer_zeng").post(f"{BASE}/assignments/{a.pk}/decline", {"reason": "那天不在县城"},
                                                 content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["reason"] == "那天不在县城"


def test_a_refusal_answers_400_with_the_message_and_changes_nothing(teams, client_for):
    need, a = invite(teams, teams.volunteer_zeng)
    accepted_elsewhere(member_of(teams.volunteer_zeng), lecture(teams, topic="雅溪村红色故事会"))
    response = client_for("volunteer_zeng").post(f"{BASE}/assignments/{a.pk}/accept")
    assert response.status_code == 400
    assert "雅溪村红色故事会" in response.json()["error"]["message"]
    a.refresh_from_db()
    assert a.status == "invited"
    long = client_for("volunteer_zeng").post(f"{BASE}/assignments/{a.pk}/decline", {"reason": "忙" * 201},
                                             content_type="application/json")  # fmt: skip
    assert long.status_code == 400
    a.refresh_from_db()
    assert a.status == "invited"


@pytest.mark.parametrize("persona, status", [("expert_huang", 404), ("parent_zhang", 404), ("school_admin_liu", 404),
                                             (None, 401)])  # fmt: skip
def test_nobody_else_answers_zengs_invitation(teams, client_for, persona, status):
    _need, a = invite(teams, teams.volunteer_zeng)
    client = client_for(persona)
    assert client.post(f"{BASE}/assignments/{a.pk}/accept").status_code == status
    assert client.post(f"{BASE}/assignments/{a.pk}/decline", {}, content_type="application/json").status_code == status
    assert Assignment.objects.get(pk=a.pk).status == "invited"


@pytest.mark.parametrize("persona, status", [("expert_huang", 200), ("parent_zhang", 200), (None, 401)])
def test_the_invitation_list_holds_only_ones_own(teams, client_for, persona, status):
    invite(teams, teams.volunteer_zeng)
    response = client_for(persona).get(f"{BASE}/invitations?show=all")
    assert response.status_code == status
    if status == 200:
        assert response.json()["count"] == 0


@pytest.mark.parametrize("bad", ["abc", "0", "99999999999999999999", "-1"])
def test_a_bad_id_is_not_found(teams, client_for, bad):
    assert client_for("volunteer_zeng").post(f"{BASE}/assignments/{bad}/accept").status_code in (404, 422)
